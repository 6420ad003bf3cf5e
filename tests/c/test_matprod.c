/* test_matprod.c — Haar-orthogonal draws, products of random matrices and
 * their growth theory (the Exploding panel).  Every statistical check uses a
 * fixed seed and a tolerance derived from the sampling error, given in a
 * comment next to it. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gradlab.h"

#define EULER_GAMMA 0.57721566490153286061
#define LN2 0.69314718055994530942

/* ---- gl_random_orthogonal (check_gram_error in check.h) ----------------- */

TEST(orthogonal_square_matrix_satisfies_qt_q_equals_identity) {
  gl_rng r;
  gl_rng_init(&r, 1);
  double q[6 * 6];
  CHECK(gl_random_orthogonal(6, 6, 1.0, GL_F64, &r, q) == GL_OK);
  CHECK_NEAR(check_gram_error(6, 6, q, 1.0), 0.0, 1e-12);
  /* square: rows are orthonormal too */
  CHECK_NEAR(check_gram_error(6, 6 + 0, q, 1.0), 0.0, 1e-12);
}

TEST(orthogonal_tall_matrix_has_orthonormal_columns) {
  gl_rng r;
  gl_rng_init(&r, 2);
  double q[9 * 4];
  CHECK(gl_random_orthogonal(9, 4, 1.0, GL_F64, &r, q) == GL_OK);
  CHECK_NEAR(check_gram_error(9, 4, q, 1.0), 0.0, 1e-12);
}

TEST(orthogonal_wide_matrix_has_orthonormal_rows) {
  gl_rng r;
  gl_rng_init(&r, 3);
  double q[4 * 9];
  CHECK(gl_random_orthogonal(4, 9, 1.0, GL_F64, &r, q) == GL_OK);
  CHECK_NEAR(check_gram_error(4, 9, q, 1.0), 0.0, 1e-12);
}

TEST(orthogonal_scale_multiplies_the_gram_matrix_by_scale_squared) {
  gl_rng r;
  gl_rng_init(&r, 4);
  double q[5 * 5];
  CHECK(gl_random_orthogonal(5, 5, 2.5, GL_F64, &r, q) == GL_OK);
  CHECK_NEAR(check_gram_error(5, 5, q, 2.5), 0.0, 1e-11);
}

TEST(orthogonal_one_by_one_is_plus_or_minus_scale) {
  gl_rng r;
  gl_rng_init(&r, 5);
  int plus = 0;
  for (int i = 0; i < 200; i++) {
    double q;
    CHECK(gl_random_orthogonal(1, 1, 3.0, GL_F64, &r, &q) == GL_OK);
    CHECK(q == 3.0 || q == -3.0);
    plus += q > 0;
  }
  /* Binomial(200, ½): SD ≈ 7.1, so 100 ± 40 is > 5 SD. */
  CHECK(plus > 60 && plus < 140);
}

TEST(orthogonal_wide_draw_is_the_transpose_of_the_tall_draw_from_the_same_stream) {
  gl_rng r1, r2;
  gl_rng_init(&r1, 6);
  gl_rng_init(&r2, 6);
  double wide[3 * 7], tall[7 * 3];
  CHECK(gl_random_orthogonal(3, 7, 1.0, GL_F64, &r1, wide) == GL_OK);
  CHECK(gl_random_orthogonal(7, 3, 1.0, GL_F64, &r2, tall) == GL_OK);
  double worst = 0.0;
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 7; j++) worst = fmax(worst, fabs(wide[i * 7 + j] - tall[j * 3 + i]));
  CHECK(worst == 0.0);
}

TEST(orthogonal_float32_is_the_float64_draw_rounded) {
  gl_rng r1, r2;
  gl_rng_init(&r1, 7);
  gl_rng_init(&r2, 7);
  double d[8 * 5];
  float f[8 * 5];
  CHECK(gl_random_orthogonal(8, 5, 1.5, GL_F64, &r1, d) == GL_OK);
  CHECK(gl_random_orthogonal(8, 5, 1.5, GL_F32, &r2, f) == GL_OK);
  int same = 1;
  for (int i = 0; i < 40; i++) same &= f[i] == (float)d[i];
  CHECK(same);
}

/* Haar Q is invariant under Q ↦ −Q row- or column-wise, so every entry has
 * mean 0 and, as a row of a uniform rotation is uniform on the sphere,
 * E[q_ij²] = 1/n, Var(q_ij²) = 3/(n(n+2)) − 1/n².
 * Why the sign fix matters: Householder QR makes R_00 = −sign(a_00)‖a_0‖, so
 * without multiplying by sign(diag R) every draw would have
 * q_00 = −|a_00|/‖a_0‖ < 0, a mean of −E|q_00| ≈ −0.42 for n = 4 — about 50
 * standard errors away from 0 with the 4000 draws below. */
TEST(orthogonal_draws_are_unbiased_as_haar_measure_requires) {
  enum { N = 4, DRAWS = 4000 };
  gl_rng r;
  gl_rng_init(&r, 2024);
  double q[N * N], sum00 = 0, sum01 = 0, sum33 = 0, sumsq00 = 0, tr = 0;
  for (int d = 0; d < DRAWS; d++) {
    CHECK(gl_random_orthogonal(N, N, 1.0, GL_F64, &r, q) == GL_OK);
    sum00 += q[0];
    sum01 += q[1];
    sum33 += q[3 * N + 3];
    sumsq00 += q[0] * q[0];
    for (int i = 0; i < N; i++) tr += q[i * N + i];
  }
  /* SE of a mean of q_ij: sqrt(1/n / draws) ≈ 0.0079; tolerance 4 SE. */
  const double se = sqrt(1.0 / N / DRAWS);
  CHECK_NEAR(sum00 / DRAWS, 0.0, 4 * se);
  CHECK_NEAR(sum01 / DRAWS, 0.0, 4 * se);
  CHECK_NEAR(sum33 / DRAWS, 0.0, 4 * se);
  /* Trace: E tr Q = 0 for Haar O(n), Var tr Q = 1 (Diaconis–Shahshahani). */
  CHECK_NEAR(tr / DRAWS, 0.0, 4 * sqrt(1.0 / DRAWS));
  /* Second moment: SE = sqrt(3/(n(n+2)) − 1/n²)/sqrt(draws) ≈ 0.0040. */
  const double se2 = sqrt(3.0 / (N * (N + 2.0)) - 1.0 / (N * N)) / sqrt((double)DRAWS);
  CHECK_NEAR(sumsq00 / DRAWS, 1.0 / N, 4 * se2);
}

TEST(orthogonal_rejects_bad_arguments_with_a_message) {
  gl_rng r;
  gl_rng_init(&r, 0);
  double q[4];
  CHECK(gl_random_orthogonal(0, 2, 1, GL_F64, &r, q) == GL_EINVAL);
  CHECK(gl_last_error()[0] != '\0');
  CHECK(gl_random_orthogonal(2, 0, 1, GL_F64, &r, q) == GL_EINVAL);
  CHECK(gl_random_orthogonal(4097, 1, 1, GL_F64, &r, q) == GL_ERANGE);
  CHECK(gl_random_orthogonal(1, 4097, 1, GL_F64, &r, q) == GL_ERANGE);
  CHECK(gl_random_orthogonal(2, 2, NAN, GL_F64, &r, q) == GL_EINVAL);
  CHECK(gl_random_orthogonal(2, 2, INFINITY, GL_F64, &r, q) == GL_EINVAL);
  CHECK(gl_random_orthogonal(2, 2, 1, 2, &r, q) == GL_EINVAL);
  CHECK(gl_random_orthogonal(2, 2, 1, GL_F64, NULL, q) == GL_EINVAL);
  CHECK(gl_random_orthogonal(2, 2, 1, GL_F64, &r, NULL) == GL_EINVAL);
  CHECK(strlen(gl_last_error()) > 0);
}

/* ---- theory ------------------------------------------------------------ */

TEST(theory_typical_growth_is_ln_sigma_plus_half_ln2_plus_digamma_n_over_2) {
  double typ, rms, crit;
  /* n = 4: ψ(2) = 1 − γ */
  CHECK(gl_matprod_theory(4, 1.0, GL_ENS_GAUSSIAN, &typ, &rms, &crit) == GL_OK);
  CHECK_NEAR(typ, 0.5 * (LN2 + 1 - EULER_GAMMA), 1e-15);
  CHECK_NEAR(rms, LN2, 1e-15); /* ½ ln 4 */
  CHECK_NEAR(crit, exp(-0.5 * (LN2 + 1 - EULER_GAMMA)), 1e-15);
  /* n = 1: E ln|σz| = ln σ − (γ + ln 2)/2 */
  CHECK(gl_matprod_theory(1, 3.0, GL_ENS_GAUSSIAN, &typ, &rms, &crit) == GL_OK);
  CHECK_NEAR(typ, log(3.0) - 0.5 * (EULER_GAMMA + LN2), 1e-15);
  CHECK_NEAR(rms, log(3.0), 1e-15);
  /* the typical rate never exceeds the rms rate (Jensen) */
  for (int n = 1; n <= 64; n++) {
    CHECK(gl_matprod_theory(n, 0.7, GL_ENS_GAUSSIAN, &typ, &rms, &crit) == GL_OK);
    CHECK(typ < rms);
    CHECK(crit > 1 / sqrt((double)n)); /* σ* exceeds the rms-critical 1/√n */
  }
}

TEST(theory_orthogonal_ensemble_grows_at_ln_sigma_and_is_critical_at_one) {
  double typ, rms, crit;
  CHECK(gl_matprod_theory(8, 0.9, GL_ENS_ORTHOGONAL, &typ, &rms, &crit) == GL_OK);
  CHECK_NEAR(typ, log(0.9), 1e-15);
  CHECK_NEAR(rms, log(0.9), 1e-15);
  CHECK(crit == 1.0);
}

TEST(theory_rejects_bad_arguments_with_a_message) {
  double a, b, c;
  CHECK(gl_matprod_theory(0, 1, 0, &a, &b, &c) == GL_EINVAL);
  CHECK(gl_matprod_theory(4097, 1, 0, &a, &b, &c) == GL_ERANGE);
  CHECK(gl_matprod_theory(4, 0, 0, &a, &b, &c) == GL_EINVAL);
  CHECK(gl_matprod_theory(4, -1, 0, &a, &b, &c) == GL_EINVAL);
  CHECK(gl_matprod_theory(4, NAN, 0, &a, &b, &c) == GL_EINVAL);
  CHECK(gl_matprod_theory(4, INFINITY, 0, &a, &b, &c) == GL_EINVAL);
  CHECK(gl_matprod_theory(4, 1, 2, &a, &b, &c) == GL_EINVAL);
  CHECK(gl_matprod_theory(4, 1, 0, NULL, &b, &c) == GL_EINVAL);
  CHECK(gl_matprod_theory(4, 1, 0, &a, NULL, &c) == GL_EINVAL);
  CHECK(gl_matprod_theory(4, 1, 0, &a, &b, NULL) == GL_EINVAL);
  CHECK(strlen(gl_last_error()) > 0);
}

/* ---- one trajectory ---------------------------------------------------- */

enum { MAXS = 1001 };

TEST(classic_demo_four_by_four_standard_normal_after_100_steps_is_astronomically_large) {
  /* d2l: M = N(0,1)^{4×4}; M = M @ N(0,1)^{4×4} a hundred times.
   * ln‖M_100‖ ≈ ln‖M_0‖ + 100·0.558 ≈ 57 with SD ≈ √100·½√ψ'(2) ≈ 4.0;
   * the window 1e15..1e35 (ln 34.5..80.6) is about ±5.7 SD. */
  double norms[101];
  int ov = 0;
  CHECK(gl_matprod(4, 100, 1.0, GL_ENS_GAUSSIAN, GL_F32, 0, 0, norms, NULL, NULL, NULL, &ov) ==
        GL_OK);
  CHECK(ov == -1);
  CHECK(norms[100] > 1e15 && norms[100] < 1e35);
}

TEST(float32_product_overflows_near_ln_flt_max_over_the_typical_rate) {
  /* Predicted k* = ln(FLT_MAX)/typical = 88.72/0.558 ≈ 159.  ln‖M_k‖ is a
   * random walk with per-step SD ½√ψ'(2) ≈ 0.40, so at k ≈ 159 its SD is
   * ≈ 5.1, i.e. ≈ 9 steps; the offsets ln‖M_0‖ ≈ 1.4 and "largest entry is
   * between ‖M‖/n and ‖M‖" (≤ ln 4) add ≈ 2.5 steps each.  ±25% (±40 steps)
   * is > 4 SD of the walk plus both offsets. */
  double norms[301], typ, rms, crit;
  int ov = 0;
  CHECK(gl_matprod_theory(4, 1.0, GL_ENS_GAUSSIAN, &typ, &rms, &crit) == GL_OK);
  CHECK(gl_matprod(4, 300, 1.0, GL_ENS_GAUSSIAN, GL_F32, 0, 0, norms, NULL, NULL, NULL, &ov) ==
        GL_OK);
  const double predicted = log(FLT_MAX) / typ;
  CHECK(ov > 0);
  CHECK_NEAR(ov, predicted, 0.25 * predicted);
  if (ov > 0 && ov <= 300) {
    CHECK(isfinite(norms[ov - 1]) && norms[ov - 1] > 1e30);
    /* Inf and NaN never leave the product again: that is the lesson. */
    int stays = 1;
    for (int k = ov; k <= 300; k++) stays &= !isfinite(norms[k]);
    CHECK(stays);
  }
}

TEST(float64_product_survives_1000_steps_that_overflow_float32) {
  /* ln‖M_1000‖ ≈ 558 ± 13 (SD 0.40·√1000), far below ln(DBL_MAX) = 709.8
   * (≈ 12 SD), so no overflow — yet ‖M_1000‖ > 1e200 (ln 460, ≈ 8 SD below). */
  static double norms[MAXS];
  int ov = 0;
  CHECK(gl_matprod(4, 1000, 1.0, GL_ENS_GAUSSIAN, GL_F64, 0, 0, norms, NULL, NULL, NULL, &ov) ==
        GL_OK);
  CHECK(ov == -1);
  CHECK(isfinite(norms[1000]) && norms[1000] > 1e200);
}

TEST(float64_norm_is_finite_when_entries_are_near_1e200) {
  /* σ = 1e100: entries of M_1 are ~1e200, their squares overflow a double;
   * the scaled (dnrm2-style) sum keeps the norm finite and right. */
  double norms[2], first[9], last[9];
  int ov = 0;
  CHECK(gl_matprod(3, 1, 1e100, GL_ENS_GAUSSIAN, GL_F64, 5, 0, norms, first, last, NULL, &ov) ==
        GL_OK);
  CHECK(ov == -1);
  CHECK(isfinite(norms[1]));
  double s = 0.0;
  for (int i = 0; i < 9; i++) s += (last[i] / 1e200) * (last[i] / 1e200);
  CHECK_REL(norms[1], 1e200 * sqrt(s), 1e-14);
}

TEST(float64_norm_is_right_when_every_square_underflows) {
  /* σ = 1e-100: entries of M_1 are ~1e-200, their squares underflow to 0;
   * the norm must still be the scaled sum, not 0. */
  double norms[2], first[9], last[9];
  int ov = 0;
  CHECK(gl_matprod(3, 1, 1e-100, GL_ENS_GAUSSIAN, GL_F64, 5, 0, norms, first, last, NULL, &ov) ==
        GL_OK);
  double s = 0.0;
  for (int i = 0; i < 9; i++) s += (last[i] * 1e200) * (last[i] * 1e200);
  CHECK(norms[1] > 0.0);
  CHECK_REL(norms[1], 1e-200 * sqrt(s), 1e-14);
}

TEST(float64_norm_does_not_vanish_while_the_entries_decay) {
  /* n = 4, σ = 0.25, 600 steps: the product decays ~e^-1.1 a step and its
   * entries pass 1e-162 (squares below the smallest double) near k = 463;
   * the norm reported 0 from there on.  Every norm is now > 0 and the last
   * one is the Frobenius norm of the last matrix. */
  static double norms[601];
  double last[16];
  int ov = 0;
  CHECK(gl_matprod(4, 600, 0.25, GL_ENS_GAUSSIAN, GL_F64, 0, 0, norms, NULL, last, NULL, &ov) ==
        GL_OK);
  for (int k = 0; k <= 600; k++) CHECK(norms[k] > 0.0);
  double amax = 0.0, s = 0.0;
  for (int i = 0; i < 16; i++) amax = fmax(amax, fabs(last[i]));
  for (int i = 0; i < 16; i++) s += (last[i] / amax) * (last[i] / amax);
  CHECK(norms[600] < 1e-200);
  CHECK_REL(norms[600], amax * sqrt(s), 1e-14);
}

TEST(float32_and_float64_trajectories_share_their_factors) {
  /* Same seed → same W_k up to float rounding, so the two dtypes agree to
   * float precision early on (≈ 1e-7 relative per step, 20 steps). */
  double n32[21], n64[21];
  int ov = 0;
  CHECK(gl_matprod(5, 20, 0.8, GL_ENS_GAUSSIAN, GL_F32, 11, 0, n32, NULL, NULL, NULL, &ov) ==
        GL_OK);
  CHECK(gl_matprod(5, 20, 0.8, GL_ENS_GAUSSIAN, GL_F64, 11, 0, n64, NULL, NULL, NULL, &ov) ==
        GL_OK);
  for (int k = 0; k <= 20; k++) CHECK_REL(n32[k], n64[k], 1e-4);
}

TEST(matprod_norms_are_frobenius_norms_of_first_and_last) {
  double norms[31], first[16], last[16];
  int ov = 0;
  CHECK(gl_matprod(4, 30, 0.5, GL_ENS_GAUSSIAN, GL_F64, 9, 0, norms, first, last, NULL, &ov) ==
        GL_OK);
  double s0 = 0, s1 = 0;
  for (int i = 0; i < 16; i++) {
    s0 += first[i] * first[i];
    s1 += last[i] * last[i];
  }
  CHECK_REL(norms[0], sqrt(s0), 1e-15);
  CHECK_REL(norms[30], sqrt(s1), 1e-15);
}

TEST(matprod_traj_holds_the_top_left_block_of_every_step) {
  enum { N = 5, B = 2, S = 12 };
  float first[N * N], last[N * N], traj[(S + 1) * B * B];
  double norms[S + 1];
  int ov = 0;
  CHECK(gl_matprod(N, S, 1.0, GL_ENS_GAUSSIAN, GL_F32, 3, B, norms, first, last, traj, &ov) ==
        GL_OK);
  int same = 1;
  for (int i = 0; i < B; i++)
    for (int j = 0; j < B; j++) {
      same &= traj[i * B + j] == first[i * N + j];
      same &= traj[S * B * B + i * B + j] == last[i * N + j];
    }
  CHECK(same);
  /* block = 0: traj is not touched */
  float untouched[4] = {42, 42, 42, 42};
  CHECK(gl_matprod(N, S, 1.0, GL_ENS_GAUSSIAN, GL_F32, 3, 0, norms, NULL, NULL, untouched, &ov) ==
        GL_OK);
  CHECK(untouched[0] == 42 && untouched[3] == 42);
}

TEST(matprod_is_deterministic_for_a_seed_and_differs_across_seeds) {
  double a[11], b[11], c[11];
  int ov = 0;
  CHECK(gl_matprod(3, 10, 1.0, GL_ENS_GAUSSIAN, GL_F64, 77, 0, a, NULL, NULL, NULL, &ov) == 0);
  CHECK(gl_matprod(3, 10, 1.0, GL_ENS_GAUSSIAN, GL_F64, 77, 0, b, NULL, NULL, NULL, &ov) == 0);
  CHECK(gl_matprod(3, 10, 1.0, GL_ENS_GAUSSIAN, GL_F64, 78, 0, c, NULL, NULL, NULL, &ov) == 0);
  CHECK(memcmp(a, b, sizeof a) == 0);
  CHECK(a[10] != c[10]);
}

TEST(orthogonal_product_keeps_its_norm_for_1000_steps) {
  /* ‖M Q‖ = ‖M‖ exactly; rounding drifts by ~1e-16 per step, a random walk
   * of ~3e-15 after 1000 steps: 1e-10 leaves a wide margin. */
  static double norms[MAXS];
  int ov = 0;
  CHECK(gl_matprod(8, 1000, 1.0, GL_ENS_ORTHOGONAL, GL_F64, 1, 0, norms, NULL, NULL, NULL, &ov) ==
        GL_OK);
  CHECK(ov == -1);
  double worst = 0.0;
  for (int k = 0; k <= 1000; k++) worst = fmax(worst, fabs(norms[k] / sqrt(8.0) - 1.0));
  CHECK_NEAR(worst, 0.0, 1e-10);
}

TEST(matprod_rejects_bad_arguments_with_a_message) {
  double norms[11];
  float m[16];
  int ov;
  struct {
    int n, steps;
    double sigma;
    int ens, dtype;
    double seed;
    int block;
    double *norms;
    int *ov;
    int want;
  } cases[] = {
      {0, 10, 1, 0, 0, 0, 0, norms, &ov, GL_EINVAL},      {65, 10, 1, 0, 0, 0, 0, norms, &ov, GL_ERANGE},
      {4, -1, 1, 0, 0, 0, 0, norms, &ov, GL_EINVAL},      {4, 10001, 1, 0, 0, 0, 0, norms, &ov, GL_ERANGE},
      {4, 10, 0, 0, 0, 0, 0, norms, &ov, GL_EINVAL},      {4, 10, -1, 0, 0, 0, 0, norms, &ov, GL_EINVAL},
      {4, 10, NAN, 0, 0, 0, 0, norms, &ov, GL_EINVAL},    {4, 10, INFINITY, 0, 0, 0, 0, norms, &ov, GL_EINVAL},
      {4, 10, 1, 2, 0, 0, 0, norms, &ov, GL_EINVAL},      {4, 10, 1, -1, 0, 0, 0, norms, &ov, GL_EINVAL},
      {4, 10, 1, 0, 2, 0, 0, norms, &ov, GL_EINVAL},      {4, 10, 1, 0, -1, 0, 0, norms, &ov, GL_EINVAL},
      {4, 10, 1, 0, 0, -1, 0, norms, &ov, GL_EINVAL},     {4, 10, 1, 0, 0, 1.5, 0, norms, &ov, GL_EINVAL},
      {4, 10, 1, 0, 0, NAN, 0, norms, &ov, GL_EINVAL},    {4, 10, 1, 0, 0, 1e300, 0, norms, &ov, GL_EINVAL},
      {4, 10, 1, 0, 0, 0, 5, norms, &ov, GL_ERANGE},      {4, 10, 1, 0, 0, 0, -1, norms, &ov, GL_EINVAL},
      {4, 10, 1, 0, 0, 0, 0, NULL, &ov, GL_EINVAL},       {4, 10, 1, 0, 0, 0, 0, norms, NULL, GL_EINVAL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int st = gl_matprod(cases[i].n, cases[i].steps, cases[i].sigma, cases[i].ens, cases[i].dtype,
                        cases[i].seed, cases[i].block, cases[i].norms, m, m, NULL, cases[i].ov);
    CHECK(st == cases[i].want);
    if (st != cases[i].want) fprintf(stderr, "  case %zu: status %d (%s)\n", i, st, gl_last_error());
    CHECK(strlen(gl_last_error()) > 0);
  }
}

/* ---- ensembles ----------------------------------------------------------- */

TEST(ensemble_trial_one_reproduces_matprod_float64_log_norms) {
  /* Same stream, same arithmetic except the per-step renormalisation:
   * differences are rounding, ~1e-16 per step. n = 3 has an odd number of
   * normals per matrix, so the stream of normals runs on across matrices. */
  static const int ns[] = {4, 3, 5, 5};
  static const int ens[] = {GL_ENS_GAUSSIAN, GL_ENS_GAUSSIAN, GL_ENS_GAUSSIAN, GL_ENS_ORTHOGONAL};
  enum { S = 60 };
  for (int c = 0; c < 4; c++) {
    double norms[S + 1], mean[S + 1], fan[2 * (S + 1)];
    int ov = 0;
    CHECK(gl_matprod(ns[c], S, 1.3, ens[c], GL_F64, 123, 0, norms, NULL, NULL, NULL, &ov) ==
          GL_OK);
    CHECK(gl_matprod_ensemble(ns[c], S, 1.3, ens[c], 2, 123, mean, 2, fan) == GL_OK);
    for (int k = 0; k <= S; k++) {
      const double want = log(norms[k]);
      CHECK_NEAR(fan[k], want, 1e-12 * fmax(1.0, fabs(want)));
      CHECK_NEAR(mean[k], 0.5 * (fan[k] + fan[S + 1 + k]), 1e-12 * fmax(1.0, fabs(mean[k])));
    }
    /* trial 2 is a fresh trajectory (orthogonal norms are equal by design) */
    if (ens[c] == GL_ENS_GAUSSIAN) CHECK(fan[S] != fan[2 * S + 1]);
  }
}

/* Per-trial slope of ln‖M_k‖ between k0 and k1 from the fan; returns the
 * mean over trials and writes its standard error (SD / √trials). */
static double fan_slope(const double *fan, int trials, int steps, int k0, int k1, double *se) {
  double s = 0, s2 = 0;
  for (int t = 0; t < trials; t++) {
    const double *row = fan + (size_t)t * (steps + 1);
    const double v = (row[k1] - row[k0]) / (k1 - k0);
    s += v;
    s2 += v * v;
  }
  const double mean = s / trials;
  *se = sqrt(fmax(s2 / trials - mean * mean, 0.0) / trials);
  return mean;
}

/* The slope is measured after a burn-in: ‖M_0 W‖² = Σ_i s_i² σ²χ²_n,i mixes
 * the singular values s_i of M_0, and that mixture grows faster than one χ²
 * until M_k is dominated by its top direction — a transient that decays as
 * exp(−2(λ₁ − λ₂)k) with λ₁ − λ₂ ≈ 1/(2n).  Measured from k = 0 over 50
 * steps this bias is 5–20 SE (e.g. n = 16: slope −0.0230 vs −0.0319); from
 * k0 = max(50, 6n) it is below 1 SE. */
static void check_typical_growth(int n, double sigma, int trials, double seed) {
  const int k0 = n * 6 > 50 ? n * 6 : 50, steps = k0 + 150;
  double *mean = malloc(sizeof(double) * (steps + 1));
  double *fan = malloc(sizeof(double) * (size_t)trials * (steps + 1));
  double typ, rms, crit, se;
  CHECK(mean && fan);
  if (!mean || !fan) goto out;
  CHECK(gl_matprod_theory(n, sigma, GL_ENS_GAUSSIAN, &typ, &rms, &crit) == GL_OK);
  CHECK(gl_matprod_ensemble(n, steps, sigma, GL_ENS_GAUSSIAN, trials, seed, mean, trials, fan) ==
        GL_OK);
  const double slope = fan_slope(fan, trials, steps, k0, steps, &se);
  CHECK_NEAR(slope, typ, 4 * se);
  /* …and the data can tell the typical rate from the rms rate. */
  CHECK(rms - typ > 10 * se);
  /* mean_log agrees with the fan's mean */
  CHECK_NEAR((mean[steps] - mean[k0]) / (steps - k0), slope, 1e-9);
out:
  free(mean);
  free(fan);
}

TEST(gaussian_log_norm_grows_at_ln_sigma_plus_half_of_ln2_plus_digamma_n_over_2) {
  check_typical_growth(4, 1.0, 1000, 1);
  check_typical_growth(2, 1.0, 1000, 2);
  check_typical_growth(8, 0.5, 1000, 3);
  check_typical_growth(16, 0.25, 300, 4);
}

TEST(digamma_critical_sigma_keeps_the_typical_norm_flat) {
  enum { N = 4, K0 = 50, S = 200, T = 1000 };
  static double mean[S + 1], fan[T * (S + 1)];
  double typ, rms, crit, se;
  CHECK(gl_matprod_theory(N, 1.0, GL_ENS_GAUSSIAN, &typ, &rms, &crit) == GL_OK);
  CHECK_NEAR(crit, 0.57237, 1e-4);
  CHECK(gl_matprod_ensemble(N, S, crit, GL_ENS_GAUSSIAN, T, 5, mean, T, fan) == GL_OK);
  const double slope = fan_slope(fan, T, S, K0, S, &se);
  CHECK_NEAR(slope, 0.0, 4 * se); /* SE ≈ 0.001 */
  /* while the rms-critical σ = 1/√n visibly shrinks the typical norm */
  CHECK(gl_matprod_ensemble(N, S, 0.5, GL_ENS_GAUSSIAN, T, 5, mean, T, fan) == GL_OK);
  const double slope_rms = fan_slope(fan, T, S, K0, S, &se);
  CHECK(slope_rms < -10 * se);
}

TEST(mean_square_norm_grows_by_n_sigma_squared_per_step) {
  /* E[‖MW‖² | M] = nσ²‖M‖² exactly, so R = ‖M_K‖²/‖M_0‖² has mean (nσ²)^K.
   * R is heavy-tailed, so the tolerance comes from a proven bound rather than
   * the sample SD: ‖MW‖²/‖M‖² = σ²Σ p_i χ²_n,i with Σ p_i = 1 has
   * E[F² | M] ≤ σ⁴(n² + 2n), hence Var R / (E R)² ≤ (1 + 2/n)^K − 1
   * (≈ 1.54² for n = 4, K = 3).  Tolerance: 4 of these SDs / √trials. */
  enum { K = 3, T = 4000 };
  static const int ns[] = {4, 8};
  static const double sigmas[] = {1.0, 0.5};
  static double fan[T * (K + 1)];
  double mean[K + 1];
  for (int c = 0; c < 2; c++) {
    const int n = ns[c];
    const double sigma = sigmas[c];
    CHECK(gl_matprod_ensemble(n, K, sigma, GL_ENS_GAUSSIAN, T, 10 + c, mean, T, fan) == GL_OK);
    double s = 0.0;
    for (int t = 0; t < T; t++) s += exp(2 * (fan[t * (K + 1) + K] - fan[t * (K + 1)]));
    const double want = pow(n * sigma * sigma, K);
    const double rel_sd = sqrt(pow(1 + 2.0 / n, K) - 1);
    CHECK_NEAR(s / T, want, 4 * rel_sd * want / sqrt((double)T));
    /* the typical growth exp(2K·typical) is far below: the mean is carried by
     * rare large trajectories */
    double typ, rms, crit;
    gl_matprod_theory(n, sigma, GL_ENS_GAUSSIAN, &typ, &rms, &crit);
    CHECK(exp(2 * K * typ) < want * (1 - 8 * rel_sd / sqrt((double)T)));
  }
}

TEST(orthogonal_ensemble_log_norm_stays_at_ln_sqrt_n_for_1000_steps) {
  enum { S = 1000, T = 3 };
  static double mean[S + 1], fan[T * (S + 1)];
  CHECK(gl_matprod_ensemble(6, S, 1.0, GL_ENS_ORTHOGONAL, T, 8, mean, T, fan) == GL_OK);
  const double want = 0.5 * log(6.0);
  double worst = 0.0;
  for (int i = 0; i < T * (S + 1); i++) worst = fmax(worst, fabs(fan[i] - want));
  for (int k = 0; k <= S; k++) worst = fmax(worst, fabs(mean[k] - want));
  CHECK_NEAR(worst, 0.0, 1e-10 * want);
}

TEST(ensemble_never_overflows_where_a_single_float64_product_would) {
  /* 3000 steps at rate 0.558 reach ln‖M‖ ≈ 1675 ≫ ln(DBL_MAX) ≈ 710. */
  enum { S = 3000 };
  static double mean[S + 1];
  CHECK(gl_matprod_ensemble(4, S, 1.0, GL_ENS_GAUSSIAN, 2, 0, mean, 0, NULL) == GL_OK);
  CHECK(isfinite(mean[S]) && mean[S] > 1000);
}

TEST(ensemble_rejects_bad_arguments_with_a_message) {
  double mean[11], fan[44];
  CHECK(gl_matprod_ensemble(0, 10, 1, 0, 4, 0, mean, 0, NULL) == GL_EINVAL);
  CHECK(gl_matprod_ensemble(65, 10, 1, 0, 4, 0, mean, 0, NULL) == GL_ERANGE);
  CHECK(gl_matprod_ensemble(4, -1, 1, 0, 4, 0, mean, 0, NULL) == GL_EINVAL);
  CHECK(gl_matprod_ensemble(4, 10001, 1, 0, 4, 0, mean, 0, NULL) == GL_ERANGE);
  CHECK(gl_matprod_ensemble(4, 10, 0, 0, 4, 0, mean, 0, NULL) == GL_EINVAL);
  CHECK(gl_matprod_ensemble(4, 10, NAN, 0, 4, 0, mean, 0, NULL) == GL_EINVAL);
  CHECK(gl_matprod_ensemble(4, 10, INFINITY, 0, 4, 0, mean, 0, NULL) == GL_EINVAL);
  CHECK(gl_matprod_ensemble(4, 10, 1, 2, 4, 0, mean, 0, NULL) == GL_EINVAL);
  CHECK(gl_matprod_ensemble(4, 10, 1, 0, 0, 0, mean, 0, NULL) == GL_EINVAL);
  CHECK(gl_matprod_ensemble(4, 10, 1, 0, 100001, 0, mean, 0, NULL) == GL_ERANGE);
  CHECK(gl_matprod_ensemble(4, 10, 1, 0, 4, -1, mean, 0, NULL) == GL_EINVAL);
  CHECK(gl_matprod_ensemble(4, 10, 1, 0, 4, 1.5, mean, 0, NULL) == GL_EINVAL);
  CHECK(gl_matprod_ensemble(4, 10, 1, 0, 4, 0, mean, 5, fan) == GL_ERANGE);
  CHECK(gl_matprod_ensemble(4, 10, 1, 0, 4, 0, mean, -1, fan) == GL_EINVAL);
  CHECK(gl_matprod_ensemble(4, 10, 1, 0, 4, 0, NULL, 0, NULL) == GL_EINVAL);
  CHECK(strlen(gl_last_error()) > 0);
  /* a NULL fan is allowed whatever fan_count says */
  CHECK(gl_matprod_ensemble(4, 10, 1, 0, 4, 0, mean, 4, NULL) == GL_OK);
}

/* Found by fuzz_matprod: σ near DBL_MAX overflowed the draws, so
 * ln‖M_k‖ was +Inf (and a subnormal σ gave −Inf); the renormalised product
 * does not depend on σ, so ln‖M_k‖ is the σ = 1 value plus (k + 1)·ln σ. */
TEST(ensemble_log_norms_are_finite_for_any_finite_sigma) {
  enum { K = 5 };
  double one[K + 1], big[K + 1], tiny[K + 1];
  for (int ens = 0; ens < 2; ens++) {
    CHECK(gl_matprod_ensemble(4, K, 1.0, ens, 3, 7, one, 0, NULL) == GL_OK);
    CHECK(gl_matprod_ensemble(4, K, 1e308, ens, 3, 7, big, 0, NULL) == GL_OK);
    CHECK(gl_matprod_ensemble(4, K, 4.9e-324, ens, 3, 7, tiny, 0, NULL) == GL_OK);
    for (int k = 0; k <= K; k++) {
      CHECK(isfinite(big[k]) && isfinite(tiny[k]));
      CHECK_NEAR(big[k], one[k] + (k + 1) * log(1e308), 1e-9 * (k + 1) * 710);
      CHECK_NEAR(tiny[k], one[k] + (k + 1) * log(4.9e-324), 1e-9 * (k + 1) * 745);
    }
  }
}

int main(void) {
  RUN(orthogonal_square_matrix_satisfies_qt_q_equals_identity);
  RUN(orthogonal_tall_matrix_has_orthonormal_columns);
  RUN(orthogonal_wide_matrix_has_orthonormal_rows);
  RUN(orthogonal_scale_multiplies_the_gram_matrix_by_scale_squared);
  RUN(orthogonal_one_by_one_is_plus_or_minus_scale);
  RUN(orthogonal_wide_draw_is_the_transpose_of_the_tall_draw_from_the_same_stream);
  RUN(orthogonal_float32_is_the_float64_draw_rounded);
  RUN(orthogonal_draws_are_unbiased_as_haar_measure_requires);
  RUN(orthogonal_rejects_bad_arguments_with_a_message);
  RUN(theory_typical_growth_is_ln_sigma_plus_half_ln2_plus_digamma_n_over_2);
  RUN(theory_orthogonal_ensemble_grows_at_ln_sigma_and_is_critical_at_one);
  RUN(theory_rejects_bad_arguments_with_a_message);
  RUN(classic_demo_four_by_four_standard_normal_after_100_steps_is_astronomically_large);
  RUN(float32_product_overflows_near_ln_flt_max_over_the_typical_rate);
  RUN(float64_product_survives_1000_steps_that_overflow_float32);
  RUN(float64_norm_is_finite_when_entries_are_near_1e200);
  RUN(float64_norm_is_right_when_every_square_underflows);
  RUN(float64_norm_does_not_vanish_while_the_entries_decay);
  RUN(float32_and_float64_trajectories_share_their_factors);
  RUN(matprod_norms_are_frobenius_norms_of_first_and_last);
  RUN(matprod_traj_holds_the_top_left_block_of_every_step);
  RUN(matprod_is_deterministic_for_a_seed_and_differs_across_seeds);
  RUN(orthogonal_product_keeps_its_norm_for_1000_steps);
  RUN(matprod_rejects_bad_arguments_with_a_message);
  RUN(ensemble_trial_one_reproduces_matprod_float64_log_norms);
  RUN(gaussian_log_norm_grows_at_ln_sigma_plus_half_of_ln2_plus_digamma_n_over_2);
  RUN(digamma_critical_sigma_keeps_the_typical_norm_flat);
  RUN(mean_square_norm_grows_by_n_sigma_squared_per_step);
  RUN(orthogonal_ensemble_log_norm_stays_at_ln_sqrt_n_for_1000_steps);
  RUN(ensemble_never_overflows_where_a_single_float64_product_would);
  RUN(ensemble_rejects_bad_arguments_with_a_message);
  RUN(ensemble_log_norms_are_finite_for_any_finite_sigma);
  return check_summary("matprod");
}
