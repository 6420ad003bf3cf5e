/* quantile.c — quantiles of a tensor's finite values by selection, in
 * float64 whatever the tensor's dtype.  The Initialization lesson's
 * histograms take their range from the 0.1% and 99.9% quantiles, so that a
 * few huge values do not squeeze the rest into one bin: an order statistic
 * that near either end is found in one pass keeping the few values beyond it
 * in a small heap (O(n log r), r the rank from that end); others by Hoare's
 * quickselect (expected O(n), no sort).  Both give the exact order
 * statistics, so the quantiles are the same either way.  The heap path made
 * the default Init network's statistics ~2.5× faster: quickselect's
 * partitions and the scan for the next value cost more than the network's
 * matrix products. */
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

/* Most values the end heap keeps (4 KB on the stack): the rank r + 2 from an
 * end up to which an order statistic takes the heap path.  512 covers the
 * 0.1% tails of the Initialization lesson's largest layer (batch·width =
 * 262,144: rank 262). */
#define END_HEAP 512

/* Sifts heap[i] down the max-heap heap[0..s). */
static void sift_down(double *heap, size_t s, size_t i) {
  const double x = heap[i];
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= s) break;
    if (c + 1 < s && heap[c + 1] > heap[c]) c++;
    if (!(heap[c] > x)) break;
    heap[i] = heap[c];
    i = c;
  }
  heap[i] = x;
}

/* The order statistics of rank r and r + 1 counted from one end of
 * x[0..m) (sign +1: from the least, x_(r) and x_(r+1); −1: from the
 * greatest), r + 2 ≤ min(m, END_HEAP): the r + 2 values nearest that end, as
 * sign·x in a max-heap, in one pass; its top is the one of rank r + 1 and the
 * greater of its children the one of rank r. */
static void from_end(const double *x, size_t m, size_t r, double sign, double *at_r,
                     double *after_r) {
  double heap[END_HEAP];
  heap[0] = heap[1] = heap[2] = 0; /* set below (s ≥ 2); said here for the compiler */
  const size_t s = r + 2;
  for (size_t i = 0; i < s; i++) heap[i] = sign * x[i];
  for (size_t i = s / 2; i-- > 0;) sift_down(heap, s, i);
  for (size_t i = s; i < m; i++) {
    const double y = sign * x[i];
    if (y < heap[0]) {
      heap[0] = y;
      sift_down(heap, s, 0);
    }
  }
  double second = heap[1];
  if (s > 2 && heap[2] > second) second = heap[2];
  *after_r = sign * heap[0];
  *at_r = sign * second;
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
    double lo, next;
    if (m == 1) {
      lo = next = scratch[0];
    } else if (i + 1 >= m) { /* p = 1: the greatest value */
      from_end(scratch, m, 0, -1, &lo, &next);
      next = lo;
    } else if (i + 2 <= END_HEAP) {
      from_end(scratch, m, i, 1, &lo, &next);
    } else if (m - i <= END_HEAP) { /* x_(i+1) is of rank m − 2 − i from the greatest */
      from_end(scratch, m, m - 2 - i, -1, &next, &lo);
    } else {
      select_kth(scratch, m, i);
      lo = scratch[i];
      next = scratch[i + 1]; /* the next order statistic: the least of what lies above */
      for (size_t j = i + 2; j < m; j++) next = scratch[j] < next ? scratch[j] : next;
    }
    const double f = h - (double)i;
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
