/* quantile.c — quantiles of a tensor's finite values by selection (Hoare's
 * quickselect, expected O(n) per quantile, no sort), in float64 whatever the
 * tensor's dtype.  The Initialization lesson's histograms take their range
 * from them, so that a few huge values do not squeeze the rest into one bin. */
#include <math.h>
#include <stdlib.h>

#include "internal.h"

/* Rearranges x[0..n) so that x[k] is the value a sort would put there, every
 * x[i < k] ≤ x[k] and every x[i > k] ≥ x[k].  Median-of-three pivots;
 * Hoare's partition stops on equal values, so many ties (ReLU's zeros) stay
 * linear. */
static void select_kth(double *x, size_t n, size_t k) {
  size_t lo = 0, hi = n - 1;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    double a = x[lo], b = x[mid], c = x[hi];
    const double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
    size_t i = lo, j = hi;
    for (;;) {
      while (x[i] < pivot) i++;
      while (x[j] > pivot) j--;
      if (i >= j) break;
      const double t = x[i];
      x[i] = x[j], x[j] = t;
      i++, j--;
    }
    /* now x[lo..j] ≤ pivot ≤ x[j+1..hi] */
    if (k <= j)
      hi = j;
    else
      lo = j + 1;
  }
}

size_t gl_quantiles_known(int dtype, size_t n, const void *v, int nq, const double *p, double *q,
                          double *scratch) {
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    const double x = gl_get(dtype, v, i);
    if (isfinite(x)) scratch[m++] = x;
  }
  for (int k = 0; k < nq; k++) {
    if (m == 0) {
      q[k] = NAN;
      continue;
    }
    /* torch.quantile's 'linear': h = p·(m − 1), between x_(⌊h⌋) and x_(⌊h⌋+1) */
    const double h = p[k] * (double)(m - 1);
    const size_t i = (size_t)floor(h);
    select_kth(scratch, m, i);
    double next = scratch[i];
    if (i + 1 < m) { /* the next order statistic: the least of what lies above */
      next = scratch[i + 1];
      for (size_t j = i + 2; j < m; j++) next = scratch[j] < next ? scratch[j] : next;
    }
    const double f = h - (double)i, lo = scratch[i];
    q[k] = f == 0 ? lo : lo + f * (next - lo);
  }
  return m;
}

int gl_quantiles(int dtype, int n, const void *v, int nq, const double *p, double *q) {
  int st;
  if ((st = gl_check_dtype(dtype)) || (st = gl_check_count("count", n, 1, INT32_MAX)) ||
      (st = gl_check_count("quantiles", nq, 1, GL_MAX_BINS)) || (st = gl_check_ptr("values", v)) ||
      (st = gl_check_ptr("p", p)) || (st = gl_check_ptr("q", q)))
    return st;
  for (int k = 0; k < nq; k++)
    if (!(p[k] >= 0 && p[k] <= 1)) return gl_fail(GL_EINVAL, "p[%d] = %g is not in [0, 1]", k, p[k]);
  if ((st = gl_check_bytes((double)n * sizeof(double), "quantiles of %d values", n))) return st;
  double *scratch = malloc((size_t)n * sizeof(double));
  if (!scratch) return gl_fail(GL_ENOMEM, "out of memory for the quantiles of %d values", n);
  gl_quantiles_known(dtype, (size_t)n, v, nq, p, q, scratch);
  free(scratch);
  return GL_OK;
}
