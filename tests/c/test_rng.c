/* test_rng.c — the seeded generator (xoshiro256** seeded by splitmix64), its
 * uniform and normal variates, seed validation and gl_sample.  Known answers
 * come from independent implementations written here from the published
 * algorithms; every statistical check uses a fixed seed and a tolerance of
 * five standard errors of the statistic, derived in a comment next to it. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gradlab.h"

/* ---- independent reference implementations ----------------------------- */

/* splitmix64 (Steele, Lea & Flood 2014; Vigna's reference splitmix64.c):
 * golden-gamma increment and the two Stafford "Mix13" multipliers. */
static uint64_t ref_splitmix64(uint64_t *state) {
  uint64_t z = *state = *state + UINT64_C(0x9E3779B97F4A7C15);
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static uint64_t ref_rotl(uint64_t x, unsigned k) { return (x << k) | (x >> (64u - k)); }

/* xoshiro256** 1.0 (Blackman & Vigna 2018), written from the paper. */
typedef struct {
  uint64_t s[4];
} ref_xoshiro;

static void ref_seed(ref_xoshiro *x, uint64_t seed) {
  uint64_t sm = seed;
  for (int i = 0; i < 4; i++) x->s[i] = ref_splitmix64(&sm);
}

static uint64_t ref_next(ref_xoshiro *x) {
  uint64_t *s = x->s;
  const uint64_t out = ref_rotl(s[1] * 5u, 7) * 9u;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = ref_rotl(s[3], 45);
  return out;
}

/* ---- generator state and raw output ------------------------------------ */

TEST(splitmix64_reference_reproduces_the_published_outputs_for_seed_0) {
  /* First outputs of splitmix64 from state 0, as printed by Vigna's
   * splitmix64.c: guards the reference itself against a typo. */
  uint64_t sm = 0;
  CHECK(ref_splitmix64(&sm) == UINT64_C(0xE220A8397B1DCDAF));
  CHECK(ref_splitmix64(&sm) == UINT64_C(0x6E789E6AA1B965F4));
  CHECK(ref_splitmix64(&sm) == UINT64_C(0x06C45D188009454F));
  CHECK(ref_splitmix64(&sm) == UINT64_C(0xF88BB8A8724C81EC));
}

TEST(init_state_is_four_splitmix64_outputs_of_the_seed) {
  const uint64_t seeds[] = {0, 1, 42, UINT64_C(9007199254740992), UINT64_MAX};
  for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
    gl_rng r;
    gl_rng_init(&r, seeds[k]);
    uint64_t sm = seeds[k];
    for (int i = 0; i < 4; i++) CHECK(r.s[i] == ref_splitmix64(&sm));
  }
}

TEST(init_state_is_never_all_zero_even_for_seed_0) {
  gl_rng r;
  gl_rng_init(&r, 0);
  CHECK((r.s[0] | r.s[1] | r.s[2] | r.s[3]) != 0);
}

TEST(next_matches_an_independent_xoshiro256starstar) {
  const uint64_t seeds[] = {0, 1, 12345, UINT64_C(9007199254740992)};
  for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
    gl_rng r;
    ref_xoshiro x;
    gl_rng_init(&r, seeds[k]);
    ref_seed(&x, seeds[k]);
    int mismatches = 0;
    for (int i = 0; i < 1000; i++) mismatches += gl_rng_next(&r) != ref_next(&x);
    CHECK(mismatches == 0);
    for (int i = 0; i < 4; i++) CHECK(r.s[i] == x.s[i]);
  }
}

TEST(same_seed_gives_the_same_stream_and_different_seeds_differ) {
  gl_rng a, b, c, d;
  gl_rng_init(&a, 7);
  gl_rng_init(&b, 7);
  gl_rng_init(&c, 8);
  gl_rng_init(&d, 0);
  int same = 0, diff_c = 0, diff_d = 0;
  for (int i = 0; i < 1000; i++) {
    uint64_t va = gl_rng_next(&a), vb = gl_rng_next(&b), vc = gl_rng_next(&c),
             vd = gl_rng_next(&d);
    same += va == vb;
    diff_c += va != vc;
    diff_d += va != vd;
  }
  CHECK(same == 1000);
  /* a collision of two 64-bit outputs has probability 2^-64 per draw */
  CHECK(diff_c == 1000);
  CHECK(diff_d == 1000);
  /* normals too */
  gl_rng_init(&a, 99);
  gl_rng_init(&b, 99);
  int same_normal = 0;
  for (int i = 0; i < 1001; i++) same_normal += gl_rng_normal(&a) == gl_rng_normal(&b);
  CHECK(same_normal == 1001);
}

/* ---- uniform variates -------------------------------------------------- */

TEST(uniform_double_is_in_0_1_with_53_bit_granularity) {
  gl_rng r;
  ref_xoshiro x;
  gl_rng_init(&r, 2024);
  ref_seed(&x, 2024);
  int out_of_range = 0, not_on_grid = 0, uses_53rd_bit = 0, not_ref = 0;
  for (int i = 0; i < 100000; i++) {
    const double u = gl_rng_uniform(&r);
    const double scaled = u * 0x1.0p53; /* exact: a power-of-two scaling */
    out_of_range += !(u >= 0.0 && u < 1.0);
    not_on_grid += scaled != floor(scaled);
    uses_53rd_bit += fmod(scaled, 2.0) != 0.0; /* odd multiple of 2^-53 */
    not_ref += u != (double)(ref_next(&x) >> 11) * 0x1.0p-53;
  }
  CHECK(out_of_range == 0);
  CHECK(not_on_grid == 0);
  CHECK(not_ref == 0);
  /* half the draws have the lowest of the 53 bits set: the grid is not coarser */
  CHECK(uses_53rd_bit > 40000);
}

TEST(uniform_float_is_in_0_1_with_24_bit_granularity) {
  gl_rng r;
  ref_xoshiro x;
  gl_rng_init(&r, 77);
  ref_seed(&x, 77);
  int out_of_range = 0, not_on_grid = 0, uses_24th_bit = 0, not_ref = 0;
  for (int i = 0; i < 100000; i++) {
    const float u = gl_rng_uniformf(&r);
    const double scaled = (double)u * 0x1.0p24;
    out_of_range += !(u >= 0.0f && u < 1.0f);
    not_on_grid += scaled != floor(scaled);
    uses_24th_bit += fmod(scaled, 2.0) != 0.0;
    not_ref += (double)u != (double)(ref_next(&x) >> 40) * 0x1.0p-24;
  }
  CHECK(out_of_range == 0);
  CHECK(not_on_grid == 0);
  CHECK(not_ref == 0);
  CHECK(uses_24th_bit > 40000);
}

TEST(uniform_double_has_mean_one_half_and_variance_one_twelfth) {
  enum { N = 1000000 };
  gl_rng r;
  gl_rng_init(&r, 5);
  double s = 0, s2 = 0;
  for (int i = 0; i < N; i++) {
    const double u = gl_rng_uniform(&r);
    s += u;
    s2 += u * u;
  }
  const double mean = s / N, var = s2 / N - mean * mean;
  /* SE(mean) = √(1/12 / N); SE(var) = √((1/80 − 1/144) / N) for U[0,1) */
  CHECK_NEAR(mean, 0.5, 5 * sqrt(1.0 / 12.0 / N));
  CHECK_NEAR(var, 1.0 / 12.0, 5 * sqrt((1.0 / 80.0 - 1.0 / 144.0) / N));
}

/* ---- normal variates --------------------------------------------------- */

TEST(normal_moments_of_a_million_draws_are_within_five_standard_errors) {
  enum { N = 1000000 };
  double *v = malloc(N * sizeof *v);
  CHECK(v != NULL);
  if (!v) return;
  gl_rng r;
  gl_rng_init(&r, 314159);
  double s = 0;
  for (int i = 0; i < N; i++) s += v[i] = gl_rng_normal(&r);
  const double mean = s / N;
  double m2 = 0, m3 = 0, m4 = 0;
  int within_1sigma = 0, non_finite = 0;
  for (int i = 0; i < N; i++) {
    const double d = v[i] - mean, d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
    within_1sigma += fabs(v[i]) <= 1.0;
    non_finite += !isfinite(v[i]);
  }
  m2 /= N, m3 /= N, m4 /= N;
  const double skew = m3 / pow(m2, 1.5), kurt = m4 / (m2 * m2) - 3.0;
  CHECK(non_finite == 0);
  /* standard errors for N(0,1): mean 1/√N, variance √(2/N), skewness √(6/N),
   * excess kurtosis √(24/N) */
  CHECK_NEAR(mean, 0.0, 5 / sqrt((double)N));
  CHECK_NEAR(m2, 1.0, 5 * sqrt(2.0 / N));
  CHECK_NEAR(skew, 0.0, 5 * sqrt(6.0 / N));
  CHECK_NEAR(kurt, 0.0, 5 * sqrt(24.0 / N));
  /* P(|Z| ≤ 1) = erf(1/√2); binomial SE √(p(1−p)/N) */
  const double p = erf(1.0 / sqrt(2.0));
  CHECK_NEAR(p, 0.682689492137, 1e-12);
  CHECK_NEAR((double)within_1sigma / N, p, 5 * sqrt(p * (1 - p) / N));
  free(v);
}

/* ---- seeds ------------------------------------------------------------- */

TEST(normal_fill_gives_the_numbers_of_successive_normal_calls_scaled_in_both_dtypes) {
  /* 200,000 draws take the ziggurat's slow paths thousands of times (a draw
   * leaves its rectangle ~1% of the time; layer 0 is 1 in 256): the bulk
   * fill must give the same numbers, through every path, and leave the
   * generator where the calls leave it. */
  enum { N = 200000 };
  static double ref[N], got_d[N];
  static float got_f[N];
  const double scale = 0.37;
  gl_rng a, b, c;
  gl_rng_init(&a, 2024);
  b = a;
  c = a;
  for (int i = 0; i < N; i++) ref[i] = scale * gl_rng_normal(&a);
  gl_rng_normal_fill(&b, GL_F64, N, scale, got_d);
  gl_rng_normal_fill(&c, GL_F32, N, scale, got_f);
  int same_d = 1, same_f = 1, tails = 0;
  for (int i = 0; i < N; i++) {
    same_d &= got_d[i] == ref[i];
    same_f &= got_f[i] == (float)ref[i];
    tails += fabs(ref[i]) > 3.6541528853610088 * scale; /* beyond the ziggurat's r */
  }
  CHECK(same_d);
  CHECK(same_f);
  CHECK(memcmp(&a, &b, sizeof a) == 0 && memcmp(&a, &c, sizeof a) == 0);
  CHECK(tails > 10); /* P(|Z| > r) = 2.6e-4: ~52 expected, so the tail path ran */
  /* n = 0 draws nothing */
  gl_rng_normal_fill(&b, GL_F64, 0, 1.0, NULL);
  CHECK(memcmp(&a, &b, sizeof a) == 0);
}

TEST(seed_from_double_accepts_integers_from_0_to_2_pow_53) {
  uint64_t s = 123;
  CHECK(gl_seed_from_double(0.0, &s) == GL_OK && s == 0);
  CHECK(gl_seed_from_double(1.0, &s) == GL_OK && s == 1);
  CHECK(gl_seed_from_double(4294967296.0, &s) == GL_OK && s == UINT64_C(4294967296));
  CHECK(gl_seed_from_double(GL_MAX_SEED, &s) == GL_OK && s == UINT64_C(9007199254740992));
  CHECK(gl_seed_from_double(ldexp(1.0, 53) - 1.0, &s) == GL_OK &&
        s == UINT64_C(9007199254740991));
}

TEST(seed_from_double_rejects_negative_fractional_nonfinite_and_too_large_seeds) {
  const double bad[] = {-1.0, 0.5, 1e-300, NAN, INFINITY, -INFINITY, ldexp(1.0, 53) + 2.0,
                        1e300};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    uint64_t s = 555;
    CHECK_FAILS_WITH(gl_seed_from_double(bad[k], &s), GL_EINVAL);
    CHECK(s == 555); /* untouched on failure */
  }
}

/* ---- gl_sample --------------------------------------------------------- */

/* Population mean and variance of n doubles, two-pass. */
static void mean_var(const double *v, int n, double *mean, double *var) {
  double s = 0;
  for (int i = 0; i < n; i++) s += v[i];
  const double m = s / n;
  double q = 0;
  for (int i = 0; i < n; i++) q += (v[i] - m) * (v[i] - m);
  *mean = m;
  *var = q / n;
}

TEST(sample_normal_has_mean_a_and_std_b_in_both_dtypes) {
  enum { N = 400000 };
  const double a = 2.5, b = 3.0;
  double *d = malloc(N * sizeof *d), *df = malloc(N * sizeof *df);
  float *f = malloc(N * sizeof *f);
  CHECK(d && df && f);
  if (!(d && df && f)) goto out;
  CHECK(gl_sample(GL_DIST_NORMAL, GL_F64, 11, a, b, N, d) == GL_OK);
  CHECK(gl_sample(GL_DIST_NORMAL, GL_F32, 11, a, b, N, f) == GL_OK);
  for (int i = 0; i < N; i++) df[i] = f[i];
  double m, v;
  /* SE(mean) = b/√N; SE(var) = b²√(2/N) */
  mean_var(d, N, &m, &v);
  CHECK_NEAR(m, a, 5 * b / sqrt((double)N));
  CHECK_NEAR(v, b * b, 5 * b * b * sqrt(2.0 / N));
  mean_var(df, N, &m, &v);
  CHECK_NEAR(m, a, 5 * b / sqrt((double)N));
  CHECK_NEAR(v, b * b, 5 * b * b * sqrt(2.0 / N));
out:
  free(d), free(df), free(f);
}

TEST(sample_normal_with_zero_std_is_constant_a) {
  double d[17];
  CHECK(gl_sample(GL_DIST_NORMAL, GL_F64, 3, -1.25, 0.0, 17, d) == GL_OK);
  int off = 0;
  for (int i = 0; i < 17; i++) off += d[i] != -1.25;
  CHECK(off == 0);
}

TEST(sample_uniform_has_the_moments_of_u_a_b_in_both_dtypes) {
  enum { N = 400000 };
  const double a = -3.0, b = 5.0, w = b - a;
  double *d = malloc(N * sizeof *d), *df = malloc(N * sizeof *df);
  float *f = malloc(N * sizeof *f);
  CHECK(d && df && f);
  if (!(d && df && f)) goto out;
  CHECK(gl_sample(GL_DIST_UNIFORM, GL_F64, 21, a, b, N, d) == GL_OK);
  CHECK(gl_sample(GL_DIST_UNIFORM, GL_F32, 21, a, b, N, f) == GL_OK);
  for (int i = 0; i < N; i++) df[i] = f[i];
  /* mean (a+b)/2, SE w/√(12N); variance w²/12, SE w²√((1/80 − 1/144)/N) */
  const double se_m = w / sqrt(12.0 * N), se_v = w * w * sqrt((1.0 / 80 - 1.0 / 144) / N);
  double m, v;
  mean_var(d, N, &m, &v);
  CHECK_NEAR(m, 0.5 * (a + b), 5 * se_m);
  CHECK_NEAR(v, w * w / 12, 5 * se_v);
  mean_var(df, N, &m, &v);
  CHECK_NEAR(m, 0.5 * (a + b), 5 * se_m);
  CHECK_NEAR(v, w * w / 12, 5 * se_v);
out:
  free(d), free(df), free(f);
}

TEST(sample_float32_is_the_float64_sample_rounded_for_the_same_seed) {
  enum { N = 100000 };
  double *d = malloc(N * sizeof *d);
  float *f = malloc(N * sizeof *f);
  CHECK(d && f);
  if (d && f) {
    for (int dist = GL_DIST_NORMAL; dist <= GL_DIST_UNIFORM; dist++) {
      CHECK(gl_sample(dist, GL_F64, 4242, 0.5, 2.0, N, d) == GL_OK);
      CHECK(gl_sample(dist, GL_F32, 4242, 0.5, 2.0, N, f) == GL_OK);
      int differ = 0;
      for (int i = 0; i < N; i++) {
        /* documented exception: a uniform value rounding up to b becomes the
         * largest float below b */
        float want = (float)d[i];
        if (dist == GL_DIST_UNIFORM && !(want < 2.0f)) want = nextafterf(2.0f, 0.0f);
        differ += f[i] != want;
      }
      CHECK(differ == 0);
    }
  }
  free(d), free(f);
}

TEST(sample_uses_a_fresh_generator_seeded_with_seed) {
  double d[64];
  gl_rng r;
  gl_rng_init(&r, 9001);
  CHECK(gl_sample(GL_DIST_NORMAL, GL_F64, 9001, 0.0, 1.0, 64, d) == GL_OK);
  int differ = 0;
  for (int i = 0; i < 64; i++) differ += d[i] != 0.0 + 1.0 * gl_rng_normal(&r);
  CHECK(differ == 0);
  /* same seed, same samples; another seed, other samples */
  double e[64], g[64];
  CHECK(gl_sample(GL_DIST_NORMAL, GL_F64, 9001, 0.0, 1.0, 64, e) == GL_OK);
  CHECK(gl_sample(GL_DIST_NORMAL, GL_F64, 9002, 0.0, 1.0, 64, g) == GL_OK);
  CHECK(memcmp(d, e, sizeof d) == 0);
  CHECK(memcmp(d, g, sizeof d) != 0);
}

TEST(sample_uniform_float64_stays_in_a_b) {
  enum { N = 1000000 };
  double *d = malloc(N * sizeof *d);
  CHECK(d != NULL);
  if (!d) return;
  const double ranges[][2] = {{0, 1}, {-1, 1}, {-3, 5}, {1e-3, 2e-3}};
  for (size_t k = 0; k < 4; k++) {
    const double a = ranges[k][0], b = ranges[k][1];
    CHECK(gl_sample(GL_DIST_UNIFORM, GL_F64, (double)(k + 1), a, b, N, d) == GL_OK);
    int outside = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < N; i++) {
      outside += !(d[i] >= a && d[i] < b);
      lo = d[i] < lo ? d[i] : lo;
      hi = d[i] > hi ? d[i] : hi;
    }
    CHECK(outside == 0);
    /* not vacuous: a million draws come within 1e-4 of both ends */
    CHECK(lo - a < 1e-4 * (b - a) && b - hi < 1e-4 * (b - a));
  }
  free(d);
}

TEST(sample_uniform_float32_stays_in_a_b) {
  /* regression: before the clamp in gl_sample, seed 1 on U[−1, 1) returned
   * exactly 1.0f at index 395951 (see the next test) */
  enum { N = 1000000 };
  float *f = malloc(N * sizeof *f);
  CHECK(f != NULL);
  if (!f) return;
  const double ranges[][2] = {{-1, 1}, {-3, 5}, {0.25, 0.5}};
  for (size_t k = 0; k < 3; k++) {
    const float a = (float)ranges[k][0], b = (float)ranges[k][1];
    CHECK(gl_sample(GL_DIST_UNIFORM, GL_F32, (double)(k + 1), a, b, N, f) == GL_OK);
    int outside = 0;
    for (int i = 0; i < N; i++) outside += !(f[i] >= a && f[i] < b);
    CHECK(outside == 0);
  }
  free(f);
}

TEST(sample_uniform_float32_never_rounds_up_to_the_upper_bound) {
  /* Seed 330764 (found by scanning seeds with the reference generator) draws
   * u = 0.99999998365146869 ≥ 1 − 2^-25 as its 59th uniform: a + (b − a)·u in
   * float64 is < b, but rounded to float32 it is exactly b = 1, outside
   * U[a, b) (probability ≈ 2^-25 per draw, ~3% of million-sample requests).
   * The documented rule moves it to the largest float below b. */
  float f[59];
  double d[59];
  CHECK(gl_sample(GL_DIST_UNIFORM, GL_F32, 330764, 0.0, 1.0, 59, f) == GL_OK);
  CHECK(gl_sample(GL_DIST_UNIFORM, GL_F64, 330764, 0.0, 1.0, 59, d) == GL_OK);
  int at_or_above_b = 0;
  for (int i = 0; i < 59; i++) at_or_above_b += !(f[i] < 1.0f);
  CHECK(at_or_above_b == 0);
  CHECK(d[58] == 0.99999998365146869 && (float)d[58] == 1.0f);
  CHECK(f[58] == nextafterf(1.0f, 0.0f));
}

TEST(sample_rejects_bad_arguments_with_a_message) {
  double d[4];
  float f[4];
  /* counts */
  CHECK_FAILS_WITH(gl_sample(GL_DIST_NORMAL, GL_F64, 1, 0, 1, 0, d), GL_EINVAL);
  CHECK_FAILS_WITH(gl_sample(GL_DIST_NORMAL, GL_F64, 1, 0, 1, -5, d), GL_EINVAL);
  CHECK_FAILS_WITH(gl_sample(GL_DIST_NORMAL, GL_F64, 1, 0, 1, INT32_MAX, d), GL_ERANGE);
  /* distribution parameters */
  CHECK_FAILS_WITH(gl_sample(GL_DIST_NORMAL, GL_F64, 1, 0, -0.5, 4, d), GL_EINVAL);
  CHECK_FAILS_WITH(gl_sample(GL_DIST_UNIFORM, GL_F64, 1, 1, 1, 4, d), GL_EINVAL);
  CHECK_FAILS_WITH(gl_sample(GL_DIST_UNIFORM, GL_F32, 1, 2, 1, 4, f), GL_EINVAL);
  const double bad[] = {NAN, INFINITY, -INFINITY};
  for (size_t k = 0; k < 3; k++) {
    CHECK_FAILS_WITH(gl_sample(GL_DIST_NORMAL, GL_F64, 1, bad[k], 1, 4, d), GL_EINVAL);
    CHECK_FAILS_WITH(gl_sample(GL_DIST_NORMAL, GL_F64, 1, 0, bad[k], 4, d), GL_EINVAL);
    CHECK_FAILS_WITH(gl_sample(GL_DIST_UNIFORM, GL_F64, 1, bad[k], 1, 4, d), GL_EINVAL);
    CHECK_FAILS_WITH(gl_sample(GL_DIST_UNIFORM, GL_F64, 1, 0, bad[k], 4, d), GL_EINVAL);
  }
  /* unknown distribution, bad dtype, bad seed, NULL output */
  CHECK_FAILS_WITH(gl_sample(2, GL_F64, 1, 0, 1, 4, d), GL_EINVAL);
  CHECK_FAILS_WITH(gl_sample(-1, GL_F64, 1, 0, 1, 4, d), GL_EINVAL);
  CHECK_FAILS_WITH(gl_sample(GL_DIST_NORMAL, 2, 1, 0, 1, 4, d), GL_EINVAL);
  CHECK_FAILS_WITH(gl_sample(GL_DIST_NORMAL, -1, 1, 0, 1, 4, d), GL_EINVAL);
  CHECK_FAILS_WITH(gl_sample(GL_DIST_NORMAL, GL_F64, -1, 0, 1, 4, d), GL_EINVAL);
  CHECK_FAILS_WITH(gl_sample(GL_DIST_NORMAL, GL_F64, 0.5, 0, 1, 4, d), GL_EINVAL);
  CHECK_FAILS_WITH(gl_sample(GL_DIST_NORMAL, GL_F64, NAN, 0, 1, 4, d), GL_EINVAL);
  CHECK_FAILS_WITH(gl_sample(GL_DIST_NORMAL, GL_F64, 1, 0, 1, 4, NULL), GL_EINVAL);
  CHECK_FAILS_WITH(gl_sample(GL_DIST_UNIFORM, GL_F32, 1, 0, 1, 4, NULL), GL_EINVAL);
}

int main(void) {
  RUN(splitmix64_reference_reproduces_the_published_outputs_for_seed_0);
  RUN(init_state_is_four_splitmix64_outputs_of_the_seed);
  RUN(init_state_is_never_all_zero_even_for_seed_0);
  RUN(next_matches_an_independent_xoshiro256starstar);
  RUN(same_seed_gives_the_same_stream_and_different_seeds_differ);
  RUN(uniform_double_is_in_0_1_with_53_bit_granularity);
  RUN(uniform_float_is_in_0_1_with_24_bit_granularity);
  RUN(uniform_double_has_mean_one_half_and_variance_one_twelfth);
  RUN(normal_moments_of_a_million_draws_are_within_five_standard_errors);
  RUN(normal_fill_gives_the_numbers_of_successive_normal_calls_scaled_in_both_dtypes);
  RUN(seed_from_double_accepts_integers_from_0_to_2_pow_53);
  RUN(seed_from_double_rejects_negative_fractional_nonfinite_and_too_large_seeds);
  RUN(sample_normal_has_mean_a_and_std_b_in_both_dtypes);
  RUN(sample_normal_with_zero_std_is_constant_a);
  RUN(sample_uniform_has_the_moments_of_u_a_b_in_both_dtypes);
  RUN(sample_float32_is_the_float64_sample_rounded_for_the_same_seed);
  RUN(sample_uses_a_fresh_generator_seeded_with_seed);
  RUN(sample_uniform_float64_stays_in_a_b);
  RUN(sample_uniform_float32_stays_in_a_b);
  RUN(sample_uniform_float32_never_rounds_up_to_the_upper_bound);
  RUN(sample_rejects_bad_arguments_with_a_message);
  return check_summary("rng");
}
