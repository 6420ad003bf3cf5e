// The ABI's vocabulary in JavaScript (web/gen/abi.mjs, written by
// tools/gen-abi.cjs): it is what the core under test says, web/core.js and the
// CLI use it instead of typed numbers, and the limits are the ones the C
// functions enforce.  Runs against GRADLAB_BUILD=release and =debug (the
// module is generated from the release build, so this also proves both
// builds agree and that abi.mjs is not stale).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../lib/node-core.js';
import * as abi from '../../web/gen/abi.mjs';
import * as core_js from '../../web/core.js';
import { COMMANDS } from '../../lib/commands.js';
import { readAbi } from '../../tools/gen-abi.cjs';
import { gradlab } from './helpers.js';

let core;
before(async () => { core = await loadCore(); });

test('abi.mjs holds exactly what the core under test reports through gl_enum_name, gl_limit, gl_init_uses', () => {
  assert.deepEqual({ ...abi }, readAbi(core.M));
});

test('abi.mjs is frozen: nothing can edit the vocabulary at run time', () => {
  assert.ok(Object.isFrozen(abi.ACTIVATIONS) && Object.isFrozen(abi.LIMITS) && Object.isFrozen(abi.INIT_USES.normal));
});

test('web/core.js re-exports the vocabulary under its old names', () => {
  for (const name of ['ACTIVATIONS', 'INITS', 'DTYPES', 'DISTS', 'ENSEMBLES', 'MLP_STATS', 'LIMITS', 'INIT_USES', 'LEAKY_SLOPE']) {
    assert.equal(core_js[name], abi[name], name);
  }
});

test('the names are the lesson\'s: torch.nn.init schemes, PyTorch activations, both dtypes', () => {
  assert.deepEqual(abi.ACTIVATIONS, ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'gelu', 'linear']);
  assert.equal(abi.INITS.length, 10);
  assert.equal(abi.INITS[5], 'kaiming_normal');
  assert.deepEqual(abi.DTYPES, ['float32', 'float64']);
  assert.deepEqual(abi.DISTS, ['normal', 'uniform']);
  assert.deepEqual(abi.ENSEMBLES, ['gaussian', 'orthogonal']);
  assert.equal(abi.MLP_STATS.at(-1), 'unit_spread');
  assert.equal(abi.LEAKY_SLOPE, 0.01);
});

test('INIT_USES: kaiming_normal reads gain, normal reads sigma, constant reads value, lecun_normal none', () => {
  assert.deepEqual(abi.INIT_USES.kaiming_normal, { gain: true, sigma: false, value: false });
  assert.deepEqual(abi.INIT_USES.normal, { gain: false, sigma: true, value: false });
  assert.deepEqual(abi.INIT_USES.constant, { gain: false, sigma: false, value: true });
  assert.deepEqual(abi.INIT_USES.lecun_normal, { gain: false, sigma: false, value: false });
  assert.deepEqual(Object.keys(abi.INIT_USES), abi.INITS);
});

test('INIT_USES agrees with the core: a parameter a scheme ignores is not even validated', () => {
  for (const init of abi.INITS) {
    const u = abi.INIT_USES[init];
    const ok = (p) => { try { core.initTheory({ init, fanIn: 8, fanOut: 8, gain: 1, sigma: 1, value: 0, ...p }); return true; } catch { return false; } };
    assert.equal(ok({ gain: -1 }), !u.gain, `${init} gain`);
    assert.equal(ok({ sigma: -1 }), !u.sigma, `${init} sigma`);
    assert.equal(ok({ value: NaN }), !u.value, `${init} value`);
  }
});

test('LIMITS are the ones the C functions enforce (called directly, past the JS checks)', () => {
  const L = abi.LIMITS;
  const M = core.M;
  assert.equal(L.maxBytes, 512 * 2 ** 20);
  assert.equal(L.maxBytes, core.maxBytes);
  assert.equal(L.maxSeed, 2 ** 53);
  // gl_matprod_theory: n at the limit passes the size check, one past is GL_ERANGE.
  const buf = M._malloc(24);
  try {
    assert.equal(M._gl_matprod_theory(L.theoryMaxN, 1, 0, buf, buf + 8, buf + 16), 0);
    assert.equal(M._gl_matprod_theory(L.theoryMaxN + 1, 1, 0, buf, buf + 8, buf + 16), 2);
    assert.equal(M._gl_meanfield(1, 1, 1, 1, L.meanfieldMaxDepth + 1, buf, buf), 2);
    assert.equal(M._gl_matprod_ensemble(L.matprodMaxN + 1, 1, 1, 0, 1, 0, buf, 0, 0), 2);
    assert.equal(M._gl_matprod_ensemble(2, L.matprodMaxSteps + 1, 1, 0, 1, 0, buf, 0, 0), 2);
    assert.equal(M._gl_matprod_ensemble(2, 1, 1, 0, L.ensembleMaxTrials + 1, 0, buf, 0, 0), 2);
  } finally {
    M._free(buf);
  }
});

test('web/core.js checks its integers against LIMITS, with the core\'s status convention', () => {
  const L = abi.LIMITS;
  assert.throws(() => core.matprodTheory({ n: L.theoryMaxN + 1 }), (e) => e.status === 2 && e.message.includes(`at most ${L.theoryMaxN}`));
  assert.throws(() => core.chainGrad({ depth: L.chainMaxDepth + 1 }), (e) => e.status === 2 && e.message.includes(`${L.chainMaxDepth}`));
  assert.throws(() => core.histogram(new Float32Array(4), L.maxBins + 1), (e) => e.status === 2);
});

// Every CLI flag with a maximum takes it from LIMITS, so a limit changed in C
// changes `gradlab <cmd> --help` and the CLI's range errors with no JS edit.
const FLAG_LIMITS = {
  matprod: { n: 'matprodMaxN', steps: 'matprodMaxSteps', seed: 'maxSeed', trials: 'ensembleMaxTrials' },
  'init-sample': { 'fan-in': 'maxFan', 'fan-out': 'maxFan', seed: 'maxSeed' },
  'init-stats': { depth: 'mlpMaxDepth', width: 'mlpMaxWidth', batch: 'mlpMaxBatch', seed: 'maxSeed', 'hist-layer': 'mlpMaxDepth', bins: 'maxBins' },
  train: {
    depth: 'trainMaxDepth', width: 'trainMaxWidth', points: 'trainMaxPoints', turns: 'trainMaxTurns',
    steps: 'trainMaxSteps', seed: 'maxSeed', 'data-seed': 'maxSeed',
  },
};

test('every CLI flag maximum is a LIMITS entry', () => {
  for (const [cmd, c] of Object.entries(COMMANDS)) {
    for (const [flag, spec] of Object.entries(c.flags)) {
      if (spec.max === undefined) continue;
      const key = FLAG_LIMITS[cmd]?.[flag];
      assert.ok(key, `${cmd} --${flag} has a max (${spec.max}) that is not mapped to LIMITS here`);
      assert.equal(spec.max, abi.LIMITS[key], `${cmd} --${flag}`);
    }
  }
});

test('gradlab init-stats --help and a range error print the core\'s limits', () => {
  const help = gradlab('init-stats', '--help').out;
  assert.match(help, new RegExp(`--depth int \\[1\\.\\.${abi.LIMITS.mlpMaxDepth}\\]`));
  assert.match(help, new RegExp(`--width int \\[1\\.\\.${abi.LIMITS.mlpMaxWidth}\\]`));
  assert.match(help, new RegExp(`--bins int \\[1\\.\\.${abi.LIMITS.maxBins}\\]`));
  const r = gradlab('matprod', '--n', String(abi.LIMITS.matprodMaxN + 1));
  assert.equal(r.code, 2);
  assert.equal(r.err, `gradlab: --n must be <= ${abi.LIMITS.matprodMaxN}, got ${abi.LIMITS.matprodMaxN + 1}\n`);
});
