// Products of random matrices through the wasm core (web/core.js → src/matprod.c):
// digamma, the growth theory, d2l's 100 products of 4×4 N(0, 1) matrices,
// float32 overflow, the ensemble's slope against theory, orthogonal matrices,
// seeds, and validation.  Runs against GRADLAB_BUILD=release and =debug.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../lib/node-core.js';
import { CoreError } from '../../web/core.js';

const EULER_GAMMA = 0.5772156649015329;
const LN2 = Math.log(2);
const FLT_MAX = 3.4028234663852886e38;

let core;
before(async () => { core = await loadCore(); });

/** Frobenius norm of a typed array, recomputed here in float64. */
const frob = (a) => Math.sqrt(Array.from(a).reduce((s, x) => s + x * x, 0));
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Sample standard deviation (n − 1). */
const sd = (xs) => { const m = mean(xs); return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)); };
const relErr = (a, b) => Math.abs(a - b) / Math.abs(b);

// ---- digamma ----------------------------------------------------------------

// gl_digamma promises ~2e-15 relative; |ψ| ≤ 2 at these points, so 1e-14
// absolute leaves a margin of ~2.5× over the documented accuracy.
test('digamma(1) is minus the Euler–Mascheroni constant to 1e-14', () => {
  assert.ok(Math.abs(core.digamma(1) - -EULER_GAMMA) < 1e-14, `ψ(1) = ${core.digamma(1)}`);
});

test('digamma(0.5) is −γ − 2 ln 2 to 1e-14', () => {
  const want = -EULER_GAMMA - 2 * LN2;
  assert.ok(Math.abs(core.digamma(0.5) - want) < 1e-14, `ψ(0.5) = ${core.digamma(0.5)}, want ${want}`);
});

test('digamma(2) is 1 − γ to 1e-14', () => {
  assert.ok(Math.abs(core.digamma(2) - (1 - EULER_GAMMA)) < 1e-14, `ψ(2) = ${core.digamma(2)}`);
});

test('digamma is NaN at 0 and for negative arguments, as documented', () => {
  assert.ok(Number.isNaN(core.digamma(0)));
  assert.ok(Number.isNaN(core.digamma(-1.5)));
});

// ---- theory -------------------------------------------------------------------

test('gaussian theory for n = 4, σ = 1: typical ½(ln 2 + ψ(2)), rms ½ ln 4, σ* = exp(−typical)', () => {
  const th = core.matprodTheory({ n: 4, sigma: 1, ensemble: 'gaussian' });
  const typical = 0.5 * (LN2 + (1 - EULER_GAMMA)); // ψ(2) = 1 − γ, independent of the core's digamma
  assert.ok(Math.abs(th.typical - typical) < 1e-14, `typical ${th.typical}, want ${typical}`);
  assert.ok(Math.abs(th.rms - 0.5 * Math.log(4)) < 1e-14, `rms ${th.rms}`);
  assert.ok(relErr(th.critical_sigma, Math.exp(-typical)) < 1e-14, `σ* ${th.critical_sigma}`);
  assert.ok(th.typical < th.rms, 'Jensen: the typical rate is below the root-mean-square rate');
});

test('gaussian theory shifts by ln σ and σ* does not depend on σ', () => {
  const a = core.matprodTheory({ n: 8, sigma: 1 });
  const b = core.matprodTheory({ n: 8, sigma: 0.5 });
  assert.ok(Math.abs(b.typical - (a.typical + Math.log(0.5))) < 1e-14);
  assert.ok(Math.abs(b.rms - 0.5 * Math.log(8 * 0.25)) < 1e-14);
  assert.ok(relErr(b.critical_sigma, a.critical_sigma) < 1e-14);
  // σ* sits a little above 1/√n (the typical product shrinks at σ = 1/√n).
  assert.ok(b.critical_sigma > 1 / Math.sqrt(8));
});

test('orthogonal theory: typical = rms = ln σ and σ* = 1', () => {
  for (const sigma of [0.5, 1, 3]) {
    const th = core.matprodTheory({ n: 4, sigma, ensemble: 'orthogonal' });
    assert.ok(Math.abs(th.typical - Math.log(sigma)) < 1e-15, `σ ${sigma}: typical ${th.typical}`);
    assert.ok(Math.abs(th.rms - Math.log(sigma)) < 1e-15, `σ ${sigma}: rms ${th.rms}`);
    assert.equal(th.critical_sigma, 1);
  }
});

// ---- d2l's demo: 100 products of 4×4 N(0, 1), float32 -------------------------

test('the classic demo (n 4, σ 1, 100 steps, float32) ends near 1e25, inside the window the theory allows', () => {
  const r = core.matprod({ n: 4, steps: 100, sigma: 1, dtype: 'float32', seed: 0 });
  assert.equal(r.norms.length, 101);
  assert.ok(r.first instanceof Float32Array && r.first.length === 16);
  assert.ok(r.last instanceof Float32Array && r.last.length === 16);
  // The core sums squares of the float32 entries in float64, as we do: only
  // summation order may differ, ~1e-16 relative.
  assert.ok(relErr(r.norms[0], frob(r.first)) < 1e-12, `norms[0] ${r.norms[0]} vs ‖first‖ ${frob(r.first)}`);
  assert.ok(relErr(r.norms[100], frob(r.last)) < 1e-12, `norms[100] ${r.norms[100]} vs ‖last‖ ${frob(r.last)}`);
  assert.equal(r.overflowStep, null);

  // ln‖M_k‖ is a random walk with drift `typical` per step; its per-step
  // standard deviation is estimated from 400 independent trials of the
  // ensemble.  Four standard deviations of a 100-step walk around 100·typical
  // (≈ 55.8 ± 15.7) contain the run unless something is wrong by ~1e7×.
  const th = core.matprodTheory({ n: 4, sigma: 1 });
  const ens = core.matprodEnsemble({ n: 4, steps: 100, sigma: 1, trials: 400, seed: 1, fan: 400 });
  const incs = ens.fan.flatMap((line) => Array.from({ length: 100 }, (_, k) => line[k + 1] - line[k]));
  const step = sd(incs);
  assert.ok(step > 0.2 && step < 0.6, `per-step std ${step} (½·sqrt(trigamma(2)) ≈ 0.40)`);
  const lnLast = Math.log(r.norms[100]);
  const lo = 100 * th.typical - 4 * Math.sqrt(100) * step;
  const hi = 100 * th.typical + 4 * Math.sqrt(100) * step;
  assert.ok(lnLast > lo && lnLast < hi, `ln‖M_100‖ = ${lnLast} outside [${lo}, ${hi}]`);
  // d2l's printout: entries of order 1e25 (this seed: ‖M_100‖ ≈ 4.5e25).
  assert.ok(r.norms[100] > 1e24 && r.norms[100] < 1e27, `‖M_100‖ = ${r.norms[100]}`);
  // Every intermediate norm is finite and positive.
  assert.ok(r.norms.every((v) => Number.isFinite(v) && v > 0));
});

test('float32 overflows near ln(FLT_MAX)/typical steps: finite norms before, non-finite at the overflow step', () => {
  const r = core.matprod({ n: 4, steps: 400, sigma: 1, dtype: 'float32', seed: 0 });
  const th = core.matprodTheory({ n: 4, sigma: 1 });
  assert.notEqual(r.overflowStep, null);
  assert.ok(Number.isInteger(r.overflowStep));
  // Expected step ln(FLT_MAX)/typical ≈ 159.  The walk's spread at ~160
  // steps is ≈ 0.4·sqrt(160) ≈ 5 in ln-norm, i.e. ≈ 9 steps ≈ 6 %; ±25 %
  // is over four such spreads (plus the O(1) offset of ln‖M_0‖).
  const expected = Math.log(FLT_MAX) / th.typical;
  assert.ok(Math.abs(r.overflowStep - expected) < 0.25 * expected, `overflow at ${r.overflowStep}, expected ≈ ${expected}`);
  for (let k = 0; k < r.overflowStep; k++) assert.ok(Number.isFinite(r.norms[k]), `norms[${k}] = ${r.norms[k]}`);
  assert.ok(!Number.isFinite(r.norms[r.overflowStep]), `norms[${r.overflowStep}] = ${r.norms[r.overflowStep]}`);
  // Inf·0-style products then turn entries into NaN, as in PyTorch.
  assert.ok(Array.from(r.last).some((v) => !Number.isFinite(v)));
});

test('float64 with the same seed does not overflow within 1000 steps', () => {
  const r = core.matprod({ n: 4, steps: 1000, sigma: 1, dtype: 'float64', seed: 0 });
  assert.equal(r.overflowStep, null);
  assert.ok(r.last instanceof Float64Array);
  assert.ok(r.norms.every(Number.isFinite));
  // ~1000·0.558 ≈ 558 in ln-norm: far beyond float32, well below ln(DBL_MAX) ≈ 709.8.
  assert.ok(Math.log(r.norms[1000]) > Math.log(FLT_MAX));
});

test('float32 and float64 runs of one seed draw the same factors (they agree before rounding error grows)', () => {
  const a = core.matprod({ n: 4, steps: 10, dtype: 'float32', seed: 5 });
  const b = core.matprod({ n: 4, steps: 10, dtype: 'float64', seed: 5 });
  // float32 rounding ~6e-8 per operation, 10 steps of 4-term sums: 1e-5 is ample.
  for (let k = 0; k <= 10; k++) assert.ok(relErr(a.norms[k], b.norms[k]) < 1e-5, `k ${k}: ${a.norms[k]} vs ${b.norms[k]}`);
});

// ---- the ensemble against theory ------------------------------------------------

// The mean of ln‖M_k‖ over T trials has slope `typical` once the rows of M_k
// have aligned with the top singular direction.  Before that the Frobenius
// norm carries an extra, decaying term (its ratio to the top row's norm grows
// as the rows align), which decays like exp(−2(λ1 − λ2)k); for n = 8 the gap
// is small and, measured with 40 000 trials, the slope over steps 20..60
// still exceeds theory by ≈ 0.0022 ≈ 2.4 standard errors of a 2000-trial
// mean.  Over steps 100..200 the excess is ≤ 0.0003 (≤ 0.4 SE) for both
// sizes, so the test uses that window and leaves 4 SE for sampling noise.
for (const [n, sigma] of [[4, 1], [8, 0.5]]) {
  test(`the mean ln-norm of 2000 trials (n ${n}, σ ${sigma}) grows at the typical rate within 4 standard errors`, () => {
    const steps = 200;
    const [a, b] = [100, 200];
    const th = core.matprodTheory({ n, sigma });
    const trials = 2000;
    const e = core.matprodEnsemble({ n, steps, sigma, trials, seed: 0, fan: trials });
    assert.equal(e.meanLog.length, steps + 1);
    assert.equal(e.fan.length, trials);
    const slopes = e.fan.map((line) => (line[b] - line[a]) / (b - a));
    const slope = (e.meanLog[b] - e.meanLog[a]) / (b - a);
    // The mean of per-trial slopes is the slope of the mean (up to rounding).
    assert.ok(Math.abs(slope - mean(slopes)) < 1e-12);
    const se = sd(slopes) / Math.sqrt(trials);
    assert.ok(se > 0 && se < 0.01, `SE ${se}`);
    assert.ok(Math.abs(slope - th.typical) < 4 * se,
      `slope ${slope} vs typical ${th.typical}: ${((slope - th.typical) / se).toFixed(2)} SE`);
    // …and it is clearly not the root-mean-square rate (≥ 25 SE away).
    assert.ok(Math.abs(slope - th.rms) > 25 * se, `slope ${slope} vs rms ${th.rms}`);
  });
}

test('ensemble trial 1 (fan[0]) is ln of the float64 matprod norms with the same seed, to 1e-10', () => {
  for (const ensemble of ['gaussian', 'orthogonal']) {
    const one = core.matprod({ n: 5, steps: 150, sigma: 0.9, ensemble, dtype: 'float64', seed: 11 });
    const e = core.matprodEnsemble({ n: 5, steps: 150, sigma: 0.9, ensemble, trials: 3, seed: 11, fan: 2 });
    assert.equal(e.fan.length, 2);
    // Renormalising changes only rounding: ~1e-16 per step over 150 steps.
    for (let k = 0; k <= 150; k++) {
      assert.ok(Math.abs(e.fan[0][k] - Math.log(one.norms[k])) < 1e-10, `${ensemble} k ${k}: ${e.fan[0][k]} vs ${Math.log(one.norms[k])}`);
    }
    assert.notDeepEqual(Array.from(e.fan[1]), Array.from(e.fan[0]), 'trial 2 is a different trajectory');
  }
});

test('the ensemble never overflows: 3000 steps of n 4, σ 1 stay finite (ln-norm ≈ 1670, far past ln DBL_MAX ≈ 710)', () => {
  const e = core.matprodEnsemble({ n: 4, steps: 3000, sigma: 1, trials: 2, seed: 0 });
  assert.ok(e.meanLog.every(Number.isFinite));
  assert.ok(e.meanLog[3000] > 1000);
});

// ---- orthogonal matrices ----------------------------------------------------------

test('an orthogonal product keeps its norm: 1e-5 relative in float32, 1e-12 in float64, over 200 steps', () => {
  // Float32 rounding ~6e-8 per entry per step accumulates as a random walk
  // (~1e-6 after 200 steps; observed ≤ 3e-7); float64 ~1e-16 per step.
  for (const [dtype, tol] of [['float32', 1e-5], ['float64', 1e-12]]) {
    const r = core.matprod({ n: 4, steps: 200, sigma: 1, ensemble: 'orthogonal', dtype, seed: 3 });
    // M_0 = Q, an orthogonal 4×4: ‖Q‖_F = sqrt(4) = 2.
    assert.ok(Math.abs(r.norms[0] - 2) < (dtype === 'float32' ? 1e-6 : 1e-14), `${dtype}: ‖M_0‖ = ${r.norms[0]}`);
    for (let k = 1; k <= 200; k++) {
      assert.ok(relErr(r.norms[k], r.norms[0]) < tol, `${dtype} k ${k}: ${r.norms[k]} vs ${r.norms[0]}`);
    }
  }
});

test('an orthogonal product scaled by σ changes the norm by exactly σ per step (float64)', () => {
  const r = core.matprod({ n: 6, steps: 50, sigma: 1.1, ensemble: 'orthogonal', dtype: 'float64', seed: 2 });
  for (let k = 1; k <= 50; k++) assert.ok(relErr(r.norms[k] / r.norms[k - 1], 1.1) < 1e-12, `k ${k}`);
});

// ---- seeds ---------------------------------------------------------------------------

test('the same seed gives identical results; a different seed gives different ones', () => {
  const args = { n: 4, steps: 50, sigma: 1, dtype: 'float32', block: 2 };
  const a = core.matprod({ ...args, seed: 42 });
  const b = core.matprod({ ...args, seed: 42 });
  const c = core.matprod({ ...args, seed: 43 });
  assert.deepEqual(a.norms, b.norms);
  assert.deepEqual(a.first, b.first);
  assert.deepEqual(a.last, b.last);
  assert.deepEqual(a.traj, b.traj);
  assert.notDeepEqual(a.first, c.first);
  assert.notDeepEqual(a.norms, c.norms);
  const ea = core.matprodEnsemble({ n: 4, steps: 20, trials: 10, seed: 42 });
  const eb = core.matprodEnsemble({ n: 4, steps: 20, trials: 10, seed: 42 });
  const ec = core.matprodEnsemble({ n: 4, steps: 20, trials: 10, seed: 43 });
  assert.deepEqual(ea.meanLog, eb.meanLog);
  assert.notDeepEqual(ea.meanLog, ec.meanLog);
});

test('seed 0 is valid and seed 2^53 is the largest accepted', () => {
  assert.equal(core.matprod({ steps: 3, seed: 0 }).norms.length, 4);
  assert.equal(core.matprod({ steps: 3, seed: 2 ** 53 }).norms.length, 4);
  assert.throws(() => core.matprod({ steps: 3, seed: 2 ** 53 + 2 }), CoreError);
});

// ---- trajectory corners ------------------------------------------------------------

test('traj holds the block×block corner of every M_k: length (steps+1)·block², step 0 is the corner of first, the last is the corner of last', () => {
  const n = 6;
  const block = 3;
  const steps = 40;
  const r = core.matprod({ n, steps, sigma: 0.6, dtype: 'float32', seed: 9, block });
  assert.ok(r.traj instanceof Float32Array);
  assert.equal(r.traj.length, (steps + 1) * block * block);
  const end = steps * block * block;
  for (let i = 0; i < block; i++) {
    for (let j = 0; j < block; j++) {
      assert.equal(r.traj[i * block + j], r.first[i * n + j], `step 0 (${i},${j})`);
      assert.equal(r.traj[end + i * block + j], r.last[i * n + j], `step ${steps} (${i},${j})`);
    }
  }
  assert.equal(core.matprod({ n, steps, seed: 9 }).traj.length, 0, 'block 0 → no trajectory');
  assert.equal(core.matprod({ n, steps: 2, seed: 9, block: n }).traj.length, 3 * n * n, 'block n → the whole matrix');
});

test('steps 0 gives just M_0: one norm, first equals last', () => {
  const r = core.matprod({ n: 3, steps: 0, seed: 4 });
  assert.equal(r.norms.length, 1);
  assert.deepEqual(r.first, r.last);
  assert.equal(r.overflowStep, null);
});

// ---- validation ---------------------------------------------------------------------

const BAD = [
  ['n 0', () => core.matprod({ n: 0 })],
  ['n 65', () => core.matprod({ n: 65 })],
  ['n 4.5', () => core.matprod({ n: 4.5 })],
  ['steps −1', () => core.matprod({ steps: -1 })],
  ['steps 10001', () => core.matprod({ steps: 10001 })],
  ['sigma 0', () => core.matprod({ sigma: 0 })],
  ['sigma −1', () => core.matprod({ sigma: -1 })],
  ['sigma NaN', () => core.matprod({ sigma: NaN })],
  ['sigma Infinity', () => core.matprod({ sigma: Infinity })],
  ['seed −1', () => core.matprod({ seed: -1 })],
  ['seed 1.5', () => core.matprod({ seed: 1.5 })],
  ['seed NaN', () => core.matprod({ seed: NaN })],
  ['block > n', () => core.matprod({ n: 4, block: 5 })],
  ['unknown ensemble', () => core.matprod({ ensemble: 'unitary' })],
  ['unknown dtype', () => core.matprod({ dtype: 'float16' })],
  ['ensemble: trials 0', () => core.matprodEnsemble({ trials: 0, steps: 5 })],
  ['ensemble: trials 100001', () => core.matprodEnsemble({ trials: 100001, steps: 1 })],
  ['ensemble: n 0', () => core.matprodEnsemble({ n: 0, steps: 5 })],
  ['ensemble: n 65', () => core.matprodEnsemble({ n: 65, steps: 5 })],
  ['ensemble: sigma 0', () => core.matprodEnsemble({ sigma: 0, steps: 5 })],
  ['ensemble: seed 1.5', () => core.matprodEnsemble({ seed: 1.5, steps: 5 })],
  ['ensemble: fan > trials', () => core.matprodEnsemble({ trials: 3, fan: 4, steps: 5 })],
  ['ensemble: unknown ensemble', () => core.matprodEnsemble({ ensemble: 'foo', steps: 5 })],
  ['theory: n 0', () => core.matprodTheory({ n: 0 })],
  ['theory: sigma NaN', () => core.matprodTheory({ sigma: NaN })],
  ['theory: unknown ensemble', () => core.matprodTheory({ ensemble: 'foo' })],
];

test('bad inputs throw a CoreError with status 1 or 2 and a message', () => {
  for (const [what, call] of BAD) {
    assert.throws(call, (e) => {
      assert.ok(e instanceof CoreError, `${what}: ${e && e.name}`);
      assert.ok(e.status === 1 || e.status === 2, `${what}: status ${e.status}`);
      assert.ok(typeof e.message === 'string' && e.message.length > 5, `${what}: message '${e.message}'`);
      return true;
    }, what);
  }
});

test('the error message names the offending argument', () => {
  assert.throws(() => core.matprod({ sigma: 0 }), /sigma/);
  assert.throws(() => core.matprod({ n: 65 }), /\bn\b.*65/);
  assert.throws(() => core.matprod({ seed: 1.5 }), /seed/);
  assert.throws(() => core.matprodEnsemble({ trials: 0, steps: 3 }), /trials/);
  assert.throws(() => core.matprod({ ensemble: 'foo' }), /ensemble 'foo'/);
});

test('a failed call leaks nothing and the core keeps working', () => {
  const before0 = core.allocs - core.frees;
  for (const [, call] of BAD) { try { call(); } catch { /* expected */ } }
  core.matprod({ steps: 10, block: 2 });
  core.matprodEnsemble({ steps: 10, trials: 4, fan: 2 });
  assert.equal(core.allocs - core.frees, before0, 'every _malloc through the wrapper is freed');
  assert.equal(core.matprod({ steps: 100, seed: 0 }).norms.length, 101);
});

// Non-integer sizes would reach the C core through wasm's ToInt32 and be
// silently truncated (trials 1.5 → 1, n 4.5 → 4): the wrapper must refuse them.
test('non-integer n or trials are rejected by matprodEnsemble and matprodTheory', () => {
  assert.throws(() => core.matprodEnsemble({ trials: 1.5, steps: 5 }), CoreError);
  assert.throws(() => core.matprodEnsemble({ n: 4.5, steps: 5 }), CoreError);
  assert.throws(() => core.matprodTheory({ n: 4.5 }), CoreError);
});
