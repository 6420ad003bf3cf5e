/*
 * fastact.c — float32 tanh and sigmoid without libm, in loops that vectorise.
 *
 * libm's tanhf costs ~20 ns a value under wasm, a quarter of a deep-MLP step.
 * Here every value is computed in float64 with branch-free polynomials and
 * rounded once to float32, so the result is within 1 ulp of the exact
 * function (the float64 error is ~1e-12 relative, far below float32's 6e-8;
 * tests/c/test_fastact.c measures the largest error in ulps over every
 * float32 in a dense range).
 *
 *   expm1(y), |y| ≤ 1.25 : Taylor series to y¹³ (truncation < 1e-10 relative).
 *   exp(y), y ≤ 0       : y = k·ln2 + r, |r| ≤ ln2/2, e^r by Taylor to r¹⁰
 *                         (< 1e-11 relative), 2^k built from its exponent bits.
 *   tanh(x) = sign(x)·(−m)/(2 + m) with m = expm1(−2|x|): no cancellation near
 *   0, and for large |x| m → −1 so tanh → ±1 exactly.
 *   σ(x)   = 1/(1 + e^(−x)) for x ≥ 0 and e^x/(1 + e^x) for x < 0: e^(−|x|) ≤ 1
 *   never overflows; σ(±1000) is exactly 1 and 0.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

#define LN2_HI 6.93147180369123816490e-01 /* ln 2 split so k·LN2_HI is exact */
#define LN2_LO 1.90821492927058770002e-10
#define LOG2E 1.44269504088896338700

/* Taylor coefficients, highest degree first, shared by the scalar and SIMD
 * code so both evaluate the very same polynomials: e^r to r¹⁰ and
 * (e^y − 1)/y to y¹². */
static const double EXP_C[11] = {1.0 / 3628800.0, 1.0 / 362880.0, 1.0 / 40320.0, 1.0 / 5040.0,
                                 1.0 / 720.0,     1.0 / 120.0,    1.0 / 24.0,    1.0 / 6.0,
                                 0.5,             1.0,            1.0};
static const double EXPM1_C[13] = {1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0,
                                   1.0 / 3628800.0,    1.0 / 362880.0,    1.0 / 40320.0,
                                   1.0 / 5040.0,       1.0 / 720.0,       1.0 / 120.0,
                                   1.0 / 24.0,         1.0 / 6.0,         0.5,
                                   1.0};

static inline double horner(const double *c, int n, double x) {
  double p = c[0];
  for (int i = 1; i < n; i++) p = p * x + c[i];
  return p;
}

/* e^y for −745 < y ≤ 0 (y is clamped to −700 below; float32 never needs more). */
static inline double exp_neg(double y) {
  y = y < -700.0 ? -700.0 : y;
  const double kd = (double)(int64_t)(y * LOG2E - 0.5); /* round to nearest for y ≤ 0 */
  const double r = (y - kd * LN2_HI) - kd * LN2_LO;
  const uint64_t bits = (uint64_t)((int64_t)kd + 1023) << 52;
  double scale;
  memcpy(&scale, &bits, sizeof scale);
  return horner(EXP_C, 11, r) * scale;
}

/* e^y − 1 for −1.25 ≤ y ≤ 0 by its Taylor series (Horner, 13 terms). */
static inline double expm1_small(double y) { return horner(EXPM1_C, 13, y) * y; }

static inline float tanh_one(float xf) {
  const double x = (double)xf, a = fabs(x);
  const double y = -2.0 * (a < 20.0 ? a : 20.0); /* tanh(20) rounds to 1 in float64 too */
  const double m = y >= -1.25 ? expm1_small(y) : exp_neg(y) - 1.0;
  return (float)copysign(-m / (2.0 + m), x);
}

static inline float sigmoid_one(float xf) {
  const double x = (double)xf;
  const double e = exp_neg(-fabs(x));
  return (float)(x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e));
}

#ifdef __wasm_simd128__
/* The same arithmetic, two float64 lanes at a time (wasm has no FMA, so each
 * lane computes exactly what the scalar code does). */
#include <wasm_simd128.h>

#define SPLAT wasm_f64x2_splat

static inline v128_t horner_v(const double *c, int n, v128_t x) {
  v128_t p = SPLAT(c[0]);
  for (int i = 1; i < n; i++) p = wasm_f64x2_add(wasm_f64x2_mul(p, x), SPLAT(c[i]));
  return p;
}

static inline v128_t exp_neg_v(v128_t y) {
  y = wasm_f64x2_pmax(y, SPLAT(-700.0)); /* pmax keeps a NaN y (the first operand) */
  const v128_t kd = wasm_f64x2_trunc(wasm_f64x2_sub(wasm_f64x2_mul(y, SPLAT(LOG2E)), SPLAT(0.5)));
  const v128_t r = wasm_f64x2_sub(wasm_f64x2_sub(y, wasm_f64x2_mul(kd, SPLAT(LN2_HI))),
                                  wasm_f64x2_mul(kd, SPLAT(LN2_LO)));
  const v128_t p = horner_v(EXP_C, 11, r);
  const v128_t k = wasm_i64x2_extend_low_i32x4(wasm_i32x4_trunc_sat_f64x2_zero(kd));
  const v128_t scale = wasm_i64x2_shl(wasm_i64x2_add(k, wasm_i64x2_splat(1023)), 52);
  return wasm_f64x2_mul(p, scale);
}

static inline v128_t tanh_v(v128_t x) {
  const v128_t a = wasm_f64x2_abs(x);
  const v128_t y = wasm_f64x2_mul(SPLAT(-2.0), wasm_f64x2_pmin(a, SPLAT(20.0)));
  const v128_t small = wasm_f64x2_mul(horner_v(EXPM1_C, 13, y), y);
  const v128_t big = wasm_f64x2_sub(exp_neg_v(y), SPLAT(1.0));
  const v128_t m = wasm_v128_bitselect(small, big, wasm_f64x2_ge(y, SPLAT(-1.25)));
  const v128_t t = wasm_f64x2_div(wasm_f64x2_neg(m), wasm_f64x2_add(SPLAT(2.0), m));
  const v128_t sign = SPLAT(-0.0); /* copysign(t, x) */
  return wasm_v128_or(wasm_v128_andnot(t, sign), wasm_v128_and(x, sign));
}

static inline v128_t sigmoid_v(v128_t x) {
  const v128_t e = exp_neg_v(wasm_f64x2_neg(wasm_f64x2_abs(x)));
  const v128_t d = wasm_f64x2_add(SPLAT(1.0), e);
  return wasm_v128_bitselect(wasm_f64x2_div(SPLAT(1.0), d), wasm_f64x2_div(e, d),
                             wasm_f64x2_ge(x, SPLAT(0.0)));
}

/* Four floats → two f64x2 → f, → four floats. */
#define MAP4(f, in, out)                                                              \
  do {                                                                                \
    const v128_t v = wasm_v128_load(in);                                              \
    const v128_t lo = f(wasm_f64x2_promote_low_f32x4(v));                             \
    const v128_t hi = f(wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 0, 1))); \
    wasm_v128_store(out, wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo),          \
                                            wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5)); \
  } while (0)

void gl_tanh_f32(size_t n, const float *x, float *y) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) MAP4(tanh_v, x + i, y + i);
  for (; i < n; i++) y[i] = isnan(x[i]) ? x[i] : tanh_one(x[i]);
}

void gl_sigmoid_f32(size_t n, const float *x, float *y) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) MAP4(sigmoid_v, x + i, y + i);
  for (; i < n; i++) y[i] = isnan(x[i]) ? x[i] : sigmoid_one(x[i]);
}
#else
void gl_tanh_f32(size_t n, const float *x, float *y) {
  for (size_t i = 0; i < n; i++) y[i] = isnan(x[i]) ? x[i] : tanh_one(x[i]);
}

void gl_sigmoid_f32(size_t n, const float *x, float *y) {
  for (size_t i = 0; i < n; i++) y[i] = isnan(x[i]) ? x[i] : sigmoid_one(x[i]);
}
#endif
