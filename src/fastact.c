/*
 * fastact.c — float32 tanh and sigmoid without libm, in loops that vectorise.
 *
 * libm's tanhf costs ~20 ns a value under wasm, a quarter of a deep-MLP step.
 * Here every value is computed in float64, branch-free, and rounded once to
 * float32, so the result is within 1 ulp of the exact function (the float64
 * error is below 3e-12 relative, far below float32's 6e-8;
 * tests/c/test_fastact.c measures the largest error in ulps over every
 * float32 in a dense range).
 *
 *   One range reduction serves both: y = k·ln2 + r with k = round(y/ln2),
 *   |r| ≤ ln2/2, and s = 2^k built from its exponent bits.
 *
 *   σ(x), with y = −|x| (e^y ≤ 1 never overflows; σ(±1000) is exactly 1 and 0):
 *   e^r = P(r)/Q(r), the [4/4] Padé approximant: with E = 1 + 3r²/28 + r⁴/1680
 *   and O = r/2 + r³/84, P = E + O and Q = E − O = P(−r) (relative error
 *   below 2.9e-12 for |r| ≤ ln2/2).  So e^y = s·P/Q and
 *     σ(x) = Q/(Q + sP) for x ≥ 0 and sP/(Q + sP) for x < 0:
 *   one division and a third of the arithmetic of the polynomial below.
 *
 *   tanh(x) = sign(x)·(−m)/(2 + m) with m = e^(−2|x|) − 1 = s·em + (s − 1),
 *   em = e^r − 1 = r·Pt(r), Pt the Taylor series of (e^r − 1)/r to r¹⁰
 *   (truncation < 1e-13 relative); s − 1 is exact for k ≥ −53 (below it, −1
 *   within 2^−54 next to a result ≈ −1), for k = 0 m is em itself, so there
 *   is no cancellation near x = 0; for large |x| m → −1 and tanh → ±1 exactly.
 *   (The Padé form serves tanh as well, twice as fast, but it rounds a few
 *   values in 10⁵ the other way, and the float32 trajectories of a tanh
 *   network, chaotic after ~100 steps, then leave torch's farther than the
 *   torch comparison's bound: tanh keeps the polynomial it was checked with.)
 *
 * k and 2^k come from one addition: t = y·log2(e) + 1.5·2^52 rounds y/ln2 to
 * the nearest integer k in its low mantissa bits, k = t − 1.5·2^52, and
 * (bits(t) + 1023) << 52 are the bits of 2^k.  (Plain integer conversions
 * cost several instructions each in wasm SIMD under V8.)
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

#define LN2_HI 6.93147180369123816490e-01 /* ln 2 split so k·LN2_HI is exact */
#define LN2_LO 1.90821492927058770002e-10
#define LOG2E 1.44269504088896338700
#define ROUNDER 0x1.8p52 /* adding it rounds a float64 below 2^51 to an integer */
#define Y_MIN -700.0     /* e^y is taken at max(y, −700): float32 never needs less */
/* the Padé approximant's coefficients: E = 1 + r²(E1 + r²E2), O = r(O0 + r²O1) */
#define E1 (3.0 / 28.0)
#define E2 (1.0 / 1680.0)
#define O0 0.5
#define O1 (1.0 / 84.0)

/* Taylor coefficients of (e^r − 1)/r to r¹⁰, highest degree first, shared by
 * the scalar and the SIMD code so both evaluate the very same polynomial. */
static const double EM_C[11] = {1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0,
                                1.0 / 40320.0,    1.0 / 5040.0,    1.0 / 720.0,
                                1.0 / 120.0,      1.0 / 24.0,      1.0 / 6.0,
                                0.5,              1.0};

static inline double horner(const double *c, int n, double x) {
  double p = c[0];
  for (int i = 1; i < n; i++) p = p * x + c[i];
  return p;
}

/* y = k·ln2 + r for Y_MIN ≤ y ≤ 0: returns r, with *scale = 2^k. */
static inline double split(double y, double *scale) {
  const double t = y * LOG2E + ROUNDER, kd = t - ROUNDER;
  uint64_t bits;
  memcpy(&bits, &t, sizeof bits);
  bits = (bits + 1023) << 52;
  memcpy(scale, &bits, sizeof bits);
  return (y - kd * LN2_HI) - kd * LN2_LO;
}

/* The even and odd parts of the Padé approximant at r: e^r ≈ (E + O)/(E − O). */
static inline void pade(double r, double *e, double *o) {
  const double r2 = r * r;
  *e = 1.0 + r2 * (E1 + r2 * E2);
  *o = r * (O0 + r2 * O1);
}

static inline float tanh_one(float xf) {
  const double x = (double)xf, a = fabs(x);
  double s;
  const double r = split(-2.0 * (a < 20.0 ? a : 20.0), &s); /* tanh(20) is 1 in float64 */
  const double m = s * (horner(EM_C, 11, r) * r) + (s - 1.0);
  return (float)copysign(-m / (2.0 + m), x);
}

static inline float sigmoid_one(float xf) {
  const double x = (double)xf, y = -fabs(x);
  double s, e, o;
  pade(split(y > Y_MIN ? y : Y_MIN, &s), &e, &o);
  const double q = e - o, sp = s * (e + o);
  return (float)((x >= 0 ? q : sp) / (q + sp));
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

static inline v128_t split_v(v128_t y, v128_t *scale) {
  const v128_t t = wasm_f64x2_add(wasm_f64x2_mul(y, SPLAT(LOG2E)), SPLAT(ROUNDER));
  const v128_t kd = wasm_f64x2_sub(t, SPLAT(ROUNDER));
  *scale = wasm_i64x2_shl(wasm_i64x2_add(t, wasm_i64x2_splat(1023)), 52);
  return wasm_f64x2_sub(wasm_f64x2_sub(y, wasm_f64x2_mul(kd, SPLAT(LN2_HI))),
                        wasm_f64x2_mul(kd, SPLAT(LN2_LO)));
}

static inline void pade_v(v128_t r, v128_t *e, v128_t *o) {
  const v128_t r2 = wasm_f64x2_mul(r, r);
  *e = wasm_f64x2_add(SPLAT(1.0),
                      wasm_f64x2_mul(r2, wasm_f64x2_add(SPLAT(E1), wasm_f64x2_mul(r2, SPLAT(E2)))));
  *o = wasm_f64x2_mul(r, wasm_f64x2_add(SPLAT(O0), wasm_f64x2_mul(r2, SPLAT(O1))));
}

static inline v128_t tanh_v(v128_t x) {
  const v128_t a = wasm_f64x2_abs(x);
  v128_t s;
  /* pmin(a, 20) keeps a NaN a (the first operand) */
  const v128_t r = split_v(wasm_f64x2_mul(SPLAT(-2.0), wasm_f64x2_pmin(a, SPLAT(20.0))), &s);
  const v128_t em = wasm_f64x2_mul(horner_v(EM_C, 11, r), r);
  const v128_t m = wasm_f64x2_add(wasm_f64x2_mul(s, em), wasm_f64x2_sub(s, SPLAT(1.0)));
  const v128_t t = wasm_f64x2_div(wasm_f64x2_neg(m), wasm_f64x2_add(SPLAT(2.0), m));
  const v128_t sign = SPLAT(-0.0); /* copysign(t, x) */
  return wasm_v128_or(wasm_v128_andnot(t, sign), wasm_v128_and(x, sign));
}

/* σ of two float64 lanes from a = min(|x|, −Y_MIN) and ge, the mask of x ≥ 0.
 * It is sigmoid_one's arithmetic on y = −a, rewritten on a to save the
 * negations, value for value: t = y·log2e + R is R − a·log2e; y − kd·ln2_hi =
 * −(a + kd·ln2_hi) exactly (rounding is symmetric), so r = −rn with rn =
 * (a + kd·ln2_hi) + kd·ln2_lo; the odd part changes sign, E − O = E + On and
 * E + O = E − On. */
/* The last step of both forms below: σ = q/(q + sp) for x ≥ 0 (ge), sp/(q + sp)
 * otherwise, with q = E + On and sp = 2^k·(E − On). */
static inline v128_t sigmoid_ratio(v128_t q, v128_t sp, v128_t ge) {
  return wasm_f64x2_div(wasm_v128_bitselect(q, sp, ge), wasm_f64x2_add(q, sp));
}

static inline v128_t sigmoid_v(v128_t a, v128_t ge) {
  const v128_t t = wasm_f64x2_sub(SPLAT(ROUNDER), wasm_f64x2_mul(a, SPLAT(LOG2E)));
  const v128_t kd = wasm_f64x2_sub(t, SPLAT(ROUNDER));
  const v128_t s = wasm_i64x2_shl(wasm_i64x2_add(t, wasm_i64x2_splat(1023)), 52);
  const v128_t rn = wasm_f64x2_add(wasm_f64x2_add(a, wasm_f64x2_mul(kd, SPLAT(LN2_HI))),
                                   wasm_f64x2_mul(kd, SPLAT(LN2_LO)));
  v128_t e, on;
  pade_v(rn, &e, &on);
  return sigmoid_ratio(wasm_f64x2_add(e, on), wasm_f64x2_mul(s, wasm_f64x2_sub(e, on)), ge);
}

/* σ for a < SMALL_A, where the range reduction is the identity: a·log2e <
 * 0.5, so t rounds to R, kd = 0, s = 2^0 = 1 and rn = (a + 0) + 0 = a, all
 * exactly.  So this is sigmoid_v's value with its first third of work left
 * out (a network's pre-activations near 0, σ's usual regime). */
#define SMALL_A 0.34f
static inline v128_t sigmoid_small_v(v128_t a, v128_t ge) {
  v128_t e, on;
  pade_v(a, &e, &on);
  return sigmoid_ratio(wasm_f64x2_add(e, on), wasm_f64x2_sub(e, on), ge);
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

/* Four floats of x at i → σ into y, by sigmoid_v (SMALL = 0) or, when every
 * |x| < SMALL_A, sigmoid_small_v (SMALL = 1). */
#define SIGMOID4(SMALL, x, y, i)                                                                  \
  do {                                                                                            \
    const v128_t v = wasm_v128_load((x) + (i));                                                   \
    /* x ≥ 0 compared in float32 and widened by duplicating each 32-bit lane:                    \
     * an f64x2 compare of the promoted values would be the same mask, but LLVM                  \
     * turns it into this compare plus an i64x2 sign extension, which V8 emulates */            \
    const v128_t ge = wasm_f32x4_ge(v, wasm_f32x4_splat(0.0f));                                   \
    /* pmin(|x|, 700) keeps a NaN |x| (the first operand); exact in float32 */                   \
    const v128_t a = wasm_f32x4_pmin(wasm_f32x4_abs(v), wasm_f32x4_splat((float)-Y_MIN));        \
    const v128_t alo = wasm_f64x2_promote_low_f32x4(a);                                           \
    const v128_t ahi = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(a, a, 2, 3, 0, 1));        \
    const v128_t gelo = wasm_i32x4_shuffle(ge, ge, 0, 0, 1, 1);                                   \
    const v128_t gehi = wasm_i32x4_shuffle(ge, ge, 2, 2, 3, 3);                                   \
    const v128_t lo = SMALL ? sigmoid_small_v(alo, gelo) : sigmoid_v(alo, gelo);                  \
    const v128_t hi = SMALL ? sigmoid_small_v(ahi, gehi) : sigmoid_v(ahi, gehi);                  \
    wasm_v128_store((y) + (i), wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo),               \
                                                  wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5)); \
  } while (0)

/* σ of n values all below SMALL_A (n a multiple of 4), out of line (through
 * a volatile pointer, which binaryen cannot inline): with the two loops in
 * one function, or a choice per block of values, the general loop ran 14%
 * slower. */
static void sigmoid_small(size_t n, const float *x, float *y) {
  for (size_t i = 0; i < n; i += 4) SIGMOID4(1, x, y, i);
}
static void (*volatile const sigmoid_small_out_of_line)(size_t, const float *, float *) = sigmoid_small;

/* 1 if every |x[i]| < SMALL_A (n a multiple of 4); stops at the first that is
 * not.  A NaN is not ≥ SMALL_A: sigmoid_small gives NaN for it, as sigmoid_v. */
static int all_small(size_t n, const float *x) {
  for (size_t i = 0; i < n; i += 4)
    if (wasm_v128_any_true(wasm_f32x4_ge(wasm_f32x4_abs(wasm_v128_load(x + i)), wasm_f32x4_splat(SMALL_A))))
      return 0;
  return 1;
}

void gl_sigmoid_f32(size_t n, const float *x, float *y) {
  size_t i = n & ~(size_t)3;
  if (all_small(i, x))
    sigmoid_small_out_of_line(i, x, y);
  else
    for (i = 0; i + 4 <= n; i += 4) SIGMOID4(0, x, y, i);
  for (; i < n; i++) y[i] = isnan(x[i]) ? x[i] : sigmoid_one(x[i]);
}
#undef SIGMOID4
#else
void gl_tanh_f32(size_t n, const float *x, float *y) {
  for (size_t i = 0; i < n; i++) y[i] = isnan(x[i]) ? x[i] : tanh_one(x[i]);
}

void gl_sigmoid_f32(size_t n, const float *x, float *y) {
  for (size_t i = 0; i < n; i++) y[i] = isnan(x[i]) ? x[i] : sigmoid_one(x[i]);
}
#endif
