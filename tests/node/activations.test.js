// activations.test.js — the six activations, their gradients, the Vanishing
// panel's curve and the chain of stacked activations, against independent
// closed forms written here.  Runs against the build chosen by GRADLAB_BUILD.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../lib/node-core.js';
import { watchSanitizers, assertCoreError } from './helpers.js';
import { ACTIVATIONS, CoreError } from '../../web/core.js';

const sanitizerReports = watchSanitizers();

const core = await loadCore();

// ---- an independent reference: erf, Φ, φ and the six φ, φ' in float64 --------

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** erf(x) for |x| < 1 by the series (A&S 7.1.6) e^{−x²}·Σ 2ⁿx^{2n+1}/(1·3···(2n+1)):
 * every term is positive, so there is no cancellation; ~1e-16 relative. */
function erfSeries(x) {
  if (x < 0) return -erfSeries(-x);
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 100 && term > sum * 1e-17; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc(x) for x ≥ 1 by the continued fraction (A&S 7.1.14)
 * erfc x = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))), evaluated
 * bottom-up from depth 300: at x = 1 it has converged to the last bit by
 * depth 200 (checked against mpmath), faster for larger x. */
function erfcFraction(x) {
  let f = x;
  for (let k = 300; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

function erfc(x) {
  if (x <= -1) return 2 - erfcFraction(-x);
  return x < 1 ? 1 - erfSeries(x) : erfcFraction(x);
}
function erf(x) {
  return Math.abs(x) < 1 ? erfSeries(x) : Math.sign(x) * (1 - erfcFraction(Math.abs(x)));
}
/** Standard normal CDF and density; Φ via erfc keeps the left tail relative-accurate. */
const Phi = (x) => 0.5 * erfc(-x / Math.SQRT2);
const phi = (x) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/** σ(x) and σ'(x) = e^{−|x|}/(1 + e^{−|x|})², accurate in both tails. */
const sigmoid = (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const dsigmoid = (x) => {
  const e = Math.exp(-Math.abs(x));
  return e / (1 + e) ** 2;
};

/** [φ, φ'] per activation; relu'(0) = 0 and leaky_relu'(0) = 0.01 as PyTorch. */
const REF = {
  sigmoid: [sigmoid, dsigmoid],
  tanh: [Math.tanh, (x) => 1 / Math.cosh(x) ** 2],
  relu: [(x) => (x > 0 ? x : 0), (x) => (x > 0 ? 1 : 0)],
  leaky_relu: [(x) => (x > 0 ? x : 0.01 * x), (x) => (x > 0 ? 1 : 0.01)],
  gelu: [(x) => x * Phi(x), (x) => Phi(x) + x * phi(x)],
  linear: [(x) => x, () => 1],
};

// ---- tolerances -------------------------------------------------------------
//
// float32: the core computes in float arithmetic (expf, tanhf, erff), so each
// value carries a few roundings of unit roundoff u = 2⁻²⁴ relative to itself:
// 4u·|ref|.  The gradients computed from the saved output — σ' = y(1 − y),
// tanh' = 1 − y² — and gelu's ½(1 + erf) are differences of O(1) floats, so
// their error is absolute, not relative: with y correctly rounded (error ≤
// 2⁻²⁵ near 1) 1 − y² is off by ≤ 2·2⁻²⁵ + ½ulp(y²) = 1.5·2⁻²⁴; 2⁻²³ covers
// that plus a fraction of an ulp of libm error (≈ 1.2e-7, the "abs 1e-7").
// float64: 1e-12 relative (≈ 4500 ulp: room for libm differences, far below
// any modelling error), plus the same absolute cancellation term in double:
// gelu = ½x(1 + erf(x/√2)) is off by ≤ ½|x|·2 ulp(1), i.e. 4ε·max(1, |x|).
const U32 = 2 ** -24;
const EPS = 2 ** -52;
const tol32 = (ref) => 4 * U32 * Math.abs(ref) + 2 ** -23;
const tol64 = (ref, x) => 1e-12 * Math.abs(ref) + 4 * EPS * Math.max(1, Math.abs(x));

function assertClose(actual, expected, tol, what) {
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${what}: got ${actual}, expected ${expected} (|diff| ${Math.abs(actual - expected)} > tol ${tol})`,
  );
}

// ---- the reference itself -----------------------------------------------------

test('the reference erf/erfc written here matches mpmath to ~1e-15', () => {
  // Values from mpmath at 30 digits.
  const table = [
    [erf(0.5), 0.520499877813046537682746653892],
    [erf(1), 0.842700792949714869341220635083],
    [erf(2), 0.995322265018952734162069256367],
    [erf(-2), -0.995322265018952734162069256367],
    [erfc(0.5), 0.479500122186953462317253346108],
    [erfc(1.5), 0.0338948535246892729330237383541],
    [erfc(3), 2.20904969985854413727761295823e-5],
    [erfc(5), 1.53745979442803485018834348538e-12],
    [erfc(10), 2.08848758376254475700078629496e-45],
  ];
  for (const [got, want] of table) assertClose(got, want, 2e-15 * Math.abs(want), `reference ${want}`);
});

// ---- the Vanishing panel's curve ------------------------------------------------

test('sigmoid curve over arange(−8, 8, 0.1) has 160 points starting at x = −8', () => {
  for (const dtype of ['float32', 'float64']) {
    const c = core.activationCurve({ act: 'sigmoid', dtype });
    for (const a of [c.x, c.y, c.grad]) assert.equal(a.length, 160);
    assert.ok(c.x instanceof (dtype === 'float32' ? Float32Array : Float64Array));
    assert.equal(c.x[0], -8);
  }
});

test('x follows torch.arange: x_i = from + i·step in float64, then rounded to the dtype', () => {
  const f32 = core.activationCurve({ act: 'sigmoid', dtype: 'float32' });
  const f64 = core.activationCurve({ act: 'sigmoid', dtype: 'float64' });
  for (let i = 0; i < 160; i++) {
    assert.equal(f32.x[i], Math.fround(-8 + i * 0.1), `float32 x[${i}]`);
    assert.equal(f64.x[i], -8 + i * 0.1, `float64 x[${i}]`);
  }
  // Not the accumulated sum x_{i+1} = x_i + step, which drifts in float32.
  assert.equal(f32.x[1], Math.fround(-7.9));
  const rev = core.activationCurve({ act: 'linear', dtype: 'float64', from: 1, to: 0, step: -0.25 });
  assert.deepEqual(Array.from(rev.x), [1, 0.75, 0.5, 0.25]);
});

test('sigmoid gradient peaks at exactly 0.25 at x = 0 (argmax index 80)', () => {
  for (const dtype of ['float32', 'float64']) {
    const c = core.activationCurve({ act: 'sigmoid', dtype });
    assert.equal(c.argmax, 80);
    assert.equal(c.x[80], 0);
    assert.equal(c.grad[80], 0.25);
    assert.equal(Math.max(...c.grad), 0.25);
    assert.equal(c.y[80], 0.5);
  }
});

test("sigmoid'(−8) ≈ 3.3524e-4: the gradient has all but vanished at the ends of the plot", () => {
  const exact = 3.35237670756474219992554725833e-4; // e⁻⁸/(1 + e⁻⁸)², mpmath
  const f64 = core.activationCurve({ act: 'sigmoid', dtype: 'float64' });
  const f32 = core.activationCurve({ act: 'sigmoid', dtype: 'float32' });
  assertClose(f64.grad[0], exact, tol64(exact, 8), 'float64 grad[0]');
  assertClose(f32.grad[0], exact, tol32(exact), 'float32 grad[0]');
  // Symmetric: σ'(x) = σ'(−x); x[159] = 7.9 is the last point.
  assertClose(f64.grad[159], dsigmoid(7.9), tol64(dsigmoid(7.9), 8), 'float64 grad[159]');
  assert.ok(f64.grad[0] / f64.grad[80] < 1.35e-3, 'σ\'(−8)/σ\'(0) < 1/745');
});

for (const act of ACTIVATIONS) {
  const [f, df] = REF[act];
  test(`${act}: curve y and grad match the closed form (float32 few ulp + 2^-23 abs; float64 1e-12 rel)`, () => {
    for (const dtype of ['float32', 'float64']) {
      const c = core.activationCurve({ act, dtype });
      for (let i = 0; i < c.x.length; i++) {
        const x = c.x[i]; // the reference is evaluated at the core's (rounded) x
        const tol = dtype === 'float32' ? tol32 : (r) => tol64(r, x);
        assertClose(c.y[i], f(x), tol(f(x)), `${act} ${dtype} y at x = ${x}`);
        assertClose(c.grad[i], df(x), tol(df(x)), `${act} ${dtype} grad at x = ${x}`);
      }
    }
  });

  test(`${act}: forward and backward match the closed form on 4001 points in [−10, 10]`, () => {
    const x64 = Float64Array.from({ length: 4001 }, (_, i) => -10 + i * 0.005);
    for (const x of [Float32Array.from(x64), x64]) {
      const f32 = x instanceof Float32Array;
      const g = x.map((_, i) => 1 + (i % 7) / 8); // a non-trivial upstream gradient, exact in both dtypes
      const y = core.forward(act, x);
      const dx = core.backward(act, x, g);
      assert.equal(y.constructor, x.constructor);
      assert.equal(dx.constructor, x.constructor);
      for (let i = 0; i < x.length; i++) {
        const ry = f(x[i]);
        const rdx = g[i] * df(x[i]); // the VJP g ⊙ φ'(x); g ≤ 2 doubles the absolute term
        const tolY = f32 ? tol32(ry) : tol64(ry, x[i]);
        const tolDx = f32 ? 4 * U32 * Math.abs(rdx) + 2 * 2 ** -23 : tol64(rdx, x[i]) * 2;
        assertClose(y[i], ry, tolY, `${act} y at ${x[i]}`);
        assertClose(dx[i], rdx, tolDx, `${act} dx at ${x[i]}`);
      }
    }
  });
}

test("the backward pass agrees with central finite differences of the core's own forward (float64, h = 1e-6)", () => {
  // 400 points offset from the grid so none lies within h of relu's kink at 0.
  const h = 1e-6;
  const x = Float64Array.from({ length: 400 }, (_, i) => -7.99 + i * 0.04 + 0.0013);
  const xp = x.map((v) => v + h);
  const xm = x.map((v) => v - h);
  for (const act of ACTIVATIONS) {
    const yp = core.forward(act, xp);
    const ym = core.forward(act, xm);
    const g = core.backward(act, x, new Float64Array(x.length).fill(1));
    for (let i = 0; i < x.length; i++) {
      // Divide by the representable step xp − xm, not 2h.  Error budget:
      // truncation h²/6·|φ'''| ≤ h²/3 (|φ'''| ≤ 2, attained by tanh at 0), and
      // rounding: each forward value is off by ≤ 4ε·max(1, |x|, |φ|) (the
      // cancellation term above), divided by 2h, twice.
      const fd = (yp[i] - ym[i]) / (xp[i] - xm[i]);
      const tol = (h * h) / 3 + (8 * EPS * Math.max(1, Math.abs(x[i]), Math.abs(yp[i]))) / h;
      assertClose(g[i], fd, tol, `${act} at x = ${x[i]}`);
    }
  }
});

test('sigmoid saturates without overflow: σ(1000) = 1, σ(−1000) = 0, gradients exactly 0, no NaN', () => {
  for (const T of [Float32Array, Float64Array]) {
    const x = T.from([1000, -1000]);
    const y = core.forward('sigmoid', x);
    const dx = core.backward('sigmoid', x, T.from([1, 1]));
    assert.deepEqual(Array.from(y), [1, 0], `${T.name} forward`);
    for (const v of dx) {
      assert.ok(Number.isFinite(v), `${T.name} backward is finite`);
      assert.equal(v, 0, `${T.name} backward: the true σ'(±1000) ≈ e^-1000 underflows to 0`);
    }
  }
});

test('every activation is finite (never NaN) at x = ±1000 in both dtypes', () => {
  for (const act of ACTIVATIONS) {
    for (const T of [Float32Array, Float64Array]) {
      const x = T.from([-1000, 1000]);
      const y = core.forward(act, x);
      const dx = core.backward(act, x, T.from([1, 1]));
      for (const v of [...y, ...dx]) assert.ok(Number.isFinite(v), `${act} ${T.name}: ${v}`);
      assertClose(y[0], REF[act][0](-1000), 1e-12 * 1000, `${act} ${T.name} φ(−1000)`);
      assertClose(y[1], REF[act][0](1000), 1e-12 * 1000, `${act} ${T.name} φ(1000)`);
      // Exact, after rounding the reference to the dtype (0.01 in float32);
      // === so that gelu's −0 (−1000·φ(−1000), underflowed) counts as 0.
      assert.ok(dx[0] === T.of(REF[act][1](-1000))[0], `${act} ${T.name} φ'(−1000) = ${dx[0]}`);
      assert.ok(dx[1] === T.of(REF[act][1](1000))[0], `${act} ${T.name} φ'(1000) = ${dx[1]}`);
    }
  }
});

test("relu'(0) = 0 and leaky_relu'(0) = 0.01, as PyTorch", () => {
  for (const T of [Float32Array, Float64Array]) {
    assert.equal(core.backward('relu', T.from([0]), T.from([1]))[0], 0);
    assert.equal(core.backward('leaky_relu', T.from([0]), T.from([1]))[0], T.from([0.01])[0]);
  }
  for (const dtype of ['float32', 'float64']) {
    const relu = core.activationCurve({ act: 'relu', dtype });
    assert.equal(relu.x[80], 0);
    assert.equal(relu.grad[80], 0);
    assert.equal(relu.grad[81], 1);
    assert.equal(relu.argmax, 81, 'the first x > 0');
    const leaky = core.activationCurve({ act: 'leaky_relu', dtype });
    assert.equal(leaky.grad[80], dtype === 'float32' ? Math.fround(0.01) : 0.01);
  }
});

test('maxGrad: sigmoid 0.25, tanh/relu/leaky_relu/linear 1, gelu Φ(√2) + √2·φ(√2) ≈ 1.1289', () => {
  assert.equal(core.maxGrad('sigmoid'), 0.25);
  for (const act of ['tanh', 'relu', 'leaky_relu', 'linear']) assert.equal(core.maxGrad(act), 1, act);
  // gelu'' = φ(x)(2 − x²) vanishes at x = √2, where gelu' = Φ(√2) + √2·φ(√2).
  const s = Math.SQRT2;
  const want = Phi(s) + s * phi(s);
  assertClose(want, 1.12890414518515478634074444226, 4 * EPS, 'reference gelu max (mpmath)');
  assertClose(core.maxGrad('gelu'), want, 4 * EPS, 'core gelu max');
});

test('no curve gradient exceeds maxGrad, and gelu reaches it near x = √2', () => {
  for (const act of ACTIVATIONS) {
    const c = core.activationCurve({ act, dtype: 'float64', from: -8, to: 8, step: 0.001 });
    const m = core.maxGrad(act);
    assert.ok(c.grad[c.argmax] <= m * (1 + 4 * EPS), `${act}: ${c.grad[c.argmax]} > ${m}`);
    assert.equal(c.grad[c.argmax], Math.max(...c.grad));
    // On a 0.001 grid the sampled maximum is within ½·|φ''|·(0.0005)² of the
    // true one for smooth φ; sigmoid/tanh attain it at the grid point 0.
    assert.ok(m - c.grad[c.argmax] <= 1e-6, `${act}: max sampled ${c.grad[c.argmax]} vs ${m}`);
  }
  const gelu = core.activationCurve({ act: 'gelu', dtype: 'float64', from: -8, to: 8, step: 0.001 });
  assert.ok(Math.abs(gelu.x[gelu.argmax] - Math.SQRT2) < 0.001);
});

// ---- the chain of stacked activations ------------------------------------------

test('chainGrad bound[l] = 0.25^(l+1) for sigmoid and maxGrad^(l+1) in general', () => {
  const depth = 30;
  for (const act of ACTIVATIONS) {
    const r = core.chainGrad({ act, depth, samples: 100, seed: 3 });
    for (const k of ['bound', 'mean', 'median', 'zero']) assert.equal(r[k].length, depth, `${act} ${k}`);
    for (let l = 0; l < depth; l++) {
      const want = core.maxGrad(act) ** (l + 1);
      assert.ok(Math.abs(r.bound[l] - want) <= 4 * EPS * want * (l + 1), `${act} bound[${l}]`);
    }
  }
  const s = core.chainGrad({ act: 'sigmoid', depth, samples: 100, seed: 3 });
  for (let l = 0; l < depth; l++) assert.equal(s.bound[l], 0.25 ** (l + 1)); // powers of 2: exact
});

test('sigmoid and tanh chains: mean and median |gradient| never exceed the bound', () => {
  // |g_l| = Π φ'(x_k) ≤ (max φ')^l pointwise; the bounds are powers of 2 (or 1)
  // and rounding is monotone, so the comparison holds exactly, in float32 too.
  for (const act of ['sigmoid', 'tanh']) {
    for (const dtype of ['float32', 'float64']) {
      const r = core.chainGrad({ act, dtype, depth: 25, samples: 2000, seed: 11 });
      for (let l = 0; l < 25; l++) {
        assert.ok(r.mean[l] <= r.bound[l], `${act} ${dtype} mean[${l}]`);
        assert.ok(r.median[l] <= r.bound[l], `${act} ${dtype} median[${l}]`);
        assert.ok(r.mean[l] > 0 && r.zero[l] === 0, `${act} ${dtype} layer ${l}: no gradient is exactly 0`);
        if (l > 0) assert.ok(r.mean[l] <= r.mean[l - 1], `${act} ${dtype}: mean shrinks with depth`);
      }
    }
  }
});

/** ∫ f(z)φ(z) dz over [−12, 12] by composite Simpson with 24000 intervals. */
function normalExpect(f) {
  const n = 24000;
  const a = -12;
  const h = 24 / n;
  let s = f(a) * phi(a) + f(-a) * phi(-a);
  for (let i = 1; i < n; i++) {
    const z = a + i * h;
    s += (i % 2 ? 4 : 2) * f(z) * phi(z);
  }
  return (s * h) / 3;
}

test('first sigmoid layer: mean and median |σ\'(x)|, x ~ N(0,1), match the population within 4 standard errors', () => {
  const n = 2000;
  const popMean = normalExpect(dsigmoid); // E σ'(Z) ≈ 0.2066
  assertClose(popMean, 0.206620964141907037262350828718, 1e-12, 'quadrature (mpmath value)');
  const popVar = normalExpect((z) => dsigmoid(z) ** 2) - popMean ** 2;
  // σ' is decreasing in |x|, so median σ'(X) = σ'(q) with q the median of
  // |X|, q = Φ⁻¹(0.75); by the delta method, SE(median) = |σ''(q)|·SE(median
  // |X|) and SE(median |X|) = √(¼/n)/f_|X|(q), f_|X|(q) = 2φ(q).
  let lo = 0;
  let hi = 2;
  for (let i = 0; i < 60; i++) (Phi((lo + hi) / 2) < 0.75 ? (lo = (lo + hi) / 2) : (hi = (lo + hi) / 2));
  const q = lo;
  const popMedian = dsigmoid(q);
  const d2 = dsigmoid(q) * (1 - 2 * sigmoid(q));
  const seMedian = (Math.abs(d2) * Math.sqrt(0.25 / n)) / (2 * phi(q));
  const seMean = Math.sqrt(popVar / n);
  for (const dtype of ['float32', 'float64']) {
    const r = core.chainGrad({ act: 'sigmoid', dtype, depth: 1, samples: n, seed: 5 });
    assertClose(r.mean[0], popMean, 4 * seMean, `${dtype} mean (SE ${seMean})`);
    assertClose(r.median[0], popMedian, 4 * seMedian, `${dtype} median (SE ${seMedian})`);
    // σ'(X) is left-skewed (piled up just below ¼): median > mean, with the
    // population gap 0.017 ≫ 4 SE of either.
    assert.ok(r.median[0] > r.mean[0]);
  }
});

test('deep sigmoid chains shrink by σ\'(x*) per layer, x* = σ(x*) ≈ 0.659 the fixed point', () => {
  // After the first layer x ∈ (0, 1); x_{l+1} = σ(x_l) contracts to x* at rate
  // σ'(x*) ≈ 0.22 per layer, so by layer 20 every sample sits at x* to ~1e-13
  // and each further layer multiplies every |g| — hence the mean — by σ'(x*).
  let xs = 0.5;
  for (let i = 0; i < 200; i++) xs = sigmoid(xs);
  assertClose(xs, 0.659046068407406660984386495929, 1e-15, 'fixed point (mpmath)');
  const rate = dsigmoid(xs);
  for (const [dtype, rel] of [['float64', 1e-12], ['float32', 1e-6]]) {
    // float32: x* and σ' are only known to a few float32 ulps (2⁻²⁴ ≈ 6e-8).
    const r = core.chainGrad({ act: 'sigmoid', dtype, depth: 40, samples: 500, seed: 9 });
    for (let l = 20; l < 40; l++) {
      assertClose(r.mean[l] / r.mean[l - 1], rate, rel * rate, `${dtype} layer ${l + 1}`);
      assertClose(r.median[l] / r.mean[l], r.median[19] / r.mean[19], rel, `${dtype} median/mean ratio is frozen`);
    }
  }
});

test('relu chain: about half the gradients are exactly zero (within 4 binomial SE), at every depth', () => {
  const n = 2000;
  // P(x ≤ 0) = ½ for N(0,1) and U[−1,1); the zero count is Binomial(n, ½),
  // SE = √(¼/n) ≈ 0.011.  A relu passes positive inputs unchanged with
  // gradient 1, so the same samples stay dead or alive through every layer.
  const se = Math.sqrt(0.25 / n);
  for (const dtype of ['float32', 'float64']) {
    for (const [dist, a, b] of [['normal', 0, 1], ['uniform', -1, 1]]) {
      const r = core.chainGrad({ act: 'relu', dtype, dist, a, b, depth: 10, samples: n, seed: 21 });
      const z = r.zero[0];
      assertClose(z, 0.5, 4 * se, `${dtype} ${dist} zero fraction`);
      const zeros = Math.round(z * n);
      // |g| is 0 or 1: mean = 1 − zero, and the median (of n even, the average
      // of the two middle order statistics) is 1, ½ or 0 as zeros <, =, > n/2.
      const median = zeros < n / 2 ? 1 : zeros > n / 2 ? 0 : 0.5;
      for (let l = 0; l < 10; l++) {
        assert.equal(r.zero[l], z, `layer ${l + 1}`);
        assertClose(r.mean[l], 1 - z, 4 * EPS, `mean layer ${l + 1}`);
        assert.equal(r.median[l], median);
        assert.equal(r.bound[l], 1);
      }
    }
  }
});

// ---- arange and bad input -----------------------------------------------------

test('arange counts follow torch.arange: ceil((to − from)/step)', () => {
  assert.equal(core.arangeCount(-8, 8, 0.1), 160);
  assert.equal(core.arangeCount(0, 1, 0.3), 4);
  assert.equal(core.arangeCount(1, 0, -0.25), 4);
  assert.equal(core.arangeCount(0, 1, 1), 1);
  assert.equal(core.arangeCount(0, 1e6, 1), 1e6, 'exactly GL_MAX_POINTS is allowed');
});

test('bad arange input throws CoreError with a status and a message', () => {
  assertCoreError(() => core.arangeCount(0, 1, 0), 1, /step/);
  assertCoreError(() => core.activationCurve({ step: 0 }), 1, /step/);
  assertCoreError(() => core.activationCurve({ step: NaN }), 1);
  assertCoreError(() => core.activationCurve({ from: NaN }), 1);
  assertCoreError(() => core.activationCurve({ to: Infinity }), 1);
  assertCoreError(() => core.activationCurve({ step: -0.1 }), 1, /wrong sign|empty/);
  assertCoreError(() => core.activationCurve({ from: 1, to: 1 }), 1);
  assertCoreError(() => core.arangeCount(0, 1e6 + 1, 1), 2, /1000000/);
  assertCoreError(() => core.activationCurve({ from: 0, to: 1, step: 1e-7 }), 2);
});

test('an unknown activation name throws CoreError (status 1) naming the valid ones', () => {
  assertCoreError(() => core.activationCurve({ act: 'bogus' }), 1, /sigmoid/);
  assertCoreError(() => core.forward('bogus', new Float32Array(1)), 1);
  assertCoreError(() => core.backward('swish', new Float32Array(1), new Float32Array(1)), 1);
  assertCoreError(() => core.maxGrad('bogus'), 1);
  assertCoreError(() => core.chainGrad({ act: 'bogus' }), 1);
});

test('chainGrad rejects depth 0 and 1001 and samples 0', () => {
  // The core's convention: below the minimum is invalid (1), above the
  // maximum out of range (2).
  assertCoreError(() => core.chainGrad({ act: 'sigmoid', depth: 0 }), 1, /depth/);
  assertCoreError(() => core.chainGrad({ act: 'sigmoid', depth: 1001 }), 2, /depth/);
  assertCoreError(() => core.chainGrad({ act: 'sigmoid', depth: 5, samples: 0 }), 1, /samples/);
  assertCoreError(() => core.chainGrad({ act: 'sigmoid', depth: 5, samples: 1e6 + 1 }), 2, /samples/);
  assertCoreError(() => core.chainGrad({ act: 'sigmoid', depth: 2.5 }), 1, /depth/);
  assertCoreError(() => core.chainGrad({ act: 'sigmoid', depth: 5, samples: 2.5 }), 1, /samples/);
  assertCoreError(() => core.chainGrad({ act: 'sigmoid', depth: 5, seed: -1 }), 1, /seed/);
  // The core still works after the failures.
  assert.equal(core.chainGrad({ act: 'sigmoid', depth: 1000, samples: 1 }).bound.length, 1000);
});

test('chainGrad in float32 with an odd sample count works (its double scratch must stay 8-byte aligned)', () => {
  // gl_chain_grad puts its double median scratch after 3·samples float32s;
  // for odd samples that offset is 4 mod 8.  Results must be right, and the
  // debug build's UBSan must not see a misaligned access (checked below).
  for (const samples of [1, 3, 101]) {
    const r = core.chainGrad({ act: 'linear', dtype: 'float32', depth: 2, samples, seed: 1 });
    assert.deepEqual(Array.from(r.mean), [1, 1]);
    assert.deepEqual(Array.from(r.median), [1, 1]);
  }
});

test('the sanitizers of the debug build reported nothing during this file', () => {
  assert.deepEqual(sanitizerReports, []);
});
