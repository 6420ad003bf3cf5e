/* test_meanfield.c — Gaussian expectations and the mean-field variance maps. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "gradlab.h"

#define K2 (0.01 * 0.01) /* leaky slope squared */

static const double qs[] = {1e-8, 1e-4, 0.09, 0.5, 1, 2.3, 4, 9, 16, 25, 100, 400, 1e4, 1e6, 1e12};
#define NQ (sizeof qs / sizeof qs[0])

TEST(relu_second_moment_is_half_q_and_gradient_moment_is_half) {
  for (size_t i = 0; i < NQ; i++) {
    CHECK_REL(gl_gauss_expect(GL_RELU, 0, qs[i]), qs[i] / 2, 1e-12);
    CHECK_REL(gl_gauss_expect(GL_RELU, 1, qs[i]), 0.5, 1e-12);
  }
}

TEST(linear_second_moment_is_q_and_gradient_moment_is_1) {
  for (size_t i = 0; i < NQ; i++) {
    CHECK_REL(gl_gauss_expect(GL_LINEAR, 0, qs[i]), qs[i], 1e-12);
    CHECK_REL(gl_gauss_expect(GL_LINEAR, 1, qs[i]), 1.0, 1e-12);
  }
}

TEST(leaky_relu_moments_are_one_plus_slope_squared_halves) {
  for (size_t i = 0; i < NQ; i++) {
    CHECK_REL(gl_gauss_expect(GL_LEAKY_RELU, 0, qs[i]), (1 + K2) * qs[i] / 2, 1e-12);
    CHECK_REL(gl_gauss_expect(GL_LEAKY_RELU, 1, qs[i]), (1 + K2) / 2, 1e-12);
  }
}

/* Reference: the trapezoid rule in z over [−12, 12] with step 0.01/max(1, √q).
 * For an integrand analytic in a strip of half-width π/(2√q) (tanh's poles)
 * its error is ~exp(−π²/(√q·h)) = e^−987: far below 1e-14; the Gaussian's
 * mass beyond 12 is 4e-33. */
static double act_d(int act, double u, int which) {
  double y, one = 1, d;
  gl_act_forward(act, GL_F64, 1, &u, &y);
  gl_act_backward(act, GL_F64, 1, &u, &y, &one, &d);
  return which ? d * d : y * y;
}
static double dense_expect(int act, int which, double q) {
  const double s = sqrt(q), h = 0.01 / (s > 1 ? s : 1);
  const int n = (int)ceil(24 / h);
  const double step = 24.0 / n;
  double sum = 0;
  for (int i = 0; i <= n; i++) {
    double z = -12 + i * step, wt = (i == 0 || i == n) ? 0.5 : 1;
    sum += wt * act_d(act, s * z, which) * exp(-0.5 * z * z);
  }
  return sum * step / sqrt(2 * 3.14159265358979323846);
}

TEST(smooth_activations_match_a_dense_numeric_integral_to_1e_8) {
  const int acts[] = {GL_TANH, GL_SIGMOID, GL_GELU};
  double worst = 0;
  for (int a = 0; a < 3; a++)
    for (size_t i = 0; i < NQ; i++) {
      if (qs[i] > 1e6) continue; /* keep the reference cheap */
      for (int which = 0; which < 2; which++) {
        double got = gl_gauss_expect(acts[a], which, qs[i]);
        double ref = dense_expect(acts[a], which, qs[i]);
        CHECK_REL(got, ref, 1e-8);
        worst = fmax(worst, fabs(got - ref) / ref);
      }
    }
  printf("     worst relative error vs dense integral: %.2e\n", worst);
}

/* The panel layout changes at √q = 1 and √q = 4; the answer must not. */
TEST(expectation_is_continuous_where_the_panel_layout_changes) {
  const double edges[] = {1, 16};
  for (int e = 0; e < 2; e++)
    for (int act = 0; act < GL_ACT_COUNT; act++)
      for (int which = 0; which < 2; which++) {
        double lo = gl_gauss_expect(act, which, edges[e] * (1 - 1e-12));
        double hi = gl_gauss_expect(act, which, edges[e] * (1 + 1e-12));
        CHECK_REL(lo, hi, 1e-11);
      }
}

TEST(zero_variance_gives_the_value_at_zero) {
  CHECK_NEAR(gl_gauss_expect(GL_SIGMOID, 0, 0), 0.25, 0);
  CHECK_NEAR(gl_gauss_expect(GL_SIGMOID, 1, 0), 0.0625, 0);
  CHECK_NEAR(gl_gauss_expect(GL_TANH, 1, 0), 1, 0);
  CHECK_NEAR(gl_gauss_expect(GL_RELU, 1, 0), 0, 0); /* relu'(0) = 0, as PyTorch */
  CHECK_NEAR(gl_gauss_expect(GL_GELU, 1, 0), 0.25, 1e-16);
  CHECK_NEAR(gl_gauss_expect(GL_LINEAR, 0, 0), 0, 0);
}

TEST(infinite_variance_gives_the_limits) {
  CHECK_NEAR(gl_gauss_expect(GL_SIGMOID, 0, INFINITY), 0.5, 0);
  CHECK_NEAR(gl_gauss_expect(GL_TANH, 0, INFINITY), 1, 0);
  CHECK_NEAR(gl_gauss_expect(GL_TANH, 1, INFINITY), 0, 0);
  CHECK(isinf(gl_gauss_expect(GL_RELU, 0, INFINITY)));
  CHECK_NEAR(gl_gauss_expect(GL_RELU, 1, INFINITY), 0.5, 0);
  CHECK_NEAR(gl_gauss_expect(GL_LEAKY_RELU, 1, INFINITY), (1 + K2) / 2, 1e-16);
  /* and the finite answers approach them */
  CHECK_NEAR(gl_gauss_expect(GL_SIGMOID, 0, 1e30), 0.5, 1e-12);
  CHECK_NEAR(gl_gauss_expect(GL_TANH, 0, 1e30), 1, 1e-12);
}

TEST(bad_expectation_arguments_give_nan) {
  CHECK(isnan(gl_gauss_expect(-1, 0, 1)));
  CHECK(isnan(gl_gauss_expect(GL_ACT_COUNT, 0, 1)));
  CHECK(isnan(gl_gauss_expect(GL_TANH, 2, 1)));
  CHECK(isnan(gl_gauss_expect(GL_TANH, 0, -1)));
  CHECK(isnan(gl_gauss_expect(GL_TANH, 0, NAN)));
}

TEST(linear_net_variance_grows_as_sw2_to_the_depth) {
  enum { L = 30 };
  double z[L], g[L];
  CHECK(gl_meanfield(GL_LINEAR, 1.5, 0.7, 2.0, L, z, g) == GL_OK);
  for (int l = 0; l < L; l++) {
    CHECK_REL(z[l], 0.7 * pow(1.5, l + 1), 1e-12);     /* z_{l+1} */
    CHECK_REL(g[l], 2.0 * pow(1.5, L - 1 - l), 1e-12); /* ∂z_{l+1} */
  }
}

TEST(relu_with_sw2_2_keeps_the_variance_and_sw2_1_halves_it) {
  enum { L = 50 };
  double z[L], g[L];
  CHECK(gl_meanfield(GL_RELU, 2.0, 1.0, 1.0, L, z, g) == GL_OK);
  for (int l = 0; l < L; l++) {
    CHECK_REL(z[l], 2.0, 1e-12);
    CHECK_REL(g[l], 0.5, 1e-12); /* E[φ'²] = ½, then ×σ_w²·½ = 1 per layer */
  }
  CHECK(gl_meanfield(GL_RELU, 1.0, 1.0, 1.0, L, z, g) == GL_OK);
  for (int l = 1; l < L; l++) {
    CHECK_REL(z[l] / z[l - 1], 0.5, 1e-12);
    CHECK_REL(g[l - 1] / g[l], 0.5, 1e-12);
  }
}

TEST(tanh_recursion_is_the_iterated_variance_map) {
  enum { L = 12 };
  double z[L], g[L], sw2 = 25.0 / 9.0;
  CHECK(gl_meanfield(GL_TANH, sw2, 1.0, 3.0, L, z, g) == GL_OK);
  double q = sw2 * 1.0;
  for (int l = 0; l < L; l++) {
    CHECK_REL(z[l], q, 1e-14);
    q = sw2 * gl_gauss_expect(GL_TANH, 0, q);
  }
  double v = 3.0 * gl_gauss_expect(GL_TANH, 1, z[L - 1]);
  for (int l = L - 1; l >= 0; l--) {
    CHECK_REL(g[l], v, 1e-13);
    if (l) v *= sw2 * gl_gauss_expect(GL_TANH, 1, z[l - 1]);
  }
}

/* At σ_w² = 1, tanh² ≈ z² − (2/3)z⁴ gives q ↦ q − 2q²: q_l ≈ 1/(2l). */
TEST(critical_tanh_variance_decays_like_one_over_2l) {
  enum { L = 100000 };
  double *z = malloc(sizeof(double) * L), *g = malloc(sizeof(double) * L);
  clock_t t0 = clock();
  CHECK(gl_meanfield(GL_TANH, 1.0, 1.0, 1.0, L, z, g) == GL_OK);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  printf("     depth 100000 tanh mean field: %.2f s; 2l*q_l = %.5f\n", secs,
         2.0 * L * z[L - 1]);
  CHECK_REL(2.0 * L * z[L - 1], 1.0, 1e-3); /* corrections ~ ln(l)/l */
  CHECK(z[L - 1] > 0);
  free(z);
  free(g);
}

TEST(zero_weights_give_zero_variance) {
  double z[3], g[3];
  CHECK(gl_meanfield(GL_TANH, 0.0, 1.0, 1.0, 3, z, g) == GL_OK);
  CHECK(z[0] == 0 && z[2] == 0);
  CHECK_NEAR(g[2], 1.0, 0); /* tanh'(0)² · g_var */
  CHECK(g[1] == 0);
}

TEST(bad_meanfield_inputs_return_a_status_and_a_message) {
  double z[4], g[4];
  CHECK(gl_meanfield(-1, 1, 1, 1, 4, z, g) == GL_EINVAL);
  CHECK(gl_meanfield(GL_TANH, 1, 1, 1, 0, z, g) == GL_EINVAL);
  CHECK(gl_meanfield(GL_TANH, 1, 1, 1, 100001, z, g) == GL_ERANGE);
  CHECK(gl_meanfield(GL_TANH, -1, 1, 1, 4, z, g) == GL_EINVAL);
  CHECK(gl_meanfield(GL_TANH, INFINITY, 1, 1, 4, z, g) == GL_EINVAL);
  CHECK(gl_meanfield(GL_TANH, 1, NAN, 1, 4, z, g) == GL_EINVAL);
  CHECK(gl_meanfield(GL_TANH, 1, -2, 1, 4, z, g) == GL_EINVAL);
  CHECK(gl_meanfield(GL_TANH, 1, 1, -1, 4, z, g) == GL_EINVAL);
  CHECK(gl_meanfield(GL_TANH, 1, 1, 1, 4, NULL, g) == GL_EINVAL);
  CHECK(gl_meanfield(GL_TANH, 1, 1, 1, 4, z, NULL) == GL_EINVAL);
  CHECK(strstr(gl_last_error(), "grad_z_var") != NULL);
}

/* Found by fuzz_meanfield: σ_w²·q_x past DBL_MAX saturates a sigmoid
 * (E[φ'²] = 0 at q = +Inf) and the backward sweep gave Inf·0 = NaN. */
TEST(a_saturated_layer_gives_zero_gradient_variance_not_nan) {
  double z[3], g[3];
  CHECK(gl_meanfield(GL_SIGMOID, 1e308, 1e308, 1e308, 3, z, g) == GL_OK);
  for (int l = 0; l < 3; l++) CHECK(!isnan(g[l]) && !isnan(z[l]));
  CHECK(g[0] == 0);
}

int main(void) {
  RUN(relu_second_moment_is_half_q_and_gradient_moment_is_half);
  RUN(linear_second_moment_is_q_and_gradient_moment_is_1);
  RUN(leaky_relu_moments_are_one_plus_slope_squared_halves);
  RUN(smooth_activations_match_a_dense_numeric_integral_to_1e_8);
  RUN(expectation_is_continuous_where_the_panel_layout_changes);
  RUN(zero_variance_gives_the_value_at_zero);
  RUN(infinite_variance_gives_the_limits);
  RUN(bad_expectation_arguments_give_nan);
  RUN(linear_net_variance_grows_as_sw2_to_the_depth);
  RUN(relu_with_sw2_2_keeps_the_variance_and_sw2_1_halves_it);
  RUN(tanh_recursion_is_the_iterated_variance_map);
  RUN(critical_tanh_variance_decays_like_one_over_2l);
  RUN(zero_weights_give_zero_variance);
  RUN(bad_meanfield_inputs_return_a_status_and_a_message);
  RUN(a_saturated_layer_gives_zero_gradient_variance_not_nan);
  return check_summary("meanfield");
}
