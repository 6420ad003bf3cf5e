/* test_xavier.c — gl_xavier_check: the Monte-Carlo figures of the Xavier
 * derivation agree with its formulas within 4 standard errors (fixed seeds,
 * so nothing flakes), the errors are small enough for that to mean something
 * (no vacuous pass), and where an assumption breaks the figures disagree with
 * d2l's formula by many standard errors. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "gradlab.h"

/* A config with d2l's assumptions: N(0, σ²) weights, N(0, 1) inputs, independent. */
static void base_cfg(double *c, int n_in, int n_out) {
  for (int i = 0; i < GL_XAVIER_NCFG; i++) c[i] = 0;
  c[GL_XAVIER_CFG_N_IN] = n_in;
  c[GL_XAVIER_CFG_N_OUT] = n_out;
  c[GL_XAVIER_CFG_SIGMA] = NAN; /* Xavier's */
  c[GL_XAVIER_CFG_W_DIST] = GL_XD_NORMAL;
  c[GL_XAVIER_CFG_X_DIST] = GL_XD_NORMAL;
  c[GL_XAVIER_CFG_MU] = 0;
  c[GL_XAVIER_CFG_GAMMA] = 1;
  c[GL_XAVIER_CFG_DELTA] = 1;
  c[GL_XAVIER_CFG_SAMPLES] = 20000;
  c[GL_XAVIER_CFG_DTYPE] = GL_F32;
  c[GL_XAVIER_CFG_SEED] = 1;
}

/* |measured − formula| ≤ k·SE, and the SE is at most `rel` of the formula's
 * scale (else "agreement" would be vacuous).  An SE of 0 is a figure with no
 * spread at all (w² of a Rademacher weight is σ² every time): then only the
 * float32 rounding of the draws separates the two. */
#define CHECK_WITHIN_SE(S, what, se, formula, k, rel)                                 \
  do {                                                                                \
    CHECK_NEAR((S)[what], (formula), (k) * (S)[se] + 1e-7 * fabs(formula));           \
    CHECK((S)[se] >= 0 && (S)[se] <= (rel) * fabs(formula));                          \
  } while (0)

/* Every figure of one run against its formula: E[o], Var[o] (exact), the
 * backward Var, the weights' variance and the inputs' E[x²]. */
static void check_all_agree(const double *cfg, const char *label) {
  double S[GL_XAVIER_NSTAT];
  CHECK(gl_xavier_check(cfg, S, 0, NULL, NULL) == GL_OK);
  const double sd_o = sqrt(S[GL_XAVIER_TH_O_VAR]);
  CHECK_NEAR(S[GL_XAVIER_O_MEAN], 0, 4 * S[GL_XAVIER_O_MEAN_SE]);
  CHECK(S[GL_XAVIER_O_MEAN_SE] <= 0.05 * sd_o);
  CHECK_WITHIN_SE(S, GL_XAVIER_O_VAR, GL_XAVIER_O_VAR_SE, S[GL_XAVIER_TH_O_VAR], 4, 0.1);
  CHECK_WITHIN_SE(S, GL_XAVIER_G_VAR, GL_XAVIER_G_VAR_SE, S[GL_XAVIER_TH_G_VAR], 4, 0.05);
  CHECK_NEAR(S[GL_XAVIER_G_MEAN], 0, 4 * S[GL_XAVIER_G_MEAN_SE]);
  CHECK_WITHIN_SE(S, GL_XAVIER_W_VAR, GL_XAVIER_W_VAR_SE, S[GL_XAVIER_SIGMA] * S[GL_XAVIER_SIGMA], 4, 0.05);
  CHECK_WITHIN_SE(S, GL_XAVIER_X_SQ, GL_XAVIER_X_SQ_SE, S[GL_XAVIER_TH_X_SQ], 4, 0.05);
  CHECK_NEAR(S[GL_XAVIER_X_MEAN], S[GL_XAVIER_TH_X_MEAN], 4 * S[GL_XAVIER_X_MEAN_SE]);
  printf("     %-34s Var[o] %.5g ± %.2g (formula %.5g), Var[g] %.5g ± %.2g (formula %.5g)\n", label,
         S[GL_XAVIER_O_VAR], S[GL_XAVIER_O_VAR_SE], S[GL_XAVIER_TH_O_VAR], S[GL_XAVIER_G_VAR],
         S[GL_XAVIER_G_VAR_SE], S[GL_XAVIER_TH_G_VAR]);
}

TEST(var_o_is_n_in_sigma2_gamma2_for_every_zero_mean_family_pair) {
  static const char *names[] = {"normal", "uniform", "rademacher", "laplace"};
  double c[GL_XAVIER_NCFG];
  for (int wd = 0; wd < GL_XAVIER_WEIGHT_DISTS; wd++) {
    for (int xd = 0; xd < GL_XAVIER_WEIGHT_DISTS; xd++) {
      base_cfg(c, 64, 16);
      c[GL_XAVIER_CFG_W_DIST] = wd;
      c[GL_XAVIER_CFG_X_DIST] = xd;
      c[GL_XAVIER_CFG_GAMMA] = 0.5 + xd;
      c[GL_XAVIER_CFG_DELTA] = 2;
      c[GL_XAVIER_CFG_SEED] = 10 * wd + xd;
      double S[GL_XAVIER_NSTAT];
      CHECK(gl_xavier_check(c, S, 0, NULL, NULL) == GL_OK);
      /* under d2l's assumptions the three formulas coincide */
      CHECK_REL(S[GL_XAVIER_TH_O_VAR_D2L], 64 * S[GL_XAVIER_SIGMA] * S[GL_XAVIER_SIGMA] * (0.5 + xd) * (0.5 + xd), 1e-12);
      CHECK(S[GL_XAVIER_TH_O_VAR] == S[GL_XAVIER_TH_O_VAR_D2L] && S[GL_XAVIER_TH_O_VAR_IND] == S[GL_XAVIER_TH_O_VAR_D2L]);
      char label[64];
      snprintf(label, sizeof label, "w %s, x %s:", names[wd], names[xd]);
      check_all_agree(c, label);
    }
  }
}

TEST(float64_and_a_chosen_sigma_agree_too) {
  double c[GL_XAVIER_NCFG];
  base_cfg(c, 100, 300);
  c[GL_XAVIER_CFG_DTYPE] = GL_F64;
  c[GL_XAVIER_CFG_SIGMA] = 0.3;
  c[GL_XAVIER_CFG_GAMMA] = 2;
  check_all_agree(c, "float64, sigma 0.3, gamma 2:");
}

TEST(xavier_sigma_is_the_compromise_and_neither_factor_is_one_when_fans_differ) {
  double c[GL_XAVIER_NCFG], S[GL_XAVIER_NSTAT];
  base_cfg(c, 1024, 64);
  c[GL_XAVIER_CFG_SAMPLES] = 2;
  CHECK(gl_xavier_check(c, S, 0, NULL, NULL) == GL_OK);
  CHECK_REL(S[GL_XAVIER_SIGMA], sqrt(2.0 / 1088), 1e-15);
  CHECK_REL(S[GL_XAVIER_XAVIER_BOUND], sqrt(6.0 / 1088), 1e-15);
  CHECK_REL(S[GL_XAVIER_XAVIER_BOUND] * S[GL_XAVIER_XAVIER_BOUND] / 3, S[GL_XAVIER_SIGMA] * S[GL_XAVIER_SIGMA], 1e-14);
  CHECK_NEAR(S[GL_XAVIER_FWD_FACTOR], 1.882, 5e-4); /* 2048/1088 */
  CHECK_NEAR(S[GL_XAVIER_BWD_FACTOR], 0.1176, 5e-5); /* 128/1088 */
  CHECK_REL(0.5 * (S[GL_XAVIER_FWD_FACTOR] + S[GL_XAVIER_BWD_FACTOR]), 1.0, 1e-14);
}

TEST(a_uniform_weight_with_the_xavier_bound_has_variance_a2_over_3) {
  double c[GL_XAVIER_NCFG], S[GL_XAVIER_NSTAT];
  base_cfg(c, 1024, 64);
  c[GL_XAVIER_CFG_W_DIST] = GL_XD_UNIFORM;
  c[GL_XAVIER_CFG_SAMPLES] = 2000;
  CHECK(gl_xavier_check(c, S, 0, NULL, NULL) == GL_OK);
  const double a = S[GL_XAVIER_XAVIER_BOUND];
  CHECK_WITHIN_SE(S, GL_XAVIER_W_VAR, GL_XAVIER_W_VAR_SE, a * a / 3, 4, 0.01);
}

TEST(inputs_that_are_not_zero_mean_give_n_in_sigma2_times_gamma2_plus_mu2) {
  double c[GL_XAVIER_NCFG], S[GL_XAVIER_NSTAT];
  base_cfg(c, 256, 64);
  c[GL_XAVIER_CFG_MU] = 1;
  CHECK(gl_xavier_check(c, S, 0, NULL, NULL) == GL_OK);
  const double s2 = S[GL_XAVIER_SIGMA] * S[GL_XAVIER_SIGMA];
  CHECK_REL(S[GL_XAVIER_TH_O_VAR], 256 * s2 * 2, 1e-12); /* γ² + μ² = 2 */
  CHECK_REL(S[GL_XAVIER_TH_O_VAR_D2L], 256 * s2 * 1, 1e-12);
  check_all_agree(c, "x ~ N(1, 1):");
  /* E[o] is still 0 (E[w] = 0), but d2l's n_in σ² γ² is off by many SEs */
  CHECK(fabs(S[GL_XAVIER_O_VAR] - S[GL_XAVIER_TH_O_VAR_D2L]) > 20 * S[GL_XAVIER_O_VAR_SE]);
  printf("     d2l's formula %.5g is %.0f SE from the measured %.5g\n", S[GL_XAVIER_TH_O_VAR_D2L],
         fabs(S[GL_XAVIER_O_VAR] - S[GL_XAVIER_TH_O_VAR_D2L]) / S[GL_XAVIER_O_VAR_SE], S[GL_XAVIER_O_VAR]);
}

TEST(after_a_relu_e_x2_is_half_e_z2_which_is_why_kaiming_doubles) {
  double c[GL_XAVIER_NCFG], S[GL_XAVIER_NSTAT];
  base_cfg(c, 256, 64);
  c[GL_XAVIER_CFG_X_DIST] = GL_XD_RELU_NORMAL;
  c[GL_XAVIER_CFG_GAMMA] = 2;
  CHECK(gl_xavier_check(c, S, 0, NULL, NULL) == GL_OK);
  CHECK_REL(S[GL_XAVIER_TH_X_SQ], 0.5 * 4, 1e-12);                       /* ½E[z²] */
  CHECK_REL(S[GL_XAVIER_TH_X_MEAN], 2 / sqrt(2 * M_PI), 1e-12);           /* γ/√(2π) */
  CHECK_REL(S[GL_XAVIER_TH_X_VAR], 4 * (0.5 - 1 / (2 * M_PI)), 1e-12);
  check_all_agree(c, "x = relu(z), z ~ N(0, 4):");
  CHECK(fabs(S[GL_XAVIER_O_VAR] - S[GL_XAVIER_TH_O_VAR_D2L]) > 20 * S[GL_XAVIER_O_VAR_SE]);
  /* with σ² = 2/n_in (Kaiming) the variance is kept: Var[o] = E[z²] */
  c[GL_XAVIER_CFG_SIGMA] = sqrt(2.0 / 256);
  c[GL_XAVIER_CFG_GAMMA] = 1;
  CHECK(gl_xavier_check(c, S, 0, NULL, NULL) == GL_OK);
  CHECK_REL(S[GL_XAVIER_TH_O_VAR], 1.0, 1e-12);
  CHECK_NEAR(S[GL_XAVIER_O_VAR], 1.0, 4 * S[GL_XAVIER_O_VAR_SE]);
  /* a shifted z: the closed form of E[relu(z)] and E[relu(z)²] */
  c[GL_XAVIER_CFG_MU] = -0.7;
  c[GL_XAVIER_CFG_GAMMA] = 1.3;
  check_all_agree(c, "x = relu(z), z ~ N(-0.7, 1.69):");
}

TEST(correlated_inputs_alone_change_nothing_correlated_weights_and_inputs_do) {
  double c[GL_XAVIER_NCFG], S[GL_XAVIER_NSTAT];
  /* x repeated (ρ_x = 1), weights independent and zero-mean: still n σ² γ² */
  base_cfg(c, 64, 64);
  c[GL_XAVIER_CFG_RHO_X] = 1;
  CHECK(gl_xavier_check(c, S, 0, NULL, NULL) == GL_OK);
  CHECK(S[GL_XAVIER_TH_O_VAR] == S[GL_XAVIER_TH_O_VAR_D2L]);
  check_all_agree(c, "rho_x 1:");
  /* one weight per row (ρ_w = 1), zero-mean independent x: still n σ² γ² */
  base_cfg(c, 64, 64);
  c[GL_XAVIER_CFG_SEED] = 2;
  c[GL_XAVIER_CFG_RHO_W] = 1;
  CHECK(gl_xavier_check(c, S, 0, NULL, NULL) == GL_OK);
  CHECK(S[GL_XAVIER_TH_O_VAR] == S[GL_XAVIER_TH_O_VAR_D2L]);
  check_all_agree(c, "rho_w 1:");
  /* both correlated: n σ² γ² (1 + (n − 1) ρ_w ρ_x) */
  base_cfg(c, 16, 64);
  c[GL_XAVIER_CFG_RHO_W] = 0.5;
  c[GL_XAVIER_CFG_RHO_X] = 0.5;
  c[GL_XAVIER_CFG_SAMPLES] = 100000;
  CHECK(gl_xavier_check(c, S, 0, NULL, NULL) == GL_OK);
  const double s2 = S[GL_XAVIER_SIGMA] * S[GL_XAVIER_SIGMA];
  CHECK_REL(S[GL_XAVIER_TH_O_VAR], 16 * s2 * (1 + 15 * 0.25), 1e-12);
  check_all_agree(c, "rho_w 0.5, rho_x 0.5, n_in 16:");
  CHECK(fabs(S[GL_XAVIER_O_VAR] - S[GL_XAVIER_TH_O_VAR_D2L]) > 20 * S[GL_XAVIER_O_VAR_SE]);
  /* one weight per row and a non-zero mean of x: + n(n − 1) σ² μ² */
  base_cfg(c, 16, 64);
  c[GL_XAVIER_CFG_RHO_W] = 1;
  c[GL_XAVIER_CFG_MU] = 0.5;
  CHECK(gl_xavier_check(c, S, 0, NULL, NULL) == GL_OK);
  CHECK_REL(S[GL_XAVIER_TH_O_VAR], 16 * s2 * 1.25 + 16 * 15 * s2 * 0.25, 1e-12);
  check_all_agree(c, "rho_w 1, mu 0.5, n_in 16:");
  CHECK(fabs(S[GL_XAVIER_O_VAR] - S[GL_XAVIER_TH_O_VAR_IND]) > 20 * S[GL_XAVIER_O_VAR_SE]);
}

TEST(the_same_seed_gives_the_same_figures_and_the_histogram_counts_every_trial) {
  double c[GL_XAVIER_NCFG], S1[GL_XAVIER_NSTAT], S2[GL_XAVIER_NSTAT], h[50], range[2];
  base_cfg(c, 32, 8);
  c[GL_XAVIER_CFG_SAMPLES] = 5000;
  CHECK(gl_xavier_check(c, S1, 50, h, range) == GL_OK);
  CHECK(gl_xavier_check(c, S2, 0, NULL, NULL) == GL_OK);
  CHECK(memcmp(S1, S2, sizeof S1) == 0);
  double total = 0;
  for (int k = 0; k < 50; k++) total += h[k];
  CHECK(total == 5000);
  CHECK_REL(range[1], 4 * sqrt(S1[GL_XAVIER_TH_O_VAR]), 1e-15);
  CHECK(range[0] == -range[1]);
  c[GL_XAVIER_CFG_SEED] = 2;
  CHECK(gl_xavier_check(c, S2, 0, NULL, NULL) == GL_OK);
  CHECK(S1[GL_XAVIER_O_VAR] != S2[GL_XAVIER_O_VAR]);
}

TEST(bad_configs_and_absurd_work_are_refused_with_a_message) {
  double c[GL_XAVIER_NCFG], S[GL_XAVIER_NSTAT], h[4], range[2];
  const struct { int at; double v; int status; } bad[] = {
      {GL_XAVIER_CFG_N_IN, 0, GL_EINVAL},       {GL_XAVIER_CFG_N_IN, 2.5, GL_EINVAL},
      {GL_XAVIER_CFG_N_OUT, GL_MAX_FAN + 1, GL_ERANGE}, {GL_XAVIER_CFG_SIGMA, -1, GL_EINVAL},
      {GL_XAVIER_CFG_SIGMA, INFINITY, GL_EINVAL}, {GL_XAVIER_CFG_W_DIST, GL_XD_RELU_NORMAL, GL_EINVAL},
      {GL_XAVIER_CFG_X_DIST, GL_XD_DIST_COUNT, GL_ERANGE}, {GL_XAVIER_CFG_MU, NAN, GL_EINVAL},
      {GL_XAVIER_CFG_GAMMA, -0.1, GL_EINVAL},   {GL_XAVIER_CFG_DELTA, NAN, GL_EINVAL},
      {GL_XAVIER_CFG_RHO_W, 1.5, GL_EINVAL},    {GL_XAVIER_CFG_RHO_X, NAN, GL_EINVAL},
      {GL_XAVIER_CFG_SAMPLES, 1, GL_EINVAL},    {GL_XAVIER_CFG_SAMPLES, GL_XAVIER_MAX_SAMPLES + 1, GL_ERANGE},
      {GL_XAVIER_CFG_DTYPE, 2, GL_ERANGE},      {GL_XAVIER_CFG_SEED, -1, GL_EINVAL},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    base_cfg(c, 8, 8);
    c[bad[i].at] = bad[i].v;
    CHECK_FAILS_WITH(gl_xavier_check(c, S, 0, NULL, NULL), bad[i].status);
  }
  base_cfg(c, GL_MAX_FAN, GL_MAX_FAN);
  c[GL_XAVIER_CFG_SAMPLES] = 1000;
  CHECK_FAILS_WITH(gl_xavier_check(c, S, 0, NULL, NULL), GL_ERANGE);
  CHECK(strstr(gl_last_error(), "more than the cap of 67108864") != NULL);
  printf("     message: %s\n", gl_last_error());
  base_cfg(c, 8, 8);
  CHECK_FAILS_WITH(gl_xavier_check(NULL, S, 0, NULL, NULL), GL_EINVAL);
  CHECK_FAILS_WITH(gl_xavier_check(c, NULL, 0, NULL, NULL), GL_EINVAL);
  CHECK_FAILS_WITH(gl_xavier_check(c, S, 4, NULL, range), GL_EINVAL);
  CHECK_FAILS_WITH(gl_xavier_check(c, S, GL_MAX_BINS + 1, h, range), GL_ERANGE);
  CHECK_FAILS_WITH(gl_xavier_check(c, S, -1, h, range), GL_EINVAL);
}

int main(void) {
  RUN(var_o_is_n_in_sigma2_gamma2_for_every_zero_mean_family_pair);
  RUN(float64_and_a_chosen_sigma_agree_too);
  RUN(xavier_sigma_is_the_compromise_and_neither_factor_is_one_when_fans_differ);
  RUN(a_uniform_weight_with_the_xavier_bound_has_variance_a2_over_3);
  RUN(inputs_that_are_not_zero_mean_give_n_in_sigma2_times_gamma2_plus_mu2);
  RUN(after_a_relu_e_x2_is_half_e_z2_which_is_why_kaiming_doubles);
  RUN(correlated_inputs_alone_change_nothing_correlated_weights_and_inputs_do);
  RUN(the_same_seed_gives_the_same_figures_and_the_histogram_counts_every_trial);
  RUN(bad_configs_and_absurd_work_are_refused_with_a_message);
  return check_summary("xavier");
}
