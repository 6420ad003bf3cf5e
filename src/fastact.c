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

/* e^y for −745 < y ≤ 0 (y is clamped to −700 below; float32 never needs more). */
static inline double exp_neg(double y) {
  y = y < -700.0 ? -700.0 : y;
  const double kd = (double)(int64_t)(y * LOG2E - 0.5); /* round to nearest for y ≤ 0 */
  const double r = (y - kd * LN2_HI) - kd * LN2_LO;
  double p = 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  const uint64_t bits = (uint64_t)((int64_t)kd + 1023) << 52;
  double scale;
  memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

/* e^y − 1 for −1.25 ≤ y ≤ 0 by its Taylor series (Horner, 13 terms). */
static inline double expm1_small(double y) {
  double p = 1.0 / 6227020800.0;
  p = p * y + 1.0 / 479001600.0;
  p = p * y + 1.0 / 39916800.0;
  p = p * y + 1.0 / 3628800.0;
  p = p * y + 1.0 / 362880.0;
  p = p * y + 1.0 / 40320.0;
  p = p * y + 1.0 / 5040.0;
  p = p * y + 1.0 / 720.0;
  p = p * y + 1.0 / 120.0;
  p = p * y + 1.0 / 24.0;
  p = p * y + 1.0 / 6.0;
  p = p * y + 0.5;
  p = p * y + 1.0;
  return p * y;
}

static inline float tanh_one(float xf) {
  const double x = (double)xf, a = fabs(x);
  const double y = -2.0 * (a < 20.0 ? a : 20.0); /* tanh(20) rounds to 1 in float64 too */
  const double m = y >= -1.25 ? expm1_small(y) : exp_neg(y) - 1.0;
  const double t = -m / (2.0 + m);
  return (float)(x < 0 ? -t : t);
}

static inline float sigmoid_one(float xf) {
  const double x = (double)xf;
  const double e = exp_neg(-fabs(x));
  return (float)(x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e));
}

void gl_tanh_f32(size_t n, const float *x, float *y) {
  for (size_t i = 0; i < n; i++) y[i] = isnan(x[i]) ? x[i] : tanh_one(x[i]);
}

void gl_sigmoid_f32(size_t n, const float *x, float *y) {
  for (size_t i = 0; i < n; i++) y[i] = isnan(x[i]) ? x[i] : sigmoid_one(x[i]);
}
