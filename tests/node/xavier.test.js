// xavier.test.js — the Xavier derivation through the wasm wrapper
// (core.xavierCheck): its Monte-Carlo figures agree with its formulas within
// 4 standard errors (fixed seeds: nothing flakes; the errors are checked to be
// small: nothing passes vacuously), disagree with d2l's formula by many SE
// where an assumption breaks, bad input throws the core's message, and no
// buffer leaks.  Runs against GRADLAB_BUILD=release and =debug.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../lib/node-core.js';
import { XAVIER_WEIGHT_DISTS, XD_DISTS, XAVIER_STATS, LIMITS } from '../../web/core.js';
import { verdict, AGREE_SE } from '../../web/lessons/xavier/agree.js';
import { assertCoreError, watchSanitizers } from './helpers.js';

const sanitizerReports = watchSanitizers();
const core = await loadCore();
// The debug build (ASan, -O1) is ~10× slower: fewer products per trial there.
const DEBUG = process.env.GRADLAB_BUILD === 'debug';
const N_IN = DEBUG ? 32 : 128;

/** measured within k SE of formula, and SE at most rel of the formula's scale. */
function within(S, m, se, f, { k = 4, rel = 0.1, label }) {
  const gap = Math.abs(S[m] - f);
  assert.ok(S[se] >= 0 && S[se] <= rel * Math.abs(f || 1), `${label}: ${se} ${S[se]} is not small next to ${f}`);
  assert.ok(gap <= k * S[se] + 1e-7 * Math.abs(f), `${label}: ${m} ${S[m]} is ${(gap / S[se]).toFixed(1)} SE from ${f}`);
}

function agreesEverywhere(S, label) {
  within(S, 'o_mean', 'o_mean_se', 0, { label, rel: 0.05 * Math.sqrt(S.th_o_var) });
  within(S, 'o_var', 'o_var_se', S.th_o_var, { label });
  within(S, 'g_var', 'g_var_se', S.th_g_var, { label });
  within(S, 'w_var', 'w_var_se', S.sigma ** 2, { label, rel: 0.05 });
  within(S, 'x_sq', 'x_sq_se', S.th_x_sq, { label, rel: 0.05 });
}

test('the vocabulary: five families, the first four (zero-mean) for weights, one stat per name', () => {
  assert.deepEqual(XD_DISTS, ['normal', 'uniform', 'rademacher', 'laplace', 'relu_normal']);
  assert.deepEqual(XAVIER_WEIGHT_DISTS, ['normal', 'uniform', 'rademacher', 'laplace']);
  assert.equal(XAVIER_STATS.length, 27);
  assert.equal(LIMITS.xavierMaxDraws, 2 ** 26);
});

test('Var[o] = n_in σ² γ² and Var[∂L/∂x] = n_out σ² δ² within 4 SE for every weight family against every zero-mean input family', () => {
  for (const wDist of XAVIER_WEIGHT_DISTS) {
    for (const xDist of XAVIER_WEIGHT_DISTS) {
      const { stats: S } = core.xavierCheck({ nIn: N_IN, nOut: 32, wDist, xDist, gamma: 1.5, delta: 0.5, samples: 10000, seed: 7 });
      assert.equal(S.th_o_var, S.th_o_var_d2l); // d2l's assumptions hold: the formulas coincide
      assert.ok(Math.abs(S.th_o_var - N_IN * S.sigma ** 2 * 2.25) < 1e-12);
      agreesEverywhere(S, `w ${wDist}, x ${xDist}`);
    }
  }
});

test('Xavier σ: √(2/(n_in + n_out)), bound √(6/(n_in + n_out)); for 1024 → 64 the factors are 1.88 and 0.118', () => {
  const { stats: S } = core.xavierCheck({ nIn: 1024, nOut: 64, samples: 2 });
  assert.ok(Math.abs(S.sigma - Math.sqrt(2 / 1088)) < 1e-15);
  assert.ok(Math.abs(S.xavier_bound - Math.sqrt(6 / 1088)) < 1e-15);
  assert.equal(S.fwd_factor.toFixed(2), '1.88');
  assert.equal(S.bwd_factor.toFixed(3), '0.118');
});

test('x ~ N(1, 1): E[o] is still 0 but Var[o] = n_in σ² (γ² + μ²), many SE from d2l\'s n_in σ² γ²', () => {
  const { stats: S } = core.xavierCheck({ nIn: N_IN, nOut: 32, mu: 1, samples: 20000, seed: 3 });
  assert.ok(Math.abs(S.th_o_var - 2 * S.th_o_var_d2l) < 1e-12);
  agreesEverywhere(S, 'mu 1');
  assert.ok(Math.abs(S.o_var - S.th_o_var_d2l) > 20 * S.o_var_se);
  assert.equal(verdict(S.o_var, S.o_var_se, S.th_o_var_d2l).agree, false);
  assert.equal(verdict(S.o_var, S.o_var_se, S.th_o_var).agree, true);
});

test('x = ReLU(z), z ~ N(0, γ²): E[x²] = ½γ², which is why Kaiming takes σ² = 2/n_in', () => {
  const { stats: S } = core.xavierCheck({ nIn: N_IN, nOut: 32, xDist: 'relu_normal', gamma: 2, samples: 20000, seed: 4 });
  assert.ok(Math.abs(S.th_x_sq - 2) < 1e-12);
  agreesEverywhere(S, 'relu');
  assert.ok(Math.abs(S.o_var - S.th_o_var_d2l) > 20 * S.o_var_se);
  const k = core.xavierCheck({ nIn: N_IN, nOut: 32, sigma: Math.sqrt(2 / N_IN), xDist: 'relu_normal', samples: 20000, seed: 5 }).stats;
  within(k, 'o_var', 'o_var_se', 1, { label: 'kaiming keeps E[z²] = 1' });
});

test('correlated inputs alone change nothing; correlated weights and inputs add n(n − 1) ρ_w σ² ρ_x γ²', () => {
  const alone = core.xavierCheck({ nIn: 64, nOut: 16, rhoX: 1, samples: 20000, seed: 8 }).stats;
  assert.equal(alone.th_o_var, alone.th_o_var_d2l);
  agreesEverywhere(alone, 'rho_x 1');
  const both = core.xavierCheck({ nIn: 16, nOut: 16, rhoW: 0.5, rhoX: 0.5, samples: DEBUG ? 20000 : 100000, seed: 9 }).stats;
  assert.ok(Math.abs(both.th_o_var - 16 * both.sigma ** 2 * (1 + 15 * 0.25)) < 1e-12);
  agreesEverywhere(both, 'rho 0.5, 0.5');
  assert.ok(Math.abs(both.o_var - both.th_o_var_d2l) > 10 * both.o_var_se);
});

test('float64 agrees too, and the same seed gives the same figures in both builds\' sense (deterministic)', () => {
  const a = core.xavierCheck({ nIn: 64, nOut: 64, sigma: 0.2, dtype: 'float64', samples: 5000, seed: 11, bins: 20 });
  const b = core.xavierCheck({ nIn: 64, nOut: 64, sigma: 0.2, dtype: 'float64', samples: 5000, seed: 11, bins: 20 });
  assert.deepEqual(a, b);
  agreesEverywhere(a.stats, 'float64');
  assert.equal(a.hist.counts.reduce((x, y) => x + y, 0), 5000);
  assert.ok(Math.abs(a.hist.hi - 4 * Math.sqrt(a.stats.th_o_var)) < 1e-12 && a.hist.lo === -a.hist.hi);
});

test('the view\'s verdict: within 3 SE agrees, beyond disagrees; a figure with no spread agrees only to rounding', () => {
  assert.equal(AGREE_SE, 3);
  assert.deepEqual(verdict(1.02, 0.01, 1), { z: 2.0000000000000018, agree: true });
  assert.equal(verdict(1.04, 0.01, 1).agree, false);
  assert.equal(verdict(0.00625 * (1 - 1e-8), 0, 0.00625).agree, true);
  assert.equal(verdict(0.0063, 0, 0.00625).agree, false);
});

test('bad input throws the core\'s message: n_in 0, negative σ, relu weights, ρ > 1, absurd work', () => {
  assertCoreError(() => core.xavierCheck({ nIn: 0, nOut: 4 }), 1, /n_in must be at least 1/);
  assertCoreError(() => core.xavierCheck({ nIn: 4, nOut: 4, sigma: -1 }), 1, /sigma must be finite and >= 0/);
  assertCoreError(() => core.xavierCheck({ nIn: 4, nOut: 4, wDist: 'relu_normal' }), 1, /weights must be zero-mean/);
  assertCoreError(() => core.xavierCheck({ nIn: 4, nOut: 4, rhoW: 1.5 }), 1, /rho_w must be in \[0, 1\]/);
  assertCoreError(() => core.xavierCheck({ nIn: 4, nOut: 4, gamma: NaN }), 1, /gamma must be finite/);
  assertCoreError(() => core.xavierCheck({ nIn: 4, nOut: 4, seed: -1 }), 1, /seed/);
  assertCoreError(() => core.xavierCheck({ nIn: 65536, nOut: 65536, samples: 1000 }), 2, /131072000 draws, more than the cap of 67108864/);
  assertCoreError(() => core.xavierCheck({ nIn: 4, nOut: 4, samples: 1 }), 1, /samples must be at least 2/);
  assertCoreError(() => core.xavierCheck({ nIn: 4, nOut: 4, xDist: 'cauchy' }), 1, /unknown input distribution 'cauchy'/);
  // past the JS checks, the C function refuses on its own (GL_ERANGE past the samples limit)
  const M = core.M;
  const cfg = M._malloc(8 * 13), st = M._malloc(8 * 27);
  try {
    M.HEAPF64.set([4, 4, NaN, 0, 0, 0, 1, 0, 0, 1, LIMITS.xavierMaxSamples + 1, 0, 0], cfg / 8);
    assert.equal(M._gl_xavier_check(cfg, st, 0, 0, 0), 2);
    M.HEAPF64[cfg / 8 + 10] = LIMITS.xavierMaxSamples; // at the limit: 8·10⁶ draws pass
    assert.equal(M._gl_xavier_check(cfg, st, 0, 0, 0), 0);
  } finally {
    M._free(cfg);
    M._free(st);
  }
});

test('no buffer leaks: every call, successful or refused in C, frees what it allocated', () => {
  const a0 = core.allocs, f0 = core.frees;
  core.xavierCheck({ nIn: 8, nOut: 8, samples: 100, bins: 10 });
  assert.deepEqual([core.allocs - a0, core.frees - f0], [4, 4]); // cfg, stats, hist, range
  assertCoreError(() => core.xavierCheck({ nIn: 8, nOut: 8, sigma: -1, bins: 10 }));
  assertCoreError(() => core.xavierCheck({ nIn: 0, nOut: 8 })); // refused in JS: no malloc
  assert.deepEqual([core.allocs - a0, core.frees - f0], [8, 8]);
  const heap = core.heapBytes();
  for (let i = 0; i < 200; i++) {
    core.xavierCheck({ nIn: 8, nOut: 8, samples: 50, bins: i % 3 ? 10 : 0, seed: i });
    try { core.xavierCheck({ nIn: 8, nOut: 8, rhoX: 2 }); } catch { /* refused */ }
  }
  assert.equal(core.allocs, core.frees);
  assert.equal(core.heapBytes(), heap);
});

test('the sanitizers of the debug build reported nothing during this file', () => {
  assert.deepEqual(sanitizerReports, []);
});
