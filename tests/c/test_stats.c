/* test_stats.c — population statistics (gl_stats) and histograms
 * (gl_histogram) against two-pass float64 references, exact counts on small
 * hand-made inputs, and binomial tolerances (five standard errors) on
 * seeded random data. */
#define _POSIX_C_SOURCE 200809L
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gradlab.h"

enum { ST_COUNT = 0, ST_MEAN = 1, ST_VAR = 2, ST_MIN = 3, ST_MAX = 4 };

/* Two-pass reference: mean, then the mean squared deviation. */
static void ref_stats(const double *v, int n, double *out) {
  double s = 0, lo = INFINITY, hi = -INFINITY;
  for (int i = 0; i < n; i++) {
    s += v[i];
    lo = v[i] < lo ? v[i] : lo;
    hi = v[i] > hi ? v[i] : hi;
  }
  const double m = s / n;
  double q = 0;
  for (int i = 0; i < n; i++) q += (v[i] - m) * (v[i] - m);
  out[ST_COUNT] = n, out[ST_MEAN] = m, out[ST_VAR] = q / n, out[ST_MIN] = lo, out[ST_MAX] = hi;
}

static double sum_counts(const double *c, int bins) {
  double s = 0;
  for (int k = 0; k < bins; k++) s += c[k];
  return s;
}

/* ---- gl_stats ---------------------------------------------------------- */

TEST(stats_float64_match_a_two_pass_reference) {
  enum { N = 100001 };
  double *v = malloc(N * sizeof *v);
  CHECK(v != NULL);
  if (!v) return;
  gl_rng r;
  gl_rng_init(&r, 17);
  for (int i = 0; i < N; i++) v[i] = 3.0 + 2.0 * gl_rng_normal(&r);
  double out[5], ref[5];
  CHECK(gl_stats(GL_F64, N, v, out) == GL_OK);
  ref_stats(v, N, ref);
  CHECK(out[ST_COUNT] == N);
  CHECK_REL(out[ST_MEAN], ref[ST_MEAN], 1e-12);
  CHECK_REL(out[ST_VAR], ref[ST_VAR], 1e-10);
  CHECK(out[ST_MIN] == ref[ST_MIN] && out[ST_MAX] == ref[ST_MAX]);
  free(v);
}

TEST(stats_float32_are_accumulated_in_float64) {
  enum { N = 50000 };
  float *f = malloc(N * sizeof *f);
  double *d = malloc(N * sizeof *d);
  CHECK(f && d);
  if (f && d) {
    CHECK(gl_sample(GL_DIST_UNIFORM, GL_F32, 8, -1.0, 4.0, N, f) == GL_OK);
    for (int i = 0; i < N; i++) d[i] = f[i];
    double out[5], ref[5];
    CHECK(gl_stats(GL_F32, N, f, out) == GL_OK);
    ref_stats(d, N, ref);
    CHECK(out[ST_COUNT] == N);
    /* float64 accuracy on float32 inputs: far tighter than float32 sums */
    CHECK_REL(out[ST_MEAN], ref[ST_MEAN], 1e-12);
    CHECK_REL(out[ST_VAR], ref[ST_VAR], 1e-10);
    CHECK(out[ST_MIN] == ref[ST_MIN] && out[ST_MAX] == ref[ST_MAX]);
  }
  free(f), free(d);
}

TEST(stats_of_small_exact_inputs) {
  const double v[4] = {1, 2, 3, 4};
  double out[5];
  CHECK(gl_stats(GL_F64, 4, v, out) == GL_OK);
  CHECK(out[0] == 4 && out[1] == 2.5 && out[2] == 1.25 && out[3] == 1 && out[4] == 4);
  const float one[1] = {-7.5f};
  CHECK(gl_stats(GL_F32, 1, one, out) == GL_OK);
  CHECK(out[0] == 1 && out[1] == -7.5 && out[2] == 0 && out[3] == -7.5 && out[4] == -7.5);
}

TEST(variance_stays_accurate_with_a_mean_of_1e8) {
  /* 1e8 + N(0,1): E[x²] − mean² would cancel 16 digits; the variance must
   * stay ≈ 1 (SE √(2/N)) and agree with the two-pass reference. */
  enum { N = 200000 };
  double *v = malloc(N * sizeof *v);
  CHECK(v != NULL);
  if (!v) return;
  gl_rng r;
  gl_rng_init(&r, 123);
  for (int i = 0; i < N; i++) v[i] = 1e8 + gl_rng_normal(&r);
  double out[5], ref[5];
  CHECK(gl_stats(GL_F64, N, v, out) == GL_OK);
  /* reference on the shifted data: v − 1e8 is exact (Sterbenz), so the
   * two-pass sums carry no cancellation */
  for (int i = 0; i < N; i++) v[i] -= 1e8;
  ref_stats(v, N, ref);
  CHECK_NEAR(out[ST_VAR], 1.0, 5 * sqrt(2.0 / N));
  CHECK_REL(out[ST_VAR], ref[ST_VAR], 1e-6);
  /* the running mean is rounded to ulp(1e8) ≈ 1.5e−8 at each of N updates */
  CHECK_REL(out[ST_MEAN], 1e8 + ref[ST_MEAN], 1e-12);
  CHECK(out[ST_MIN] == 1e8 + ref[ST_MIN] && out[ST_MAX] == 1e8 + ref[ST_MAX]);
  free(v);
}

TEST(nan_propagates_to_mean_variance_min_and_max) {
  const int positions[3] = {0, 3, 6};
  for (int p = 0; p < 3; p++) {
    double v[7] = {1, 2, 3, 4, 5, 6, 7};
    float f[7] = {1, 2, 3, 4, 5, 6, 7};
    v[positions[p]] = NAN;
    f[positions[p]] = NAN;
    double out[5];
    CHECK(gl_stats(GL_F64, 7, v, out) == GL_OK);
    CHECK(out[0] == 7);
    CHECK(isnan(out[1]) && isnan(out[2]) && isnan(out[3]) && isnan(out[4]));
    CHECK(gl_stats(GL_F32, 7, f, out) == GL_OK);
    CHECK(isnan(out[1]) && isnan(out[2]) && isnan(out[3]) && isnan(out[4]));
  }
}

TEST(infinity_propagates_to_mean_and_the_extreme) {
  const double v[3] = {1, INFINITY, 2}, w[3] = {1, -INFINITY, 2};
  double out[5];
  CHECK(gl_stats(GL_F64, 3, v, out) == GL_OK);
  CHECK(!isfinite(out[1]) && !isfinite(out[2]) && out[3] == 1 && out[4] == INFINITY);
  CHECK(gl_stats(GL_F64, 3, w, out) == GL_OK);
  CHECK(!isfinite(out[1]) && !isfinite(out[2]) && out[3] == -INFINITY && out[4] == 2);
}

TEST(stats_reject_empty_input_null_pointers_and_bad_dtype) {
  const double v[2] = {1, 2};
  double out[5] = {-1, -1, -1, -1, -1};
  CHECK_FAILS_WITH(gl_stats(GL_F64, 0, v, out), GL_EINVAL);
  CHECK_FAILS_WITH(gl_stats(GL_F64, -1, v, out), GL_EINVAL);
  CHECK_FAILS_WITH(gl_stats(GL_F64, 2, NULL, out), GL_EINVAL);
  CHECK_FAILS_WITH(gl_stats(GL_F64, 2, v, NULL), GL_EINVAL);
  CHECK_FAILS_WITH(gl_stats(2, 2, v, out), GL_EINVAL);
  CHECK(out[0] == -1 && out[1] == -1); /* untouched on failure */
}

/* ---- gl_histogram ------------------------------------------------------ */

TEST(histogram_puts_out_of_range_values_in_the_end_bins) {
  const double v[9] = {-5, -1e-4, 0, 0.3, 0.5, 0.99, 1, 2, 1e300};
  double counts[4], range[2] = {0, 1};
  CHECK(gl_histogram(GL_F64, 9, v, 4, counts, range) == GL_OK);
  /* bins [0,¼) [¼,½) [½,¾) [¾,1]; below → first, above (and hi itself) → last */
  CHECK(counts[0] == 3 && counts[1] == 1 && counts[2] == 1 && counts[3] == 4);
  CHECK(range[0] == 0 && range[1] == 1); /* a valid range is kept */
}

TEST(histogram_skips_non_finite_values_and_counts_every_finite_one) {
  const double v[8] = {NAN, 0.1, INFINITY, 0.6, -INFINITY, 5.0, -NAN, -3.0};
  double counts[2], range[2] = {0, 1};
  CHECK(gl_histogram(GL_F64, 8, v, 2, counts, range) == GL_OK);
  CHECK(counts[0] == 2 && counts[1] == 2);
  const float f[5] = {NAN, 0.25f, INFINITY, 0.75f, -INFINITY};
  CHECK(gl_histogram(GL_F32, 5, f, 2, counts, range) == GL_OK);
  CHECK(counts[0] == 1 && counts[1] == 1);
}

TEST(histogram_counts_sum_to_the_number_of_finite_values) {
  enum { N = 100000, B = 37 };
  double *v = malloc(N * sizeof *v);
  CHECK(v != NULL);
  if (!v) return;
  CHECK(gl_sample(GL_DIST_NORMAL, GL_F64, 4, 0, 1, N, v) == GL_OK);
  int finite = N;
  for (int i = 0; i < N; i += 101) v[i] = (i / 101) % 2 ? NAN : INFINITY, finite--;
  double counts[B], range[2] = {-1, 1};
  CHECK(gl_histogram(GL_F64, N, v, B, counts, range) == GL_OK);
  CHECK(sum_counts(counts, B) == finite);
  free(v);
}

TEST(histogram_with_lo_not_below_hi_uses_and_writes_back_the_data_range) {
  const double v[6] = {0.5, -2.0, NAN, 3.0, 1.0, INFINITY};
  const double bad_ranges[4][2] = {{0, 0}, {1, -1}, {NAN, 1}, {0, INFINITY}};
  for (int k = 0; k < 4; k++) {
    double counts[5], range[2] = {bad_ranges[k][0], bad_ranges[k][1]};
    CHECK(gl_histogram(GL_F64, 6, v, 5, counts, range) == GL_OK);
    CHECK(range[0] == -2.0 && range[1] == 3.0); /* finite min and max */
    /* bins of width 1 over [−2, 3]: −2 | — | 0.5 | 1 | 3 */
    CHECK(counts[0] == 1 && counts[1] == 0 && counts[2] == 1 && counts[3] == 1 && counts[4] == 1);
  }
}

TEST(histogram_of_constant_data_widens_the_range_and_fills_one_bin) {
  const double cases[3] = {3.0, -2.0, 0.0};
  const double lo[3] = {1.5, -3.0, -0.5}, hi[3] = {4.5, -1.0, 0.5};
  for (int k = 0; k < 3; k++) {
    double v[10], counts[7], range[2] = {0, 0};
    for (int i = 0; i < 10; i++) v[i] = cases[k];
    CHECK(gl_histogram(GL_F64, 10, v, 7, counts, range) == GL_OK);
    CHECK(range[0] == lo[k] && range[1] == hi[k]); /* v ± |v|/2, or ±½ at 0 */
    int full = 0, empty = 0;
    for (int b = 0; b < 7; b++) full += counts[b] == 10, empty += counts[b] == 0;
    CHECK(full == 1 && empty == 6);
    CHECK(counts[3] == 10); /* the value sits in the middle of its range */
  }
}

TEST(histogram_of_only_non_finite_values_is_empty_over_a_unit_range) {
  const double v[3] = {NAN, INFINITY, -INFINITY};
  double counts[4] = {9, 9, 9, 9}, range[2] = {0, 0};
  CHECK(gl_histogram(GL_F64, 3, v, 4, counts, range) == GL_OK);
  CHECK(range[0] == -0.5 && range[1] == 0.5);
  CHECK(sum_counts(counts, 4) == 0);
}

TEST(histogram_of_uniform_data_is_flat_within_five_binomial_errors) {
  enum { N = 1000000, B = 50 };
  double *d = malloc(N * sizeof *d);
  float *f = malloc(N * sizeof *f);
  CHECK(d && f);
  if (d && f) {
    CHECK(gl_sample(GL_DIST_UNIFORM, GL_F64, 31, 0.0, 1.0, N, d) == GL_OK);
    CHECK(gl_sample(GL_DIST_UNIFORM, GL_F32, 32, -2.0, 2.0, N, f) == GL_OK);
    /* each count ~ Binomial(N, 1/B): SE √(N·p(1−p)) */
    const double p = 1.0 / B, expect = N * p, tol = 5 * sqrt(N * p * (1 - p));
    double counts[B], range[2] = {0, 1};
    CHECK(gl_histogram(GL_F64, N, d, B, counts, range) == GL_OK);
    int off = 0;
    for (int k = 0; k < B; k++) off += !(fabs(counts[k] - expect) <= tol);
    CHECK(off == 0);
    CHECK(sum_counts(counts, B) == N);
    double range_f[2] = {-2, 2};
    CHECK(gl_histogram(GL_F32, N, f, B, counts, range_f) == GL_OK);
    off = 0;
    for (int k = 0; k < B; k++) off += !(fabs(counts[k] - expect) <= tol);
    CHECK(off == 0);
    CHECK(sum_counts(counts, B) == N);
  }
  free(d), free(f);
}

/* A finite range lo < hi so narrow that bins/(hi − lo) overflows to +inf;
 * returns 0 if the value at lo is counted once in a valid bin. */
static int tiny_range_histogram(void) {
  const double v[3] = {0.0, 1e-310, -1.0};
  double counts[10], range[2] = {0.0, 1e-310};
  if (gl_histogram(GL_F64, 3, v, 10, counts, range) != GL_OK) return 1;
  if (sum_counts(counts, 10) != 3) return 2;
  if (!(counts[0] >= 2 && counts[9] >= 1)) return 3; /* 0 and −1 low, 1e−310 high */
  return 0;
}

TEST(histogram_over_a_subnormal_width_range_never_indexes_out_of_bounds) {
  /* Accepted as valid (finite, lo < hi), yet 10 / (½·1e−310) = +inf, so
   * t = (½x − ½lo)·scale is 0·inf = NaN for x = lo and (int)NaN is used as
   * the bin index. */
  CHECK(survives(tiny_range_histogram));
}

TEST(histogram_rejects_bad_bins_counts_and_null_pointers) {
  const double v[2] = {0, 1};
  double counts[4], range[2] = {0, 1};
  CHECK_FAILS_WITH(gl_histogram(GL_F64, 2, v, 0, counts, range), GL_EINVAL);
  CHECK_FAILS_WITH(gl_histogram(GL_F64, 2, v, -3, counts, range), GL_EINVAL);
  CHECK_FAILS_WITH(gl_histogram(GL_F64, 2, v, 1001, counts, range), GL_ERANGE);
  CHECK_FAILS_WITH(gl_histogram(GL_F64, 0, v, 4, counts, range), GL_EINVAL);
  CHECK_FAILS_WITH(gl_histogram(GL_F64, 2, NULL, 4, counts, range), GL_EINVAL);
  CHECK_FAILS_WITH(gl_histogram(GL_F64, 2, v, 4, NULL, range), GL_EINVAL);
  CHECK_FAILS_WITH(gl_histogram(GL_F64, 2, v, 4, counts, NULL), GL_EINVAL);
  CHECK_FAILS_WITH(gl_histogram(3, 2, v, 4, counts, range), GL_EINVAL);
  /* the bounds themselves are accepted */
  static double many[1000];
  CHECK(gl_histogram(GL_F64, 2, v, 1, counts, range) == GL_OK && counts[0] == 2);
  CHECK(gl_histogram(GL_F64, 2, v, 1000, many, range) == GL_OK && many[0] == 1 && many[999] == 1);
}

/* Issue 14, item 5: U(−b, b) at b near DBL_MAX/2 drew finite samples whose
 * mean was reported as ±Inf (the float64 sum overflowed). */
TEST(mean_of_finite_float64_values_near_dbl_max_is_finite) {
  const double v[4] = {8e307, 8.5e307, -1e307, 8.9e307};
  double out[5];
  CHECK(gl_stats(GL_F64, 4, v, out) == GL_OK);
  CHECK_NEAR(out[1], 6.1e307, 1e294); /* (8 + 8.5 − 1 + 8.9)·1e307 / 4 */
  CHECK(out[3] == -1e307 && out[4] == 8.9e307);
  const double inf[2] = {8e307, INFINITY};
  CHECK(gl_stats(GL_F64, 2, inf, out) == GL_OK && isinf(out[1]));
}

/* Found by fuzz_mlp: one value 4.9e-324 (the smallest subnormal) gave the
 * range [v, v] (v ± |v|/2 rounds back to v), bins of width 0; one value near
 * DBL_MAX gave [v/2, +Inf]. */
TEST(histogram_of_one_subnormal_or_huge_value_gets_a_finite_range_with_width) {
  const double cases[] = {4.9406564584124654e-324, -4.9406564584124654e-324, 1e-310, DBL_MAX, -DBL_MAX, 1.5e308, 0.0, 3.0};
  for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
    const double v[3] = {cases[c], cases[c], cases[c]};
    double counts[4], range[2] = {NAN, NAN};
    CHECK(gl_histogram(GL_F64, 3, v, 4, counts, range) == GL_OK);
    CHECK(isfinite(range[0]) && isfinite(range[1]) && range[0] < range[1]);
    CHECK(range[0] <= cases[c] && cases[c] <= range[1]);
    CHECK(counts[0] + counts[1] + counts[2] + counts[3] == 3);
  }
}

/* ---- gl_quantiles ------------------------------------------------------ */

static int cmp_double(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

TEST(quantiles_interpolate_between_order_statistics_as_torch_quantile) {
  /* sorted: 1 2 3 4 10; h = p·4 */
  const double v[5] = {10, 3, 1, 4, 2}, p[6] = {0, 0.25, 0.5, 0.6, 0.9, 1};
  double q[6];
  CHECK(gl_quantiles(GL_F64, 5, v, 6, p, q) == GL_OK);
  CHECK(q[0] == 1 && q[1] == 2 && q[2] == 3);
  CHECK_NEAR(q[3], 3.4, 1e-15); /* h = 2.4: 3 + 0.4·(4 − 3) */
  CHECK_NEAR(q[4], 7.6, 1e-14); /* h = 3.6: 4 + 0.6·(10 − 4) */
  CHECK(q[5] == 10);
  CHECK(v[0] == 10 && v[4] == 2); /* the input is not reordered */
}

TEST(quantiles_of_float32_skip_non_finite_values) {
  const float v[6] = {NAN, 2.5f, INFINITY, -1.0f, -INFINITY, 0.5f};
  const double p[2] = {0, 1};
  double q[2];
  CHECK(gl_quantiles(GL_F32, 6, v, 2, p, q) == GL_OK);
  CHECK(q[0] == -1.0 && q[1] == 2.5);
  const float none[2] = {NAN, INFINITY};
  CHECK(gl_quantiles(GL_F32, 2, none, 2, p, q) == GL_OK);
  CHECK(isnan(q[0]) && isnan(q[1]));
}

TEST(quantiles_match_a_sorted_copy_with_many_ties_and_random_data) {
  enum { N = 20001 };
  double *v = malloc(N * sizeof *v), *sorted = malloc(N * sizeof *v);
  CHECK(v && sorted);
  if (!v || !sorted) return;
  gl_rng r;
  gl_rng_init(&r, 5);
  /* half exact zeros (a ReLU layer), half normal: selection must stay correct on ties */
  for (int i = 0; i < N; i++) v[i] = i % 2 ? gl_rng_normal(&r) : 0.0;
  memcpy(sorted, v, N * sizeof *v);
  qsort(sorted, N, sizeof *sorted, cmp_double);
  const double p[5] = {0.001, 0.25, 0.5, 0.75, 0.999};
  double q[5];
  CHECK(gl_quantiles(GL_F64, N, v, 5, p, q) == GL_OK);
  for (int k = 0; k < 5; k++) {
    const double h = p[k] * (N - 1);
    const int i = (int)floor(h);
    CHECK_NEAR(q[k], sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]), 1e-12);
  }
  free(v);
  free(sorted);
}

/* Every path of the selection (p = 0 and 1, a heap from either end, quickselect
 * in the middle) against a sorted copy, exactly: sizes 1..700 and 300,000,
 * random, ascending, descending and tied values, p at and near the ends. */
TEST(quantiles_equal_a_sorted_copy_exactly_on_every_path) {
  enum { BIG = 300000 };
  double *v = malloc(BIG * sizeof *v), *sorted = malloc(BIG * sizeof *v);
  CHECK(v && sorted);
  if (!v || !sorted) return;
  gl_rng r;
  gl_rng_init(&r, 11);
  const double p[12] = {0, 1e-4, 0.001, 0.003, 0.01, 0.2, 0.5, 0.9, 0.99, 0.999, 0.9999, 1};
  int bad = 0;
  for (int trial = 0; trial < 2000 && !bad; trial++) {
    const int n = trial < 1999 ? 1 + (int)(gl_rng_uniform(&r) * 700) : BIG;
    const int order = trial % 4; /* random, ascending, descending, few distinct values */
    for (int i = 0; i < n; i++)
      v[i] = order == 1 ? i : order == 2 ? -i : order == 3 ? (double)(int)(gl_rng_uniform(&r) * 5) - 2
                                                           : gl_rng_normal(&r);
    if (order == 3 && n > 1) v[n / 2] = -0.0;
    memcpy(sorted, v, (size_t)n * sizeof *v);
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_double);
    double q[12];
    CHECK(gl_quantiles(GL_F64, n, v, 12, p, q) == GL_OK);
    for (int k = 0; k < 12; k++) {
      const double h = p[k] * (n - 1);
      const int i = (int)floor(h);
      const double lo = sorted[i], next = i + 1 < n ? sorted[i + 1] : lo, f = h - i;
      const double want = f == 0 ? lo : lo + f * (next - lo);
      if (q[k] != want) {
        fprintf(stderr, "n %d order %d p %g: %.17g, sorted copy %.17g\n", n, order, p[k], q[k], want);
        bad = 1;
      }
    }
  }
  CHECK(!bad);
  free(v);
  free(sorted);
}

TEST(quantiles_reject_bad_p_counts_and_null_pointers) {
  const double v[2] = {1, 2}, bad[1] = {1.5}, nan[1] = {NAN}, p[1] = {0.5};
  double q[1];
  CHECK_FAILS_WITH(gl_quantiles(GL_F64, 2, v, 1, bad, q), GL_EINVAL);
  CHECK_FAILS_WITH(gl_quantiles(GL_F64, 2, v, 1, nan, q), GL_EINVAL);
  CHECK_FAILS_WITH(gl_quantiles(GL_F64, 0, v, 1, p, q), GL_EINVAL);
  CHECK_FAILS_WITH(gl_quantiles(GL_F64, 2, v, 0, p, q), GL_EINVAL);
  CHECK_FAILS_WITH(gl_quantiles(GL_F64, 2, NULL, 1, p, q), GL_EINVAL);
  CHECK_FAILS_WITH(gl_quantiles(GL_F64, 2, v, 1, p, NULL), GL_EINVAL);
  CHECK_FAILS_WITH(gl_quantiles(7, 2, v, 1, p, q), GL_EINVAL);
}

int main(void) {
  RUN(stats_float64_match_a_two_pass_reference);
  RUN(stats_float32_are_accumulated_in_float64);
  RUN(stats_of_small_exact_inputs);
  RUN(variance_stays_accurate_with_a_mean_of_1e8);
  RUN(nan_propagates_to_mean_variance_min_and_max);
  RUN(infinity_propagates_to_mean_and_the_extreme);
  RUN(stats_reject_empty_input_null_pointers_and_bad_dtype);
  RUN(histogram_puts_out_of_range_values_in_the_end_bins);
  RUN(histogram_skips_non_finite_values_and_counts_every_finite_one);
  RUN(histogram_counts_sum_to_the_number_of_finite_values);
  RUN(histogram_with_lo_not_below_hi_uses_and_writes_back_the_data_range);
  RUN(histogram_of_constant_data_widens_the_range_and_fills_one_bin);
  RUN(histogram_of_only_non_finite_values_is_empty_over_a_unit_range);
  RUN(histogram_of_uniform_data_is_flat_within_five_binomial_errors);
  RUN(histogram_over_a_subnormal_width_range_never_indexes_out_of_bounds);
  RUN(histogram_rejects_bad_bins_counts_and_null_pointers);
  RUN(mean_of_finite_float64_values_near_dbl_max_is_finite);
  RUN(histogram_of_one_subnormal_or_huge_value_gets_a_finite_range_with_width);
  RUN(quantiles_interpolate_between_order_statistics_as_torch_quantile);
  RUN(quantiles_of_float32_skip_non_finite_values);
  RUN(quantiles_match_a_sorted_copy_with_many_ties_and_random_data);
  RUN(quantiles_equal_a_sorted_copy_exactly_on_every_path);
  RUN(quantiles_reject_bad_p_counts_and_null_pointers);
  return check_summary("stats");
}
