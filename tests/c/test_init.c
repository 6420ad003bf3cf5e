/* test_init.c — initialization schemes against the torch.nn.init formulas. */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gradlab.h"

/* The torch.nn.init formulas, written out independently of init.c. */
static double torch_std(int init, double fi, double fo, double gain, double sigma) {
  switch (init) {
    case GL_INIT_NORMAL: return sigma;
    case GL_INIT_UNIFORM: return sigma;
    case GL_INIT_XAVIER_UNIFORM: return gain * sqrt(2.0 / (fi + fo)); /* bound/√3 */
    case GL_INIT_XAVIER_NORMAL: return gain * sqrt(2.0 / (fi + fo));
    case GL_INIT_KAIMING_UNIFORM: return gain / sqrt(fi);
    case GL_INIT_KAIMING_NORMAL: return gain / sqrt(fi);
    case GL_INIT_LECUN_NORMAL: return sqrt(1.0 / fi);
    case GL_INIT_ORTHOGONAL: return gain * sqrt(1.0 / (fi > fo ? fi : fo));
    case GL_INIT_TORCH_DEFAULT: return 1.0 / sqrt(3.0 * fi);
    default: return 0.0;
  }
}
static double torch_bound(int init, double fi, double fo, double gain, double sigma) {
  switch (init) {
    case GL_INIT_UNIFORM: return sigma * sqrt(3.0);
    case GL_INIT_XAVIER_UNIFORM: return gain * sqrt(6.0 / (fi + fo));
    case GL_INIT_KAIMING_UNIFORM: return sqrt(3.0) * gain / sqrt(fi);
    /* kaiming_uniform_(a=√5): gain = √(2/(1+5)), bound = gain·√(3/fan_in) */
    case GL_INIT_TORCH_DEFAULT: return sqrt(2.0 / 6.0) * sqrt(3.0 / fi);
    default: return NAN;
  }
}
static int is_uniform(int init) { return !isnan(torch_bound(init, 1, 1, 1, 1)); }

TEST(names_round_trip_and_unknown_names_are_rejected) {
  for (int i = 0; i < GL_INIT_COUNT; i++) CHECK(gl_init_from_name(gl_init_name(i)) == i);
  CHECK(strcmp(gl_init_name(GL_INIT_XAVIER_UNIFORM), "xavier_uniform") == 0);
  CHECK(strcmp(gl_init_name(GL_INIT_TORCH_DEFAULT), "torch_default") == 0);
  CHECK(gl_init_name(-1) == NULL && gl_init_name(GL_INIT_COUNT) == NULL);
  CHECK(gl_init_from_name("he") == -1 && gl_init_from_name(NULL) == -1);
}

TEST(calculate_gain_matches_torch) {
  CHECK_NEAR(gl_calculate_gain(GL_SIGMOID), 1.0, 0);
  CHECK_NEAR(gl_calculate_gain(GL_TANH), 5.0 / 3.0, 1e-15);
  CHECK_NEAR(gl_calculate_gain(GL_RELU), 1.4142135623730951, 1e-15);
  CHECK_NEAR(gl_calculate_gain(GL_LEAKY_RELU), sqrt(2.0 / 1.0001), 1e-15);
  CHECK_NEAR(gl_calculate_gain(GL_LINEAR), 1.0, 0);
  CHECK(isnan(gl_calculate_gain(GL_GELU))); /* torch has no gain for gelu */
  CHECK(strstr(gl_last_error(), "gelu") != NULL);
  CHECK(isnan(gl_calculate_gain(GL_ACT_COUNT)));
}

TEST(default_gain_is_sqrt2_for_kaiming_and_1_otherwise) {
  for (int i = 0; i < GL_INIT_COUNT; i++) {
    int kaiming = i == GL_INIT_KAIMING_NORMAL || i == GL_INIT_KAIMING_UNIFORM;
    CHECK_NEAR(gl_init_default_gain(i), kaiming ? sqrt(2.0) : 1.0, 1e-15);
  }
  CHECK(isnan(gl_init_default_gain(-1)));
}

TEST(every_scheme_theory_matches_the_torch_formula) {
  const int fans[][2] = {{1, 1}, {3, 7}, {256, 256}, {784, 10}, {10, 4096}};
  const double gains[] = {0.5, 1.0, 5.0 / 3.0};
  for (int i = 0; i < GL_INIT_COUNT; i++)
    for (size_t f = 0; f < sizeof fans / sizeof fans[0]; f++)
      for (size_t g = 0; g < 3; g++) {
        int fi = fans[f][0], fo = fans[f][1];
        double std = -1, bound = -1, sigma = 0.37;
        CHECK(gl_init_theory(i, fi, fo, gains[g], sigma, 0.25, &std, &bound) == GL_OK);
        CHECK_REL(std, torch_std(i, fi, fo, gains[g], sigma), 1e-14);
        if (is_uniform(i))
          CHECK_REL(bound, torch_bound(i, fi, fo, gains[g], sigma), 1e-14);
        else
          CHECK(isnan(bound));
      }
}

TEST(xavier_uniform_bound_is_sqrt_6_over_fan_sum) {
  double std, bound;
  CHECK(gl_init_theory(GL_INIT_XAVIER_UNIFORM, 100, 200, 1.0, 0, 0, &std, &bound) == GL_OK);
  CHECK_NEAR(bound, sqrt(6.0 / 300.0), 1e-16);
  CHECK_NEAR(std, sqrt(2.0 / 300.0), 1e-16);
}

TEST(kaiming_normal_std_is_sqrt_2_over_fan_in_with_default_gain) {
  double std, bound;
  CHECK(gl_init_theory(GL_INIT_KAIMING_NORMAL, 512, 3, NAN, 0, 0, &std, &bound) == GL_OK);
  CHECK_NEAR(std, sqrt(2.0 / 512.0), 1e-16);
  CHECK(gl_init_theory(GL_INIT_KAIMING_UNIFORM, 512, 3, NAN, 0, 0, &std, &bound) == GL_OK);
  CHECK_NEAR(bound, sqrt(6.0 / 512.0), 1e-16);
}

TEST(nan_gain_means_the_default_gain) {
  for (int i = 0; i < GL_INIT_COUNT; i++) {
    double s1, b1, s2, b2;
    CHECK(gl_init_theory(i, 30, 50, NAN, 0.5, 1, &s1, &b1) == GL_OK);
    CHECK(gl_init_theory(i, 30, 50, gl_init_default_gain(i), 0.5, 1, &s2, &b2) == GL_OK);
    CHECK_NEAR(s1, s2, 0);
    CHECK(isnan(b1) ? isnan(b2) : b1 == b2);
  }
}

TEST(lecun_normal_and_torch_default_ignore_the_gain) {
  double s1, b1, s2, b2;
  CHECK(gl_init_theory(GL_INIT_LECUN_NORMAL, 64, 8, 3.0, 0, 0, &s1, &b1) == GL_OK);
  CHECK_NEAR(s1, 0.125, 1e-16);
  CHECK(gl_init_theory(GL_INIT_TORCH_DEFAULT, 64, 8, 3.0, 0, 0, &s1, &b1) == GL_OK);
  CHECK(gl_init_theory(GL_INIT_TORCH_DEFAULT, 64, 8, NAN, 0, 0, &s2, &b2) == GL_OK);
  CHECK_NEAR(b1, 0.125, 1e-16);
  CHECK(s1 == s2 && b1 == b2);
}

/* Sample variance of N = 256·512 draws vs std².  The standard error of a
 * sample variance is √((μ₄ − σ⁴)/N): 2σ⁴ for a normal (μ₄ = 3σ⁴), and for
 * U(−b, b) μ₄ − σ⁴ = b⁴/5 − b⁴/9 = 4b⁴/45.  Tolerance: 5 SE, fixed seeds. */
TEST(every_scheme_sample_variance_is_std_squared_within_sampling_error) {
  const int fi = 512, fo = 256, n = fi * fo;
  for (int dtype = 0; dtype < 2; dtype++)
    for (int i = 0; i < GL_INIT_COUNT; i++) {
      double std, bound, st[5];
      CHECK(gl_init_theory(i, fi, fo, 1.3, 0.2, 0.5, &std, &bound) == GL_OK);
      CHECK(gl_init_sample(i, fi, fo, 1.3, 0.2, 0.5, dtype, 1234 + i, NULL, st) == GL_OK);
      CHECK_NEAR(st[0], n, 0);
      double var = std * std, se;
      if (i == GL_INIT_CONSTANT)
        se = 0; /* exact */
      else if (i == GL_INIT_ORTHOGONAL)
        se = var * 1e-5; /* Σq² = gain²·min(fans) exactly; only mean² (~1e-6·var) moves */
      else if (is_uniform(i))
        se = sqrt(4 * pow(bound, 4) / 45 / n);
      else
        se = var * sqrt(2.0 / n);
      CHECK_NEAR(st[2], var, 5 * se + (dtype == GL_F32 ? 1e-6 * var : 0));
      CHECK_NEAR(st[1], 0.0, i == GL_INIT_CONSTANT ? 1.0 : 5 * std / sqrt(n)); /* mean */
    }
}

/* With N draws of U(−b, b), P(max < b − 2b·t/N) ≈ e^−t: t = 20 never flakes. */
TEST(uniform_schemes_stay_within_the_bound_and_reach_it) {
  const int fi = 300, fo = 200, n = fi * fo;
  for (int i = 0; i < GL_INIT_COUNT; i++) {
    if (!is_uniform(i)) continue;
    for (int dtype = 0; dtype < 2; dtype++) {
      double std, bound, st[5];
      CHECK(gl_init_theory(i, fi, fo, NAN, 0.1, 0, &std, &bound) == GL_OK);
      CHECK(gl_init_sample(i, fi, fo, NAN, 0.1, 0, dtype, 99, NULL, st) == GL_OK);
      const double b32 = dtype == GL_F32 ? (double)(float)bound : bound; /* rounding */
      CHECK(st[3] >= -b32 && st[4] <= b32);
      CHECK(st[3] < -bound * (1 - 40.0 / n) && st[4] > bound * (1 - 40.0 / n));
    }
  }
}

/* Q Qᵀ = gain²·I for a wide (fan_out ≤ fan_in) weight, Qᵀ Q = gain²·I for a tall one. */
static void check_orthonormal(int fo, int fi, double gain) {
  double *q = malloc(sizeof(double) * (size_t)(fo * fi)), st[5];
  CHECK(gl_init_sample(GL_INIT_ORTHOGONAL, fi, fo, gain, 0, 0, GL_F64, 7, q, st) == GL_OK);
  CHECK_NEAR(check_gram_error(fo, fi, q, gain), 0, 1e-12);
  free(q);
}

TEST(orthogonal_weights_have_orthonormal_rows_or_columns) {
  check_orthonormal(3, 5, 1.0);
  check_orthonormal(5, 3, 1.0);
  check_orthonormal(64, 64, 1.0);
  check_orthonormal(20, 50, 2.5);
  check_orthonormal(50, 20, 0.5);
}

TEST(constant_init_fills_every_weight_with_the_value) {
  float w[12 * 5];
  double st[5];
  CHECK(gl_init_sample(GL_INIT_CONSTANT, 12, 5, NAN, 0, -0.75, GL_F32, 0, w, st) == GL_OK);
  int all = 1;
  for (int i = 0; i < 60; i++) all &= w[i] == -0.75f;
  CHECK(all);
  CHECK(st[2] == 0 && st[3] == -0.75 && st[4] == -0.75);
}

TEST(float32_samples_are_the_float64_samples_rounded) {
  const int fi = 40, fo = 30;
  float f[40 * 30];
  double d[40 * 30], st[5];
  for (int i = 0; i < GL_INIT_COUNT; i++) {
    CHECK(gl_init_sample(i, fi, fo, NAN, 1, 2, GL_F32, 5, f, st) == GL_OK);
    CHECK(gl_init_sample(i, fi, fo, NAN, 1, 2, GL_F64, 5, d, st) == GL_OK);
    int same = 1;
    for (int k = 0; k < fi * fo; k++) same &= f[k] == (float)d[k];
    CHECK(same);
  }
}

TEST(fill_consumes_the_callers_generator) {
  gl_rng r1, r2;
  double a[16], b[16], c[16];
  gl_rng_init(&r1, 3);
  gl_rng_init(&r2, 3);
  CHECK(gl_init_fill(GL_INIT_XAVIER_NORMAL, 4, 4, NAN, 0, 0, GL_F64, &r1, a) == GL_OK);
  CHECK(gl_init_fill(GL_INIT_XAVIER_NORMAL, 4, 4, NAN, 0, 0, GL_F64, &r1, b) == GL_OK);
  CHECK(gl_init_fill(GL_INIT_XAVIER_NORMAL, 4, 4, NAN, 0, 0, GL_F64, &r2, c) == GL_OK);
  CHECK(memcmp(a, c, sizeof a) == 0 && memcmp(a, b, sizeof a) != 0);
}

/* Each bad input returns its status and a message, and writes nothing. */
#define EXPECT_FAIL(call, status)                                         \
  do {                                                                    \
    int st_ = (call);                                                     \
    CHECK(st_ == (status));                                               \
    if (st_ != (status)) fprintf(stderr, "  %s -> %d (%s)\n", #call, st_, gl_last_error()); \
    CHECK(strlen(gl_last_error()) > 0);                                   \
  } while (0)

TEST(bad_inputs_return_a_status_and_a_message) {
  double s, b, st[5], w[4];
  gl_rng r;
  gl_rng_init(&r, 1);
  EXPECT_FAIL(gl_init_theory(-1, 2, 2, 1, 1, 0, &s, &b), GL_EINVAL);
  EXPECT_FAIL(gl_init_theory(GL_INIT_COUNT, 2, 2, 1, 1, 0, &s, &b), GL_EINVAL);
  EXPECT_FAIL(gl_init_theory(GL_INIT_NORMAL, 0, 2, 1, 1, 0, &s, &b), GL_EINVAL);
  EXPECT_FAIL(gl_init_theory(GL_INIT_NORMAL, 2, -5, 1, 1, 0, &s, &b), GL_EINVAL);
  EXPECT_FAIL(gl_init_theory(GL_INIT_NORMAL, 65537, 2, 1, 1, 0, &s, &b), GL_ERANGE);
  EXPECT_FAIL(gl_init_theory(GL_INIT_NORMAL, 65536, 65536, 1, 1, 0, &s, &b), GL_ERANGE);
  CHECK(strstr(gl_last_error(), "MiB") != NULL);
  EXPECT_FAIL(gl_init_theory(GL_INIT_ORTHOGONAL, 8192, 2, 1, 1, 0, &s, &b), GL_ERANGE);
  EXPECT_FAIL(gl_init_theory(GL_INIT_NORMAL, 2, 2, 1, -1, 0, &s, &b), GL_EINVAL);
  EXPECT_FAIL(gl_init_theory(GL_INIT_UNIFORM, 2, 2, 1, NAN, 0, &s, &b), GL_EINVAL);
  EXPECT_FAIL(gl_init_theory(GL_INIT_UNIFORM, 2, 2, 1, INFINITY, 0, &s, &b), GL_EINVAL);
  EXPECT_FAIL(gl_init_theory(GL_INIT_XAVIER_NORMAL, 2, 2, INFINITY, 1, 0, &s, &b), GL_EINVAL);
  EXPECT_FAIL(gl_init_theory(GL_INIT_KAIMING_UNIFORM, 2, 2, -1, 1, 0, &s, &b), GL_EINVAL);
  EXPECT_FAIL(gl_init_theory(GL_INIT_CONSTANT, 2, 2, 1, 1, NAN, &s, &b), GL_EINVAL);
  EXPECT_FAIL(gl_init_theory(GL_INIT_NORMAL, 2, 2, 1, 1, 0, NULL, &b), GL_EINVAL);
  EXPECT_FAIL(gl_init_theory(GL_INIT_NORMAL, 2, 2, 1, 1, 0, &s, NULL), GL_EINVAL);
  EXPECT_FAIL(gl_init_fill(GL_INIT_NORMAL, 2, 2, 1, 1, 0, 2, &r, w), GL_EINVAL);
  EXPECT_FAIL(gl_init_fill(GL_INIT_NORMAL, 2, 2, 1, 1, 0, GL_F64, NULL, w), GL_EINVAL);
  EXPECT_FAIL(gl_init_fill(GL_INIT_NORMAL, 2, 2, 1, 1, 0, GL_F64, &r, NULL), GL_EINVAL);
  EXPECT_FAIL(gl_init_sample(GL_INIT_NORMAL, 2, 2, 1, 1, 0, GL_F64, -1, w, st), GL_EINVAL);
  EXPECT_FAIL(gl_init_sample(GL_INIT_NORMAL, 2, 2, 1, 1, 0, GL_F64, 0.5, w, st), GL_EINVAL);
  EXPECT_FAIL(gl_init_sample(GL_INIT_NORMAL, 2, 2, 1, 1, 0, GL_F64, NAN, w, st), GL_EINVAL);
  EXPECT_FAIL(gl_init_sample(GL_INIT_NORMAL, 2, 2, 1, 1, 0, GL_F64, 1e300, w, st), GL_EINVAL);
  EXPECT_FAIL(gl_init_sample(GL_INIT_NORMAL, 2, 2, 1, 1, 0, GL_F64, 1, w, NULL), GL_EINVAL);
  EXPECT_FAIL(gl_init_sample(GL_INIT_NORMAL, 2, 2, 1, 1, 0, -3, 1, w, st), GL_EINVAL);
  /* 16384 × 8192 float64 is 1 GiB: refused before allocating */
  EXPECT_FAIL(gl_init_sample(GL_INIT_NORMAL, 16384, 8192, 1, 1, 0, GL_F64, 1, NULL, st), GL_ERANGE);
  /* parameters a scheme ignores may be anything */
  CHECK(gl_init_theory(GL_INIT_XAVIER_NORMAL, 2, 2, NAN, NAN, NAN, &s, &b) == GL_OK);
  CHECK(gl_init_theory(GL_INIT_NORMAL, 2, 2, INFINITY, 1, NAN, &s, &b) == GL_OK);
}

/* Issue 14, item 5: a scheme whose draws cannot be finite numbers is refused
 * before anything is drawn, naming the parameter and its largest value. */
TEST(a_uniform_bound_whose_range_overflows_is_refused_naming_the_largest_sigma) {
  double std, bound, stats[5];
  /* σ = 1e308: b = σ√3 = 1.73e308 is finite, but U(−b, b) draws −b + 2b·u and 2b is +Inf */
  CHECK(gl_init_theory(GL_INIT_UNIFORM, 4, 4, NAN, 1e308, 0, &std, &bound) == GL_ERANGE);
  CHECK(strstr(gl_last_error(), "use sigma <= ") != NULL);
  CHECK(gl_init_sample(GL_INIT_UNIFORM, 4, 4, NAN, 1e308, 0, GL_F64, 0, NULL, stats) == GL_ERANGE);
  /* the value the message names is accepted, and its samples are finite */
  const double largest = atof(strstr(gl_last_error(), "use sigma <= ") + strlen("use sigma <= "));
  CHECK(largest > 1e307 && largest < 1e308);
  CHECK(gl_init_sample(GL_INIT_UNIFORM, 4, 4, NAN, largest, 0, GL_F64, 0, NULL, stats) == GL_OK);
  CHECK(isfinite(stats[3]) && isfinite(stats[4]) && isfinite(stats[1]));
}

TEST(a_kaiming_uniform_gain_whose_bound_overflows_is_refused_naming_the_gain) {
  double std, bound, stats[5];
  CHECK(gl_init_sample(GL_INIT_KAIMING_UNIFORM, 1, 4, 1e308, 1, 0, GL_F64, 0, NULL, stats) == GL_ERANGE);
  CHECK(strstr(gl_last_error(), "kaiming_uniform") && strstr(gl_last_error(), "use gain <= "));
  CHECK(gl_init_theory(GL_INIT_XAVIER_UNIFORM, 1, 1, 1e308, 1, 0, &std, &bound) == GL_ERANGE);
  CHECK(gl_init_theory(GL_INIT_XAVIER_UNIFORM, 1, 1, 1e300, 1, 0, &std, &bound) == GL_OK);
}

TEST(a_float32_weight_past_the_largest_float_is_refused_and_float64_takes_it) {
  double stats[5];
  /* U(−b, b) with b = 1e39·√3: every |w| > 3.4e38 would round to ±Inf in float32 */
  CHECK(gl_init_sample(GL_INIT_UNIFORM, 4, 4, NAN, 1e39, 0, GL_F32, 0, NULL, stats) == GL_ERANGE);
  CHECK(strstr(gl_last_error(), "float32") != NULL);
  CHECK(gl_init_sample(GL_INIT_UNIFORM, 4, 4, NAN, 1e39, 0, GL_F64, 0, NULL, stats) == GL_OK);
  CHECK(gl_init_sample(GL_INIT_CONSTANT, 4, 4, NAN, 1, 1e39, GL_F32, 0, NULL, stats) == GL_ERANGE);
  CHECK(strstr(gl_last_error(), "use value <= ") != NULL);
  CHECK(gl_init_sample(GL_INIT_CONSTANT, 4, 4, NAN, 1, -1e39, GL_F32, 0, NULL, stats) == GL_ERANGE);
  CHECK(gl_init_sample(GL_INIT_CONSTANT, 4, 4, NAN, 1, 1e38, GL_F32, 0, NULL, stats) == GL_OK);
  CHECK(stats[1] == (double)1e38f);
}

int main(void) {
  RUN(names_round_trip_and_unknown_names_are_rejected);
  RUN(calculate_gain_matches_torch);
  RUN(default_gain_is_sqrt2_for_kaiming_and_1_otherwise);
  RUN(every_scheme_theory_matches_the_torch_formula);
  RUN(xavier_uniform_bound_is_sqrt_6_over_fan_sum);
  RUN(kaiming_normal_std_is_sqrt_2_over_fan_in_with_default_gain);
  RUN(nan_gain_means_the_default_gain);
  RUN(lecun_normal_and_torch_default_ignore_the_gain);
  RUN(every_scheme_sample_variance_is_std_squared_within_sampling_error);
  RUN(uniform_schemes_stay_within_the_bound_and_reach_it);
  RUN(orthogonal_weights_have_orthonormal_rows_or_columns);
  RUN(constant_init_fills_every_weight_with_the_value);
  RUN(float32_samples_are_the_float64_samples_rounded);
  RUN(fill_consumes_the_callers_generator);
  RUN(bad_inputs_return_a_status_and_a_message);
  RUN(a_uniform_bound_whose_range_overflows_is_refused_naming_the_largest_sigma);
  RUN(a_kaiming_uniform_gain_whose_bound_overflows_is_refused_naming_the_gain);
  RUN(a_float32_weight_past_the_largest_float_is_refused_and_float64_takes_it);
  return check_summary("init");
}
