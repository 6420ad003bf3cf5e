/* stats.c — population statistics and histograms of tensors, accumulated in
 * float64 whatever the tensor's dtype. */
#include <math.h>
#include <stdint.h>

#include "internal.h"

/* Two passes over the data, both in float64: the mean, then the mean squared
 * deviation (exact to rounding, no catastrophic cancellation even with a mean
 * of 1e8, and free of the per-element division of Welford's update, so the
 * loops vectorise).  min/max skip nothing: a NaN makes every statistic NaN. */
#define DEFINE_STATS(T, SUF)                                                         \
  static void stats_##SUF(size_t n, const T *v, double *out) {                      \
    double sum = 0, lo = INFINITY, hi = -INFINITY;                                   \
    for (size_t i = 0; i < n; i++) {                                                 \
      const double x = (double)v[i];                                                 \
      sum += x;                                                                      \
      lo = x < lo ? x : lo;                                                          \
      hi = x > hi ? x : hi;                                                          \
    }                                                                                \
    double mean = sum / (double)n;                                                   \
    if (isinf(sum) && isfinite(lo) && isfinite(hi)) { /* finite values near DBL_MAX */ \
      sum = 0; /* overflowed: summed again scaled by 2^-64 (exact), |mean| ≤ max|v| */  \
      for (size_t i = 0; i < n; i++) sum += ldexp((double)v[i], -64);                 \
      mean = ldexp(sum / (double)n, 64);                                             \
    }                                                                                \
    double m2 = 0;                                                                   \
    for (size_t i = 0; i < n; i++) {                                                 \
      const double d = (double)v[i] - mean;                                          \
      m2 += d * d;                                                                   \
    }                                                                                \
    out[0] = (double)n;                                                              \
    out[1] = mean;                                                                   \
    out[2] = m2 / (double)n;                                                         \
    out[3] = isnan(mean) ? NAN : lo;                                                 \
    out[4] = isnan(mean) ? NAN : hi;                                                 \
  }

DEFINE_STATS(float, f)
DEFINE_STATS(double, d)

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
/* float32 statistics with wasm SIMD: the same two passes, four floats at a
 * time into four float64 partial sums (so the last bits of mean and variance
 * may differ from the scalar order; min and max are exact). */
static void stats_f_simd(size_t n, const float *v, double *out) {
  v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
  v128_t lo4 = wasm_f32x4_splat(INFINITY), hi4 = wasm_f32x4_splat(-INFINITY);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t x = wasm_v128_load(v + i);
    s0 = wasm_f64x2_add(s0, wasm_f64x2_promote_low_f32x4(x));
    s1 = wasm_f64x2_add(s1, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(x, x, 2, 3, 0, 1)));
    lo4 = wasm_f32x4_min(lo4, x); /* propagates NaN */
    hi4 = wasm_f32x4_max(hi4, x);
  }
  const v128_t s = wasm_f64x2_add(s0, s1);
  double sum = wasm_f64x2_extract_lane(s, 0) + wasm_f64x2_extract_lane(s, 1);
  double lo = INFINITY, hi = -INFINITY;
  for (int k = 0; k < 4; k++) {
    const double a = wasm_f32x4_extract_lane(lo4, 0), b = wasm_f32x4_extract_lane(hi4, 0);
    lo = a < lo ? a : lo;
    hi = b > hi ? b : hi;
    lo4 = wasm_i32x4_shuffle(lo4, lo4, 1, 2, 3, 0);
    hi4 = wasm_i32x4_shuffle(hi4, hi4, 1, 2, 3, 0);
  }
  for (; i < n; i++) {
    const double x = (double)v[i];
    sum += x;
    lo = x < lo ? x : lo;
    hi = x > hi ? x : hi;
  }
  const double mean = sum / (double)n;
  const v128_t m = wasm_f64x2_splat(mean);
  v128_t q0 = wasm_f64x2_splat(0), q1 = q0;
  for (i = 0; i + 4 <= n; i += 4) {
    const v128_t x = wasm_v128_load(v + i);
    const v128_t d0 = wasm_f64x2_sub(wasm_f64x2_promote_low_f32x4(x), m);
    const v128_t d1 = wasm_f64x2_sub(wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(x, x, 2, 3, 0, 1)), m);
    q0 = wasm_f64x2_add(q0, wasm_f64x2_mul(d0, d0));
    q1 = wasm_f64x2_add(q1, wasm_f64x2_mul(d1, d1));
  }
  const v128_t q = wasm_f64x2_add(q0, q1);
  double m2 = wasm_f64x2_extract_lane(q, 0) + wasm_f64x2_extract_lane(q, 1);
  for (; i < n; i++) {
    const double d = (double)v[i] - mean;
    m2 += d * d;
  }
  out[0] = (double)n;
  out[1] = mean;
  out[2] = m2 / (double)n;
  out[3] = isnan(mean) ? NAN : lo;
  out[4] = isnan(mean) ? NAN : hi;
}
#define STATS_F stats_f_simd
#else
#define STATS_F stats_f
#endif

int gl_stats(int dtype, int n, const void *v, double *out) {
  int st;
  if ((st = gl_check_dtype(dtype)) || (st = gl_check_count("count", n, 1, INT32_MAX)) ||
      (st = gl_check_ptr("values", v)) || (st = gl_check_ptr("out", out)))
    return st;
  if (dtype == GL_F32)
    STATS_F((size_t)n, v, out);
  else
    stats_d((size_t)n, v, out);
  return GL_OK;
}

/* Counts of the finite v[0..n) in `bins` equal bins over [lo, hi] (values
 * outside clamp into the end bins, or with `drop` are left out) into four
 * interleaved integer tables, so that runs of equal bins do not wait on each
 * other's increments; one loop per element type. */
#define DEFINE_BIN(T, SUF)                                                                 \
  static void bin_##SUF(size_t n, const T *v, int bins, double lo, double hi, double scale, \
                        int drop, uint32_t (*c)[GL_MAX_BINS]) {                            \
    for (size_t i = 0; i < n; i++) {                                                       \
      const double x = (double)v[i];                                                       \
      if (!isfinite(x) || (drop && (x < lo || x > hi))) continue;                          \
      const double t = (0.5 * x - 0.5 * lo) * scale;                                       \
      /* !(t >= 0) also catches NaN: a range so narrow that scale overflows */             \
      const int k = !(t >= 0) ? 0 : t >= bins ? bins - 1 : (int)t;                         \
      c[i & 3][k]++;                                                                       \
    }                                                                                      \
  }
DEFINE_BIN(float, f)
DEFINE_BIN(double, d)

static void bin_counts(int dtype, size_t n, const void *v, int bins, double *counts, double lo,
                       double hi, int drop);

void gl_histogram_known(int dtype, size_t n, const void *v, int bins, double *counts,
                        double *range, const double *minmax) {
  double lo = range[0], hi = range[1];
  if (!(isfinite(lo) && isfinite(hi) && lo < hi)) {
    if (minmax && isfinite(minmax[0]) && isfinite(minmax[1])) {
      lo = minmax[0], hi = minmax[1]; /* every value finite: the scan below would find these */
    } else {
      lo = INFINITY, hi = -INFINITY;
      for (size_t i = 0; i < n; i++) {
        double x = gl_get(dtype, v, i);
        if (!isfinite(x)) continue;
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      if (lo > hi) lo = hi = 0; /* no finite data */
    }
    if (lo == hi) { /* one value v: v ± |v|/2, so the bins have a width */
      const double one = lo, half = 0.5 * fabs(one);
      if (!(one - half < one + half)) /* v = 0, or subnormal: |v|/2 rounds to 0 (found by fuzz_mlp) */
        lo = one - 0.5, hi = one + 0.5;
      else if (!isfinite(one + half) || !isfinite(one - half)) /* near ±DBL_MAX: [v/2, v] */
        lo = one > 0 ? half : one, hi = one > 0 ? one : -half;
      else
        lo = one - half, hi = one + half;
    }
    range[0] = lo, range[1] = hi;
  }
  bin_counts(dtype, n, v, bins, counts, lo, hi, 0);
}

/* The counts of gl_histogram_known over [lo, hi] (lo < hi, both finite). */
static void bin_counts(int dtype, size_t n, const void *v, int bins, double *counts, double lo,
                       double hi, int drop) {
  /* halves keep x − lo and hi − lo finite for ranges near ±DBL_MAX */
  const double scale = bins / (0.5 * hi - 0.5 * lo);
  uint32_t c[4][GL_MAX_BINS]; /* n < 2^31: no count overflows */
  for (int j = 0; j < 4; j++)
    for (int k = 0; k < bins; k++) c[j][k] = 0;
  if (dtype == GL_F32)
    bin_f(n, v, bins, lo, hi, scale, drop, c);
  else
    bin_d(n, v, bins, lo, hi, scale, drop, c);
  for (int k = 0; k < bins; k++) counts[k] = (double)c[0][k] + c[1][k] + c[2][k] + c[3][k];
}

void gl_histogram_tail(int dtype, size_t n, const void *v, int bins, double *counts, double *range,
                       const double *minmax, double tail, double *scratch) {
  if (tail > 0 && !(isfinite(range[0]) && isfinite(range[1]) && range[0] < range[1])) {
    const double p[2] = {tail, 1 - tail};
    double q[2];
    gl_quantiles_known(dtype, n, v, 2, p, q, scratch);
    if (q[0] < q[1]) { /* else (most values equal, or none finite) the data's range, as before */
      range[0] = q[0], range[1] = q[1];
      bin_counts(dtype, n, v, bins, counts, q[0], q[1], 1);
      return;
    }
  }
  gl_histogram_known(dtype, n, v, bins, counts, range, minmax);
}

int gl_histogram(int dtype, int n, const void *v, int bins, double *counts, double *range) {
  int st;
  if ((st = gl_check_dtype(dtype)) || (st = gl_check_count("count", n, 1, INT32_MAX)) ||
      (st = gl_check_count("bins", bins, 1, GL_MAX_BINS)) || (st = gl_check_ptr("values", v)) ||
      (st = gl_check_ptr("counts", counts)) || (st = gl_check_ptr("range", range)))
    return st;
  gl_histogram_known(dtype, (size_t)n, v, bins, counts, range, NULL);
  return GL_OK;
}
