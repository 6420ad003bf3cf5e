// torch-snippets.test.js — "Copy as PyTorch" (issue 11, item 5): every
// lesson's snippet, for its default state and for other settings, run by
// Debian's python3-torch (a missing torch fails, never skips), prints the
// figures the page shows; here they are held to the page's own, computed by
// the lesson's jobs on the wasm core:
//   - figures without a random draw (the sigmoid's largest gradient 0.25 at
//     x = 0, (max φ')^L, the theory of the growth rates, Xavier's σ) within
//     rel 1e-6 (float32 results and torch's float32 kernels) or 1e-9;
//   - random figures "statistically the same": torch's and the page's are two
//     draws of one distribution, so |torch − page| ≤ Z·√2·s, s the standard
//     deviation of one draw — the page's own standard error where it has one
//     (the Xavier table), else the spread of the page's figure over SEEDS other
//     seeds; positive figures that span decades (variances, norms, gradients)
//     compared as logarithms;
//   - training: the page's seed is torch's (src/torch_rng.c), so the snippet
//     starts from the page's very weights: the step-0 loss within rel 1e-6 and
//     the gradient norm within rel 1e-5 (float32 kernels summing in another
//     order), and each lane's outcome — diverged, stuck at chance (ln 2) or
//     below it — one the page reaches.
// Every compared figure is printed (page, torch, bound) and written to
// build/test-logs/torch-snippets-<build>.json for the closing note.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCore } from '../../lib/node-core.js';
import { toJSON } from '../../web/format.js';
import { LESSONS } from '../../web/lessons/index.js';
import { jobInput } from '../../web/app/jobs.js';
import { defaults } from '../../web/state.js';
import { initNetwork, initParams, trainLane } from '../../web/science.js';
import { LANES, laneRun } from '../../web/lessons/train/jobs.js';
import { presetState } from '../../web/lessons/train/presets.js';
import { SLOTS } from '../../web/lessons/init/jobs.js';
import { findPython } from './helpers.js';

const core = await loadCore();
const PYTHON = findPython();
const BUILD = process.env.GRADLAB_BUILD || 'release';
// torch's side does not depend on the build and the page's figures come from the
// same lesson jobs the other suites run under the debug build (ASan/UBSan): the
// ~3 minutes of Python run once, against the release build, and say so under debug.
const RELEASE_ONLY = 'torch is compared with the release build; the debug build runs these jobs in the other suites';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Standard deviations two draws of one figure may differ by (per draw, ×√2 for the difference). */
const Z = 4;
/** Seeds of the page's figure whose spread estimates one draw's standard deviation. */
const SEEDS = 20;
const TIGHT = { float32: 1e-6, float64: 1e-9 };

// ---- running a snippet ---------------------------------------------------------------

/** Runs Python `code` (one process at a time: this machine's two cores are shared); resolves to its stdout. */
let queue = Promise.resolve();
function python(code) {
  const run = () => new Promise((resolve, reject) => {
    if (PYTHON instanceof Error) return reject(PYTHON);
    const child = spawn(PYTHON, ['-'], { env: { ...process.env, OMP_NUM_THREADS: '1' } });
    const out = [], err = [];
    child.stdout.on('data', (x) => out.push(x));
    child.stderr.on('data', (x) => err.push(x));
    child.on('error', reject);
    child.on('close', (status) => (status === 0 ? resolve(Buffer.concat(out).toString())
      : reject(new Error(`the snippet exited ${status}: ${Buffer.concat(err).toString().trim()}\n${code}`))));
    child.stdin.end(code);
  });
  const p = queue.then(run);
  queue = p.catch(() => {});
  return p;
}

/** The number printed after `label` in `out` (Python spellings: nan, inf, None → NaN, ±Infinity, null). */
function printed(out, label) {
  const i = out.indexOf(label);
  assert.ok(i >= 0, `the snippet prints '${label}':\n${out}`);
  const word = out.slice(i + label.length).trim().split(/[\s,;)]+/)[0];
  if (word === 'None') return null;
  const v = Number(word.replace(/^(-?)inf$/, '$1Infinity').replace(/^nan$/, 'NaN'));
  assert.ok(!Number.isNaN(v) || word === 'nan', `'${label}' is followed by a number, not '${word}'`);
  return v;
}

// ---- comparing ---------------------------------------------------------------------

const lesson = (id) => LESSONS.find((l) => l.id === id);
const stateOf = (id, over = {}) => ({ ...defaults(lesson(id).schema), ...over });
/** Job `name` of lesson `id` on state `s`, as the page runs it. */
const job = (id, name, s) => lesson(id).jobs[name].run(core, jobInput(lesson(id).jobs[name], s));
const sd = (xs) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
const seeds = (s, n = SEEDS) => Array.from({ length: n }, (_, i) => s.seed + 1 + i);
const fmt = (v) => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(6)) : String(v));

/**
 * The comparisons of one snippet: exact(name, page, torch, rel) for a figure
 * without randomness; random(name, page, torch, s, {log}) for two draws of a
 * figure whose one draw has standard deviation s (of its log with log);
 * same(name, page, torch) for an equal outcome.  Each returns its record; failures() lists the misses.
 */
function comparisons() {
  const rows = [];
  const add = (r) => { rows.push(r); return r; };
  return {
    rows,
    exact: (name, page, torch, rel) => add({ name, page, torch, bound: `rel ${rel}`,
      ok: Object.is(page, torch) || Math.abs(page - torch) <= rel * Math.max(Math.abs(page), Math.abs(torch)) }),
    random(name, page, torch, s, { log = false, floor = 0 } = {}) {
      if (!(Number.isFinite(page) && Number.isFinite(torch))) {
        return add({ name, page, torch, bound: 'both non-finite', ok: !Number.isFinite(page) && !Number.isFinite(torch) });
      }
      const [a, b] = log ? [Math.log(page), Math.log(torch)] : [page, torch];
      const bound = Math.max(Z * Math.SQRT2 * s, floor);
      return add({ name, page, torch, bound: `|Δ${log ? 'ln' : ''}| ≤ ${fmt(bound)} (z = ${fmt(Math.abs(a - b) / (Math.SQRT2 * s))})`, ok: Math.abs(a - b) <= bound });
    },
    same: (name, page, torch) => add({ name, page, torch, bound: 'equal', ok: page === torch }),
    failures: () => rows.filter((r) => !r.ok).map((r) => `${r.name}: page ${r.page}, torch ${r.torch}, bound ${r.bound}`),
  };
}

const FIGURES = {};
after(() => {
  mkdirSync(`${ROOT}build/test-logs`, { recursive: true });
  writeFileSync(`${ROOT}build/test-logs/torch-snippets-${BUILD}.json`, toJSON(FIGURES) + '\n');
});

/** Runs the snippet of lesson `id` on `over` (the rest default), compares with check(s, out, c), prints and asserts. */
function snippetTest(id, title, over, check) {
  if (BUILD === 'debug') return test(`${id}: ${title}`, { skip: RELEASE_ONLY }, () => {});
  const s = stateOf(id, over);
  const code = lesson(id).pytorch(s, { url: `http://localhost/?tab=${id}` });
  const out = python(code); // started now: torch runs while the page's figures are computed
  test(`${id}: ${title}`, async (t) => {
    const c = comparisons();
    await check(s, await out, c);
    (FIGURES[id] ||= []).push({ title, settings: over, figures: c.rows });
    t.diagnostic(c.rows.map((r) => `${r.name}: page ${fmt(r.page)}, torch ${fmt(r.torch)} (${r.bound})${r.ok ? '' : ' FAIL'}`).join('; '));
    assert.deepEqual(c.failures(), []);
  });
}

// ---- the lessons ---------------------------------------------------------------------

/** Vanishing: the curve's largest gradient and where; at L the best case, median and mean |g|, share of zeros. */
function vanishing(title, over) {
  snippetTest('vanishing', title, over, (s, out, c) => {
    const curve = job('vanishing', 'curve', s);
    const chain = job('vanishing', 'chain', s);
    const L = s.depth - 1;
    const tight = TIGHT[s.dtype];
    c.exact('largest gradient', curve.grad[curve.argmax], printed(out, 'largest gradient:'), tight);
    c.exact('at x', curve.x[curve.argmax], printed(out, 'at x ='), tight);
    c.exact("(max φ')^L", chain.bound[L], printed(out, 'best case'), 1e-6);
    const others = seeds(s).map((seed) => job('vanishing', 'chain', { ...s, seed }));
    // as logarithms where every draw is positive (a ReLU chain's median is 0 or not: compared as it is)
    const compare = (name, key, label) => {
      const torch = printed(out, label);
      const log = [chain[key][L], torch, ...others.map((o) => o[key][L])].every((v) => v > 0);
      c.random(name, chain[key][L], torch, sd(others.map((o) => (log ? Math.log(o[key][L]) : o[key][L]))), { log });
    };
    compare('median |g_L|', 'median', 'median |g|');
    compare('mean |g_L|', 'mean', 'mean |g|');
    compare('share exactly 0', 'zero', 'exactly zero');
  });
}
vanishing('the default state (sigmoid, N(0, 1), L = 20)', {});
vanishing('tanh, U with mean 0.5 and std 2, L = 10, seed 7', { act: 'tanh', dist: 'uniform', mu: 0.5, sd: 2, depth: 10, seed: 7 });
vanishing('ReLU in float64, L = 30, 5000 inputs', { act: 'relu', dtype: 'float64', depth: 30, samples: 5000 });

/** Exploding: ‖M_K‖ and the overflow step, the growth rates, the trials' mean ln-norm. */
function exploding(title, over) {
  snippetTest('exploding', title, over, (s, out, c) => {
    const { traj, theory } = job('exploding', 'traj', s);
    const fan = job('exploding', 'fan', s);
    const K = s.steps;
    const others = seeds(s).map((seed) => job('exploding', 'traj', { ...s, seed }).traj);
    const finite = others.map((o) => o.norms[K]).filter(Number.isFinite);
    // a product of orthogonal factors has one norm, σ^(K+1)·√n: only rounding separates two draws
    const rounding = s.ensemble === 'orthogonal' ? 1e-4 : 0;
    c.random('‖M_K‖', traj.norms[K], printed(out, `norm at k = ${K}:`), finite.length > 1 ? sd(finite.map(Math.log)) : 0, { log: true, floor: rounding });
    if (traj.overflowStep === null) c.same('first non-finite step', null, printed(out, 'first non-finite entry at k ='));
    else c.random('first non-finite step', traj.overflowStep, printed(out, 'first non-finite entry at k ='), sd(others.map((o) => o.overflowStep)));
    const [, typical, rms] = out.match(/typical \S+ \(ln (\S+)\), rms \S+ \(ln (\S+)\)/);
    c.exact('typical growth rate (ln)', theory.typical, Number(typical), 1e-9);
    c.exact('rms growth rate (ln)', theory.rms, Number(rms), 1e-9);
    if (fan.fan) {
      const spread = sd(seeds(s).map((seed) => job('exploding', 'fan', { ...s, seed }).fan.meanLog[K]));
      c.random(`mean ln‖M_K‖ over ${fan.trials} trials`, fan.fan.meanLog[K], printed(out, 'trials:'), spread, { floor: rounding * K });
    }
  });
}
exploding('the default state (d2l: 100 products of 4×4 N(0, 1))', {});
exploding('σ = 10 overflows float32', { sigma: 10 });
exploding('orthogonal 8×8, σ = 1.2, 50 steps, 20 trials', { ensemble: 'orthogonal', n: 8, sigma: 1.2, steps: 50, trials: 20 });

/** Init: per scheme, the forward statistic at the last layer and the backward one at the first. */
function init(title, over) {
  snippetTest('init', title, over, (s, out, c) => {
    const stat = (net, key, l) => net.stats.layers[l][key];
    const net = (init, seed) => {
      const p = initParams(init, { gain: s.gdef ? undefined : s.gain, sigma: s.sigma, value: s.value });
      return initNetwork(core, { init, gain: p.gain ?? NaN, sigma: p.sigma ?? 1, value: p.value ?? 0, act: s.act,
        depth: s.depth, width: s.width, batch: s.batch, dtype: s.dtype, seed });
    };
    for (const init of SLOTS.map((i) => s[`s${i}`]).filter((x) => x !== 'none')) {
      const page = net(init, s.seed);
      const others = seeds(s).map((seed) => net(init, seed));
      const line = out.split('\n').find((l) => l.startsWith(`${init}:`));
      assert.ok(line, `the snippet prints a line for ${init}:\n${out}`);
      const [, fwd, bwd] = line.match(/at l = \d+: (\S+); .* at l = 1: (\S+)$/);
      const L = s.depth - 1;
      c.random(`${init} ${s.fwd} at layer ${s.depth}`, stat(page, s.fwd, L), Number(fwd), sd(others.map((o) => Math.log(stat(o, s.fwd, L)))), { log: true });
      c.random(`${init} ${s.bwd} at layer 1`, stat(page, s.bwd, 0), Number(bwd), sd(others.map((o) => Math.log(stat(o, s.bwd, 0)))), { log: true });
    }
  });
}
init('the default state (normal σ 0.05, Xavier, Kaiming, torch default; tanh, 20 × 64)', {});
init('orthogonal, Kaiming uniform and LeCun with gain 1.5, ReLU, float64, Var(a) and Var(∂W)', {
  s1: 'orthogonal', s2: 'kaiming_uniform', s3: 'lecun_normal', s4: 'none', act: 'relu', gdef: false, gain: 1.5,
  depth: 10, width: 32, batch: 16, dtype: 'float64', fwd: 'a_var', bwd: 'grad_w_var',
});

/** Xavier: the measured figures of the table, each against the page's within its standard error; σ exactly. */
function xavier(title, over) {
  snippetTest('xavier', title, over, (s, out, c) => {
    const S = job('xavier', 'derive', s).stats;
    c.exact('σ', S.sigma, printed(out, ', σ'), 1e-9);
    for (const [name, label, m, se] of [['E[o]', 'E[o]', 'o_mean', 'o_mean_se'], ['Var[o]', 'Var[o]', 'o_var', 'o_var_se'],
      ['E[x²]', 'E[x^2]', 'x_sq', 'x_sq_se'], ['Var[g]', 'Var[g]', 'g_var', 'g_var_se'], ['E[w²]', 'E[w^2]', 'w_var', 'w_var_se']]) {
      c.random(name, S[m], printed(out, label), S[se]);
    }
  });
}
xavier('the default state (N(0, σ²) weights, N(0, 1) inputs, Xavier σ)', {});
xavier('Laplace weights, ReLU(N(1, 1)) inputs, ρ_w = ρ_x = 0.5, n_in = 16, 20000 trials', {
  wd: 'laplace', xd: 'relu_normal', mu: 1, rhow: 0.5, rhox: 0.5, nin: 16, samples: 20000,
});

/**
 * What became of a lane after its last step: diverged (a loss not finite), at
 * chance or worse (loss ≥ ln 2 − 0.02: the network learned nothing), or below
 * chance (it learned something).  Finer classes (trained below 0.1 or not)
 * depend on the draw at the default settings: one seed of a lane crosses 0.1
 * at step 49 of 50, another at 51.  The debug build (~10× slower) trains 50
 * steps instead of the state's and compares only whether a lane diverged.
 */
const DEBUG = BUILD === 'debug';
const outcome = (final, nonfinite) => (nonfinite !== null ? 'diverged' : DEBUG ? 'finite'
  : final >= Math.LN2 - 0.02 ? 'at chance or worse' : 'below chance');
const TRAIN_STEPS = DEBUG ? { steps: 50 } : {};

/**
 * Train: per lane the step-0 loss and gradient norm, from the same weights
 * (the snippet seeds torch as the page does), and the outcome after the last
 * step.  Where training is chaotic (a plain ReLU network of depth 20, tanh
 * with Xavier gain 2 at the exploding preset's settings), float32 rounding in
 * another order sends torch's trajectory elsewhere, and one run cannot be held
 * to the other: torch's outcome must be one the page reaches from its seed or
 * from OUTCOME_SEEDS more, tried only while it has not (printed as 'a | b').
 */
const OUTCOME_SEEDS = 4;
const STEP0 = { loss: 1e-6, norm: 1e-5 };
function train(title, over) {
  snippetTest('train', title, { ...over, ...TRAIN_STEPS }, (s, out, c) => {
    for (const k of LANES) {
      const run = laneRun(s, k);
      if (run.off) continue;
      const line = out.split('\n').find((l) => l.startsWith(`lane ${k}:`));
      assert.ok(line, `the snippet prints lane ${k}:\n${out}`);
      const tr = core.createTrainer(run.cfg);
      try {
        const { loss, grads } = tr.gradients();
        const norm = Math.sqrt(Object.values(grads).reduce((a, g) => a + g.reduce((b, x) => b + x * x, 0), 0));
        c.exact(`lane ${k} step-0 loss`, loss, printed(line, 'step-0 loss'), STEP0.loss);
        c.exact(`lane ${k} step-0 gradient norm`, norm, printed(line, 'step-0 gradient norm'), STEP0.norm);
      } finally {
        tr.free();
      }
      // the page's seed first; more seeds only while torch's outcome is not among the page's (same verdict, less training)
      const torch = outcome(printed(line, 'final loss'), printed(line, 'non-finite at step'));
      const reached = new Set();
      for (const seed of [s.seed, ...seeds(s, OUTCOME_SEEDS)]) {
        const r = trainLane(core, { ...run.cfg, seed }, run.steps);
        reached.add(outcome(r.finalLoss, r.nonfiniteStep));
        if (reached.has(torch)) break;
      }
      c.rows.push({ name: `lane ${k} outcome`, page: [...reached].join(' | '), torch, bound: 'one the page reaches', ok: reached.has(torch) });
    }
  });
}
train('the default race (depth 20: sigmoid, ReLU + Kaiming, clip norm 1, residual + BatchNorm)', {});
train('the exploding preset (Kaiming gain 2: no clipping dies, clipping survives)', presetState('exploding'));
