// torch-init.test.js — the training core's seed is torch's: a lane of seed s
// starts from the weights `torch.manual_seed(s)` and torch.nn.init draw
// (src/torch_rng.c), so a learner's notebook and the page start from the same
// numbers.  tests/torch/train_ref.py (init mode) draws them with PyTorch 1.13:
// manual_seed, then stem, hidden.0, …, head, each a float32 weight.
//  - every scheme but orthogonal: bit for bit, in float32, and in float64
//    (the float32 draws widened);
//  - orthogonal: torch's QR runs in float32, GradLab's in float64 from the
//    same normals: within float32 rounding (rel 1e-5 per tensor);
//  - the shapes cover torch's three normal_ paths: 16 values or more, a size
//    16 does not divide (the last 16 redrawn), and fewer than 16 (double
//    normals, the second of a pair kept for the next tensor);
//  - the seed's low 32 bits are the Mersenne Twister's seed in both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../../lib/node-core.js';
import { toJSON } from '../../web/format.js';
import { trainConfig } from '../../web/science.js';
import { DEFAULTS, LANE_DEFAULTS } from '../../web/lessons/train/presets.js';
import { findPython, watchSanitizers } from './helpers.js';

const sanitizerReports = watchSanitizers();
const core = await loadCore();
const REF = fileURLToPath(new URL('../torch/train_ref.py', import.meta.url));
const PYTHON = findPython();

/** Shapes: [depth, width] — widths 32 (every weight ≥ 16, 16 | n), 12 (16 ∤ 24), 5 (10 < 16 and 16 ∤ 25). */
const SHAPES = [[3, 32], [1, 12], [2, 5]];
const SEEDS = [0, 7, 2 ** 32 + 7];
const SCHEMES = [
  { init: 'normal', sigma: 0.01 }, { init: 'normal', sigma: 1 }, { init: 'uniform', sigma: 0.5 },
  { init: 'xavier_uniform' }, { init: 'xavier_uniform', gain: 2 }, { init: 'xavier_normal' },
  { init: 'kaiming_uniform' }, { init: 'kaiming_normal' }, { init: 'kaiming_normal', gain: 2 },
  { init: 'lecun_normal' }, { init: 'orthogonal' }, { init: 'torch_default' }, { init: 'constant', value: 0.1 },
];
const CASES = SCHEMES.flatMap((scheme) => SHAPES.flatMap(([depth, width]) => SEEDS.flatMap((seed) =>
  ['float32', 'float64'].map((dtype) => ({ scheme, depth, width, seed, dtype })))));

const label = (c) => `${c.scheme.init}${c.scheme.gain ? ` gain ${c.scheme.gain}` : ''}` +
  `${c.scheme.sigma !== undefined ? ` σ ${c.scheme.sigma}` : ''}, depth ${c.depth} × width ${c.width}, seed ${c.seed}, ${c.dtype}`;

/** torch's parameters for every case, from one python3 run. */
function torchParams() {
  if (PYTHON instanceof Error) throw PYTHON;
  const lanes = CASES.map((c) => ({
    mode: 'init', depth: c.depth, width: c.width, act: 'relu', norm: 'none', lr: 0.1, points: 4, turns: 1,
    dtype: c.dtype, seed: c.seed, init: c.scheme.init, gain: c.scheme.gain ?? null,
    sigma: c.scheme.sigma ?? 1, value: c.scheme.value ?? 0,
  }));
  const r = spawnSync(PYTHON, [REF], { input: toJSON({ lanes }), encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `train_ref.py: ${r.stderr}`);
  return JSON.parse(r.stdout).lanes.map((l) => l.params);
}

/** GradLab's parameters for a case. */
function gradlabParams(c) {
  const lane = { ...LANE_DEFAULTS, ...c.scheme, gain: c.scheme.gain ?? null };
  const tr = core.createTrainer(trainConfig({ ...DEFAULTS, depth: c.depth, width: c.width, points: 4, seed: c.seed, dtype: c.dtype }, lane));
  try {
    return tr.params();
  } finally {
    tr.free();
  }
}

test('a lane of seed s starts from the weights torch.manual_seed(s) and torch.nn.init draw', (t) => {
  const want = torchParams();
  let exact = 0, values = 0, orthoWorst = 0;
  CASES.forEach((c, i) => {
    const got = gradlabParams(c);
    for (const [name, t] of Object.entries(want[i])) {
      if (!name.endsWith('weight')) continue;
      const g = Array.from(got[name]), w = t.map(Number);
      assert.equal(g.length, w.length, `${label(c)}: ${name} size`);
      values += w.length;
      if (c.scheme.init === 'orthogonal') {
        let d = 0, n = 0;
        w.forEach((x, k) => { d += (g[k] - x) ** 2; n += x * x; });
        const rel = Math.sqrt(d / n);
        orthoWorst = Math.max(orthoWorst, rel);
        assert.ok(rel <= 1e-5, `${label(c)}: ${name} rel ${rel}`);
      } else {
        const k = g.findIndex((x, j) => !Object.is(x, w[j]));
        assert.equal(k, -1, `${label(c)}: ${name}[${k}] GradLab ${g[k]}, torch ${w[k]}`);
        exact += w.length;
      }
    }
  });
  t.diagnostic(`${CASES.length} lanes, ${values} weights: ${exact} bit for bit; orthogonal within rel ${orthoWorst.toExponential(1)}`);
  // every lane compared its 2 + depth weights (none missing from torch's answer)
  assert.equal(want.length, CASES.length);
  assert.equal(values, CASES.reduce((n, c) => n + 2 * 2 * c.width + c.depth * c.width * c.width, 0));
  assert.deepEqual(sanitizerReports, []);
});

test('seeds that differ only above bit 32 draw the same weights, as torch.manual_seed', () => {
  const a = gradlabParams({ scheme: { init: 'kaiming_normal' }, depth: 1, width: 8, seed: 7, dtype: 'float32' });
  const b = gradlabParams({ scheme: { init: 'kaiming_normal' }, depth: 1, width: 8, seed: 2 ** 32 + 7, dtype: 'float32' });
  const c = gradlabParams({ scheme: { init: 'kaiming_normal' }, depth: 1, width: 8, seed: 8, dtype: 'float32' });
  assert.deepEqual(Array.from(a['hidden.0.weight']), Array.from(b['hidden.0.weight']));
  assert.notDeepEqual(Array.from(a['hidden.0.weight']), Array.from(c['hidden.0.weight']));
});

test('a float64 lane starts from the float32 lane\'s weights, widened, for every scheme', () => {
  for (const scheme of SCHEMES) {
    const c = { scheme, depth: 2, width: 12, seed: 3 };
    const f32 = gradlabParams({ ...c, dtype: 'float32' }), f64 = gradlabParams({ ...c, dtype: 'float64' });
    for (const name of Object.keys(f32)) {
      assert.deepEqual(Array.from(f64[name]), Array.from(f32[name]), `${scheme.init}: ${name}`);
    }
  }
});

test('the spiral\'s noise is torch.rand\'s after torch.manual_seed(data seed)', () => {
  if (PYTHON instanceof Error) throw PYTHON;
  const cases = [{ points: 50, turns: 1, noise: 0.1, dataSeed: 0 }, { points: 7, turns: 2.5, noise: 0.3, dataSeed: 2 ** 32 + 5 }];
  const r = spawnSync(PYTHON, [REF, 'spiral'], {
    input: toJSON({ lanes: cases.map((c) => ({ points: c.points, turns: c.turns, noise: c.noise, data_seed: c.dataSeed })) }), encoding: 'utf8',
  });
  assert.equal(r.status, 0, `train_ref.py: ${r.stderr}`);
  JSON.parse(r.stdout).lanes.forEach((want, i) => {
    const c = cases[i];
    const tr = core.createTrainer(trainConfig({ ...DEFAULTS, ...c, depth: 1, width: 4, dtype: 'float64' }, LANE_DEFAULTS));
    try {
      const X = Array.from(tr.data().X), W = want.X.flat().map(Number);
      assert.equal(X.length, W.length);
      // the noise is bit for bit; sin and cos are two libms (musl in wasm, glibc in numpy): an ulp of |x| ≤ 1.3
      X.forEach((x, k) => assert.ok(Math.abs(x - W[k]) <= 2 ** -52 * 2, `${JSON.stringify(c)}: X[${k}] ${x} vs ${W[k]}`));
    } finally {
      tr.free();
    }
  });
});
