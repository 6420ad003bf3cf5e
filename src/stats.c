/* stats.c — population statistics and histograms of tensors, accumulated in
 * float64 whatever the tensor's dtype. */
#include <math.h>
#include <stdint.h>

#include "internal.h"

int gl_stats(int dtype, int n, const void *v, double *out) {
  int st;
  if ((st = gl_check_dtype(dtype)) || (st = gl_check_count("count", n, 1, INT32_MAX)) ||
      (st = gl_check_ptr("values", v)) || (st = gl_check_ptr("out", out)))
    return st;
  /* Welford's update: stable for large means, one pass. */
  double mean = 0, m2 = 0, lo = INFINITY, hi = -INFINITY;
  for (int i = 0; i < n; i++) {
    double x = gl_get(dtype, v, (size_t)i);
    double d = x - mean;
    mean += d / (i + 1);
    m2 += d * (x - mean);
    if (x < lo || isnan(x)) lo = isnan(lo) ? lo : x;
    if (x > hi || isnan(x)) hi = isnan(hi) ? hi : x;
  }
  out[0] = n;
  out[1] = mean;
  out[2] = m2 / n;
  out[3] = lo;
  out[4] = hi;
  return GL_OK;
}

/* Counts of the finite v[0..n) in `bins` equal bins over range[0..1]; values
 * outside clamp into the end bins.  A range that is not finite with lo < hi is
 * replaced by the data's min and max (widened by half the value, or ±½ at 0,
 * if they coincide, so the bins have a width) and written back. */
static void histogram(int dtype, size_t n, const void *v, int bins, double *counts,
                      double *range) {
  double lo = range[0], hi = range[1];
  if (!(isfinite(lo) && isfinite(hi) && lo < hi)) {
    lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
      double x = gl_get(dtype, v, i);
      if (!isfinite(x)) continue;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    if (lo > hi) lo = hi = 0; /* no finite data */
    if (lo == hi) {
      double half = lo != 0 ? 0.5 * fabs(lo) : 0.5;
      lo -= half, hi += half;
    }
    range[0] = lo, range[1] = hi;
  }
  for (int k = 0; k < bins; k++) counts[k] = 0;
  /* halves keep x − lo and hi − lo finite for ranges near ±DBL_MAX */
  const double scale = bins / (0.5 * hi - 0.5 * lo);
  for (size_t i = 0; i < n; i++) {
    double x = gl_get(dtype, v, i);
    if (!isfinite(x)) continue;
    double t = (0.5 * x - 0.5 * lo) * scale;
    int k = t < 0 ? 0 : t >= bins ? bins - 1 : (int)t;
    counts[k] += 1;
  }
}

int gl_histogram(int dtype, int n, const void *v, int bins, double *counts, double *range) {
  int st;
  if ((st = gl_check_dtype(dtype)) || (st = gl_check_count("count", n, 1, INT32_MAX)) ||
      (st = gl_check_count("bins", bins, 1, 1000)) || (st = gl_check_ptr("values", v)) ||
      (st = gl_check_ptr("counts", counts)) || (st = gl_check_ptr("range", range)))
    return st;
  histogram(dtype, (size_t)n, v, bins, counts, range);
  return GL_OK;
}
