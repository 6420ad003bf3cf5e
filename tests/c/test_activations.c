/* test_activations.c — φ and its vector–Jacobian product for the six
 * activations, the Vanishing panel's curve, arange counts and the chain of
 * stacked activations.  References are closed forms evaluated here in long
 * double; derivatives are also checked against central finite differences of
 * the forward pass.  Statistical checks use fixed seeds and five binomial
 * standard errors. */
#define _POSIX_C_SOURCE 200809L
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gradlab.h"

#define PI_L 3.14159265358979323846264338327950288L
#define SQRT2_L 1.41421356237309504880168872420969808L

/* ---- independent references (long double closed forms) ----------------- */

static long double ref_phi(int act, long double x) {
  switch (act) {
    case GL_SIGMOID: return x >= 0 ? 1.0L / (1.0L + expl(-x)) : expl(x) / (1.0L + expl(x));
    case GL_TANH: return tanhl(x);
    case GL_RELU: return x > 0 ? x : 0.0L;
    case GL_LEAKY_RELU: return x > 0 ? x : 0.01L * x;
    /* 0.5·x·(1 + erf(x/√2)) written as 0.5·x·erfc(−x/√2): no cancellation */
    case GL_GELU: return 0.5L * x * erfcl(-x / SQRT2_L);
    default: return x;
  }
}

static long double ref_dphi(int act, long double x) {
  switch (act) {
    case GL_SIGMOID: {
      const long double s = ref_phi(GL_SIGMOID, x);
      return s * (1.0L - s);
    }
    case GL_TANH: {
      const long double c = coshl(x);
      return 1.0L / (c * c); /* sech² */
    }
    case GL_RELU: return x > 0 ? 1.0L : 0.0L;
    case GL_LEAKY_RELU: return x > 0 ? 1.0L : 0.01L;
    case GL_GELU: /* Φ(x) + x·φ(x) */
      return 0.5L * erfcl(-x / SQRT2_L) + x * expl(-0.5L * x * x) / sqrtl(2.0L * PI_L);
    default: return 1.0L;
  }
}

/* Distance in units in the last place between two finite floats. */
static int64_t ulp_distance(float a, float b) {
  int32_t ia, ib;
  memcpy(&ia, &a, sizeof ia);
  memcpy(&ib, &b, sizeof ib);
  /* map sign-magnitude to a monotonic two's-complement line (±0 coincide) */
  const int64_t la = ia < 0 ? (int64_t)INT32_MIN - ia : ia;
  const int64_t lb = ib < 0 ? (int64_t)INT32_MIN - ib : ib;
  return la > lb ? la - lb : lb - la;
}

/* x grid −20..20 step 0.01 plus signed zeros and tiny values. */
enum { GRID = 4001 + 6 };
static void make_grid(double *x) {
  for (int i = 0; i < 4001; i++) x[i] = -20.0 + 0.01 * i;
  const double extra[6] = {0.0, -0.0, 1e-300, -1e-300, 1e-8, -1e-8};
  memcpy(x + 4001, extra, sizeof extra);
}

/* ---- names ------------------------------------------------------------- */

TEST(names_round_trip_and_unknown_names_are_rejected) {
  const char *expected[GL_ACT_COUNT] = {"sigmoid", "tanh", "relu", "leaky_relu", "gelu", "linear"};
  for (int a = 0; a < GL_ACT_COUNT; a++) {
    CHECK(gl_act_name(a) != NULL && strcmp(gl_act_name(a), expected[a]) == 0);
    CHECK(gl_act_from_name(gl_act_name(a)) == a);
  }
  CHECK(gl_act_name(-1) == NULL && gl_act_name(GL_ACT_COUNT) == NULL);
  CHECK(gl_act_from_name("swish") == -1);
  CHECK(gl_act_from_name("") == -1);
  CHECK(gl_act_from_name("sigmoid ") == -1);
  CHECK(gl_act_from_name(NULL) == -1);
}

/* ---- forward ----------------------------------------------------------- */

TEST(forward_float64_matches_the_closed_forms_to_1e_15) {
  static double x[GRID], y[GRID];
  make_grid(x);
  for (int a = 0; a < GL_ACT_COUNT; a++) {
    CHECK(gl_act_forward(a, GL_F64, GRID, x, y) == GL_OK);
    int bad = 0;
    for (int i = 0; i < GRID; i++) {
      const double ref = (double)ref_phi(a, x[i]);
      /* GELU is computed as torch does, 0.5x(1 + erf(x/√2)): 1 + erf cancels
       * for x ≪ 0, an absolute error of about ε·|x|/2 on top of 1e-15 rel. */
      const double tol = 1e-15 * fabs(ref) + (a == GL_GELU ? DBL_EPSILON * fabs(x[i]) : 0.0);
      const double err = fabs(y[i] - ref);
      if (!(err <= tol)) {
        if (bad++ < 3)
          fprintf(stderr, "  %s(%.17g) = %.17g, expected %.17g\n", gl_act_name(a), x[i], y[i],
                  ref);
      }
    }
    CHECK(bad == 0);
  }
}

TEST(forward_float32_is_within_4_ulp_of_the_float64_value_rounded) {
  static double xd[GRID];
  static float x[GRID], y[GRID];
  make_grid(xd);
  for (int i = 0; i < GRID; i++) x[i] = (float)xd[i];
  for (int a = 0; a < GL_ACT_COUNT; a++) {
    CHECK(gl_act_forward(a, GL_F32, GRID, x, y) == GL_OK);
    int bad = 0;
    for (int i = 0; i < GRID; i++) {
      const float ref = (float)ref_phi(a, x[i]);
      int ok = ulp_distance(y[i], ref) <= 4;
      /* GELU's 1 + erff(x/√2) cancels for x ≪ 0 (as in torch's float kernel):
       * allow the absolute error ε_f·|x| of that sum as well. */
      if (a == GL_GELU) ok = ok || fabs((double)y[i] - (double)ref) <= FLT_EPSILON * fabsf(x[i]);
      if (!ok && bad++ < 3)
        fprintf(stderr, "  %s_f32(%.9g) = %.9g, expected %.9g (%lld ulp)\n", gl_act_name(a),
                (double)x[i], (double)y[i], (double)ref, (long long)ulp_distance(y[i], ref));
    }
    CHECK(bad == 0);
  }
}

TEST(gelu_negative_tail_follows_torchs_erf_formula_with_bounded_absolute_error) {
  /* Documents the cancellation the tolerance above allows: GELU(−8) ≈
   * −4.9e−15, where 1 + erf(−8/√2) ≈ 1.2e−15 keeps only a few correct bits,
   * and GELU(−40) is −0 instead of −1e−349: the erf form is accurate in
   * absolute, not relative, terms for x ≪ 0 (exactly as torch's kernel). */
  const double x[3] = {-8.0, -10.0, -40.0};
  double y[3];
  CHECK(gl_act_forward(GL_GELU, GL_F64, 3, x, y) == GL_OK);
  for (int i = 0; i < 3; i++) {
    CHECK(isfinite(y[i]) && y[i] <= 0.0);
    CHECK_NEAR(y[i], (double)ref_phi(GL_GELU, x[i]), DBL_EPSILON * fabs(x[i]));
  }
}

TEST(forward_may_run_in_place) {
  static double xd[GRID], yd[GRID], bd[GRID];
  static float xf[GRID], yf[GRID], bf[GRID];
  make_grid(xd);
  for (int a = 0; a < GL_ACT_COUNT; a++) {
    memcpy(bd, xd, sizeof bd);
    CHECK(gl_act_forward(a, GL_F64, GRID, xd, yd) == GL_OK);
    CHECK(gl_act_forward(a, GL_F64, GRID, bd, bd) == GL_OK);
    CHECK(memcmp(bd, yd, sizeof bd) == 0);
    for (int i = 0; i < GRID; i++) xf[i] = bf[i] = (float)xd[i];
    CHECK(gl_act_forward(a, GL_F32, GRID, xf, yf) == GL_OK);
    CHECK(gl_act_forward(a, GL_F32, GRID, bf, bf) == GL_OK);
    CHECK(memcmp(bf, yf, sizeof bf) == 0);
  }
}

/* ---- backward ---------------------------------------------------------- */

TEST(backward_float64_is_g_times_the_closed_form_derivative) {
  static double x[GRID], y[GRID], g[GRID], dx[GRID];
  make_grid(x);
  for (int i = 0; i < GRID; i++) g[i] = 0.5 + 1.5 * sin((double)i);
  for (int a = 0; a < GL_ACT_COUNT; a++) {
    CHECK(gl_act_forward(a, GL_F64, GRID, x, y) == GL_OK);
    CHECK(gl_act_backward(a, GL_F64, GRID, x, y, g, dx) == GL_OK);
    int bad = 0;
    for (int i = 0; i < GRID; i++) {
      const double ref = g[i] * (double)ref_dphi(a, x[i]);
      /* φ' from the rounded saved output (σ(1−σ), 1−y²) or from 1 + erf has
       * absolute error ~ε: 4ε·|g| on top of 1e-14 relative. */
      const double tol = 1e-14 * fabs(ref) + 4 * DBL_EPSILON * fabs(g[i]);
      if (!(fabs(dx[i] - ref) <= tol) && bad++ < 3)
        fprintf(stderr, "  %s'(%.17g)·g = %.17g, expected %.17g\n", gl_act_name(a), x[i], dx[i],
                ref);
    }
    CHECK(bad == 0);
  }
}

TEST(backward_float32_is_g_times_the_closed_form_derivative) {
  static double xd[GRID];
  static float x[GRID], y[GRID], g[GRID], dx[GRID];
  make_grid(xd);
  for (int i = 0; i < GRID; i++) {
    x[i] = (float)xd[i];
    g[i] = (float)(0.5 + 1.5 * sin((double)i));
  }
  for (int a = 0; a < GL_ACT_COUNT; a++) {
    CHECK(gl_act_forward(a, GL_F32, GRID, x, y) == GL_OK);
    CHECK(gl_act_backward(a, GL_F32, GRID, x, y, g, dx) == GL_OK);
    int bad = 0;
    for (int i = 0; i < GRID; i++) {
      const double ref = (double)g[i] * (double)ref_dphi(a, x[i]);
      const double tol = 8 * FLT_EPSILON * fabs(ref) + 4 * FLT_EPSILON * fabs((double)g[i]);
      if (!(fabs((double)dx[i] - ref) <= tol) && bad++ < 3)
        fprintf(stderr, "  %s_f32'(%.9g)·g = %.9g, expected %.9g\n", gl_act_name(a),
                (double)x[i], (double)dx[i], ref);
    }
    CHECK(bad == 0);
  }
}

TEST(backward_matches_central_finite_differences_of_the_forward) {
  /* x = −6.05 + 0.1k never lands within h of the kinks of relu / leaky_relu */
  enum { N = 122 };
  const double h = 1e-6;
  double x[N], xp[N], xm[N], y[N], yp[N], ym[N], g[N], dx[N];
  for (int k = 0; k < N; k++) {
    x[k] = -6.05 + 0.1 * k;
    xp[k] = x[k] + h;
    xm[k] = x[k] - h;
    g[k] = 1.0 + 0.5 * cos((double)k);
  }
  for (int a = 0; a < GL_ACT_COUNT; a++) {
    CHECK(gl_act_forward(a, GL_F64, N, x, y) == GL_OK);
    CHECK(gl_act_forward(a, GL_F64, N, xp, yp) == GL_OK);
    CHECK(gl_act_forward(a, GL_F64, N, xm, ym) == GL_OK);
    CHECK(gl_act_backward(a, GL_F64, N, x, y, g, dx) == GL_OK);
    int bad = 0;
    for (int k = 0; k < N; k++) {
      /* truncation O(h²·φ''') ~ 1e-12, rounding ~ ε·|φ|/h ~ 1e-9 */
      const double fd = g[k] * (yp[k] - ym[k]) / (2 * h);
      if (!(fabs(dx[k] - fd) <= 1e-8 * fabs(g[k])) && bad++ < 3)
        fprintf(stderr, "  %s at %.17g: backward %.17g, finite difference %.17g\n",
                gl_act_name(a), x[k], dx[k], fd);
    }
    CHECK(bad == 0);
  }
}

TEST(sigmoid_and_tanh_backward_use_the_saved_output_not_x) {
  /* The contract: dx = g·y(1−y) (sigmoid) and g·(1−y²) (tanh) for whatever y is
   * passed.  A deliberately wrong y shows which one is read. */
  const double x[3] = {-2.0, 0.0, 3.0}, y[3] = {0.3, 0.9, 0.5}, g[3] = {1.0, -2.0, 0.5};
  double dx[3];
  CHECK(gl_act_backward(GL_SIGMOID, GL_F64, 3, x, y, g, dx) == GL_OK);
  for (int i = 0; i < 3; i++) {
    CHECK_REL(dx[i], g[i] * (y[i] * (1 - y[i])), 1e-15);
    CHECK(fabs(dx[i] - g[i] * (double)ref_dphi(GL_SIGMOID, x[i])) > 1e-3);
  }
  CHECK(gl_act_backward(GL_TANH, GL_F64, 3, x, y, g, dx) == GL_OK);
  for (int i = 0; i < 3; i++) CHECK_REL(dx[i], g[i] * (1 - y[i] * y[i]), 1e-15);
  const float xf[3] = {-2.0f, 0.0f, 3.0f}, yf[3] = {0.3f, 0.9f, 0.5f}, gf[3] = {1.0f, -2.0f, 0.5f};
  float dxf[3];
  CHECK(gl_act_backward(GL_SIGMOID, GL_F32, 3, xf, yf, gf, dxf) == GL_OK);
  for (int i = 0; i < 3; i++) CHECK_REL(dxf[i], gf[i] * (yf[i] * (1.0f - yf[i])), 1e-7);
}

TEST(relu_leaky_gelu_and_linear_backward_use_x_and_ignore_y) {
  const double x[4] = {-1.5, -0.25, 0.5, 2.0}, g[4] = {1.0, 2.0, -1.0, 0.25};
  const double y_nan[4] = {NAN, NAN, NAN, NAN};
  const int acts[4] = {GL_RELU, GL_LEAKY_RELU, GL_GELU, GL_LINEAR};
  for (int k = 0; k < 4; k++) {
    double dx[4];
    CHECK(gl_act_backward(acts[k], GL_F64, 4, x, y_nan, g, dx) == GL_OK);
    for (int i = 0; i < 4; i++)
      CHECK_NEAR(dx[i], g[i] * (double)ref_dphi(acts[k], x[i]), 1e-15);
  }
}

TEST(relu_of_nan_is_nan_as_torch) {
  const double x = NAN;
  const float xf = NAN;
  double y;
  float yf;
  CHECK(gl_act_forward(GL_RELU, GL_F64, 1, &x, &y) == GL_OK && isnan(y));
  CHECK(gl_act_forward(GL_RELU, GL_F32, 1, &xf, &yf) == GL_OK && isnan(yf));
}

TEST(relu_backward_selects_as_torch_a_nan_stops_at_an_off_unit_and_passes_an_on_one) {
  /* torch 1.13: relu(x).backward(g) for x = (−1, 0, 2, NaN), g = (NaN, NaN, NaN, 1) → (0, 0, NaN, 1) */
  const double x[4] = {-1, 0, 2, NAN}, g[4] = {NAN, NAN, NAN, 1};
  const float xf[4] = {-1, 0, 2, NAN}, gf[4] = {NAN, NAN, NAN, 1};
  double y[4], dx[4];
  float yf[4], dxf[4];
  CHECK(gl_act_forward(GL_RELU, GL_F64, 4, x, y) == GL_OK);
  CHECK(gl_act_backward(GL_RELU, GL_F64, 4, x, y, g, dx) == GL_OK);
  CHECK(dx[0] == 0 && dx[1] == 0 && isnan(dx[2]) && dx[3] == 1);
  CHECK(gl_act_forward(GL_RELU, GL_F32, 4, xf, yf) == GL_OK);
  CHECK(gl_act_backward(GL_RELU, GL_F32, 4, xf, yf, gf, dxf) == GL_OK);
  CHECK(dxf[0] == 0 && dxf[1] == 0 && isnan(dxf[2]) && dxf[3] == 1);
}

TEST(relu_gradient_at_zero_is_0_and_leaky_relu_gradient_at_zero_is_the_slope) {
  const double x[2] = {0.0, -0.0}, g[2] = {1.0, 1.0};
  double y[2], dx[2];
  CHECK(gl_act_forward(GL_RELU, GL_F64, 2, x, y) == GL_OK);
  CHECK(gl_act_backward(GL_RELU, GL_F64, 2, x, y, g, dx) == GL_OK);
  CHECK(y[0] == 0.0 && y[1] == 0.0 && dx[0] == 0.0 && dx[1] == 0.0);
  CHECK(gl_act_forward(GL_LEAKY_RELU, GL_F64, 2, x, y) == GL_OK);
  CHECK(gl_act_backward(GL_LEAKY_RELU, GL_F64, 2, x, y, g, dx) == GL_OK);
  CHECK(y[0] == 0.0 && dx[0] == 0.01 && dx[1] == 0.01);
  const float xf[1] = {0.0f}, gf[1] = {1.0f};
  float yf[1], dxf[1];
  CHECK(gl_act_forward(GL_RELU, GL_F32, 1, xf, yf) == GL_OK);
  CHECK(gl_act_backward(GL_RELU, GL_F32, 1, xf, yf, gf, dxf) == GL_OK);
  CHECK(dxf[0] == 0.0f);
  CHECK(gl_act_backward(GL_LEAKY_RELU, GL_F32, 1, xf, yf, gf, dxf) == GL_OK);
  CHECK(dxf[0] == 0.01f);
}

TEST(backward_may_write_the_gradient_in_place) {
  static double x[GRID], y[GRID], g[GRID], dx[GRID], gd[GRID];
  make_grid(x);
  for (int a = 0; a < GL_ACT_COUNT; a++) {
    for (int i = 0; i < GRID; i++) g[i] = gd[i] = 1.0 - 0.001 * i;
    CHECK(gl_act_forward(a, GL_F64, GRID, x, y) == GL_OK);
    CHECK(gl_act_backward(a, GL_F64, GRID, x, y, g, dx) == GL_OK);
    CHECK(gl_act_backward(a, GL_F64, GRID, x, y, gd, gd) == GL_OK);
    CHECK(memcmp(gd, dx, sizeof dx) == 0);
  }
  static float xf[GRID], yf[GRID], gf[GRID], dxf[GRID], gdf[GRID];
  for (int i = 0; i < GRID; i++) xf[i] = (float)x[i];
  for (int a = 0; a < GL_ACT_COUNT; a++) {
    for (int i = 0; i < GRID; i++) gf[i] = gdf[i] = (float)(1.0 - 0.001 * i);
    CHECK(gl_act_forward(a, GL_F32, GRID, xf, yf) == GL_OK);
    CHECK(gl_act_backward(a, GL_F32, GRID, xf, yf, gf, dxf) == GL_OK);
    CHECK(gl_act_backward(a, GL_F32, GRID, xf, yf, gdf, gdf) == GL_OK);
    CHECK(memcmp(gdf, dxf, sizeof dxf) == 0);
  }
}

/* ---- saturation -------------------------------------------------------- */

TEST(sigmoid_saturates_without_nan_or_inf_in_float32) {
  /* expf overflows past 88.72: the naive e^x/(1+e^x) would give inf/inf.
   * σ(x) for x ≥ 88.8 rounds to exactly 1; σ(−88.8) ≈ 2.9e−39 and σ(−89) ≈
   * 2.2e−39 are float32 *subnormals* (σ(x) ≈ e^x, representable down to
   * x ≈ −103.3), so only σ(−1000) is exactly 0.  Backward y(1−y): exactly 0
   * where y is 0 or 1, the subnormal y itself in between. */
  const float x[6] = {1000.0f, 89.0f, 88.8f, -88.8f, -89.0f, -1000.0f};
  const float g[6] = {1, 1, 1, 1, 1, 1};
  float y[6], dx[6];
  CHECK(gl_act_forward(GL_SIGMOID, GL_F32, 6, x, y) == GL_OK);
  CHECK(gl_act_backward(GL_SIGMOID, GL_F32, 6, x, y, g, dx) == GL_OK);
  for (int i = 0; i < 6; i++) CHECK(isfinite(y[i]) && isfinite(dx[i]));
  CHECK(y[0] == 1.0f && y[1] == 1.0f && y[2] == 1.0f);
  CHECK(dx[0] == 0.0f && dx[1] == 0.0f && dx[2] == 0.0f);
  for (int i = 3; i <= 4; i++) {
    const float ref = (float)expl((long double)x[i]); /* σ(x) = e^x(1 − …) */
    CHECK(y[i] >= 0.0f && y[i] < FLT_MIN);
    CHECK(ulp_distance(y[i], ref) <= 2);
    CHECK(dx[i] == y[i]); /* y(1 − y) = y for a subnormal y */
  }
  CHECK(y[5] == 0.0f && dx[5] == 0.0f);
}

TEST(sigmoid_saturates_without_nan_or_inf_in_float64) {
  /* exp overflows past 709.78; σ(−710) ≈ 4.5e−309 is a float64 subnormal,
   * σ(−746) and σ(−1000) underflow to exactly 0. */
  const double x[6] = {1000.0, 746.0, 710.0, -710.0, -746.0, -1000.0};
  const double g[6] = {1, 1, 1, 1, 1, 1};
  double y[6], dx[6];
  CHECK(gl_act_forward(GL_SIGMOID, GL_F64, 6, x, y) == GL_OK);
  CHECK(gl_act_backward(GL_SIGMOID, GL_F64, 6, x, y, g, dx) == GL_OK);
  for (int i = 0; i < 6; i++) CHECK(isfinite(y[i]) && isfinite(dx[i]));
  CHECK(y[0] == 1.0 && y[1] == 1.0 && y[2] == 1.0);
  CHECK(dx[0] == 0.0 && dx[1] == 0.0 && dx[2] == 0.0);
  CHECK(y[3] > 0.0 && y[3] < DBL_MIN);
  CHECK_REL(y[3], (double)expl(-710.0L), 1e-3); /* subnormal: few significant bits */
  CHECK(dx[3] == y[3]);
  CHECK(y[4] == 0.0 && dx[4] == 0.0);
  CHECK(y[5] == 0.0 && dx[5] == 0.0);
}

TEST(tanh_saturates_to_plus_minus_one_with_zero_gradient) {
  const double x[4] = {1000.0, -1000.0, 25.0, -25.0}, g[4] = {1, 1, 1, 1};
  double y[4], dx[4];
  CHECK(gl_act_forward(GL_TANH, GL_F64, 4, x, y) == GL_OK);
  CHECK(gl_act_backward(GL_TANH, GL_F64, 4, x, y, g, dx) == GL_OK);
  CHECK(y[0] == 1.0 && y[1] == -1.0 && y[2] == 1.0 && y[3] == -1.0);
  for (int i = 0; i < 4; i++) CHECK(dx[i] == 0.0);
  const float xf[2] = {1000.0f, -1000.0f}, gf[2] = {1, 1};
  float yf[2], dxf[2];
  CHECK(gl_act_forward(GL_TANH, GL_F32, 2, xf, yf) == GL_OK);
  CHECK(gl_act_backward(GL_TANH, GL_F32, 2, xf, yf, gf, dxf) == GL_OK);
  CHECK(yf[0] == 1.0f && yf[1] == -1.0f && dxf[0] == 0.0f && dxf[1] == 0.0f);
}

/* ---- largest gradient -------------------------------------------------- */

TEST(max_grad_is_a_quarter_for_sigmoid_and_one_for_tanh_relu_leaky_linear) {
  CHECK(gl_act_max_grad(GL_SIGMOID) == 0.25);
  CHECK(gl_act_max_grad(GL_TANH) == 1.0);
  CHECK(gl_act_max_grad(GL_RELU) == 1.0);
  CHECK(gl_act_max_grad(GL_LEAKY_RELU) == 1.0);
  CHECK(gl_act_max_grad(GL_LINEAR) == 1.0);
  CHECK(isnan(gl_act_max_grad(-1)) && isnan(gl_act_max_grad(GL_ACT_COUNT)));
}

TEST(gelu_max_grad_is_phi_of_root2_plus_root2_times_density_at_root2) {
  /* (Φ + xφ)' = φ(x)(2 − x²) = 0 at x = √2:
   * max = Φ(√2) + √2·φ(√2) = ½(1 + erf 1) + e^{−1}/√π ≈ 1.1289 */
  const double ref = (double)(0.5L * (1.0L + erfl(1.0L)) + expl(-1.0L) / sqrtl(PI_L));
  CHECK_REL(gl_act_max_grad(GL_GELU), ref, 1e-15);
  CHECK_NEAR(gl_act_max_grad(GL_GELU), 1.1289, 1e-4);
}

TEST(max_grad_bounds_every_sampled_derivative_on_a_fine_grid) {
  /* −8..8 step 1e−4, plus 1e−6 steps around the GELU maximum at √2 */
  enum { N1 = 160001, N2 = 20001, N = N1 + N2 };
  double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y), *g = malloc(N * sizeof *g);
  CHECK(x && y && g);
  if (x && y && g) {
    for (int i = 0; i < N1; i++) x[i] = -8.0 + 1e-4 * i;
    for (int i = 0; i < N2; i++) x[N1 + i] = sqrt(2.0) - 0.01 + 1e-6 * i;
    for (int a = 0; a < GL_ACT_COUNT; a++) {
      for (int i = 0; i < N; i++) g[i] = 1.0;
      CHECK(gl_act_forward(a, GL_F64, N, x, y) == GL_OK);
      CHECK(gl_act_backward(a, GL_F64, N, x, y, g, g) == GL_OK);
      const double m = gl_act_max_grad(a);
      double top = -INFINITY;
      int above = 0;
      for (int i = 0; i < N; i++) {
        above += g[i] > m;
        top = g[i] > top ? g[i] : top;
      }
      CHECK(above == 0);
      CHECK_NEAR(top, m, 1e-9); /* not vacuous: the grid reaches the bound */
    }
  }
  free(x), free(y), free(g);
}

/* ---- arange ------------------------------------------------------------ */

TEST(arange_count_matches_torch_arange) {
  int n = -1;
  CHECK(gl_arange_count(-8, 8, 0.1, &n) == GL_OK && n == 160);
  CHECK(gl_arange_count(0, 1, 0.3, &n) == GL_OK && n == 4);
  CHECK(gl_arange_count(1, 0, -0.25, &n) == GL_OK && n == 4);
  CHECK(gl_arange_count(0, 1, 1, &n) == GL_OK && n == 1);
  CHECK(gl_arange_count(0, 1, 2, &n) == GL_OK && n == 1);
  CHECK(gl_arange_count(0, 1e6, 1, &n) == GL_OK && n == GL_MAX_POINTS);
}

TEST(arange_count_is_exact_when_the_span_to_minus_from_overflows) {
  int n = -1;
  /* -1e308, 0 (1e308 is the end, excluded): to − from = 2e308 overflows */
  CHECK(gl_arange_count(-1e308, 1e308, 1e308, &n) == GL_OK && n == 2);
  CHECK(gl_arange_count(1e308, -1e308, -1e308, &n) == GL_OK && n == 2);
  CHECK(gl_arange_count(-DBL_MAX, DBL_MAX, DBL_MAX / 4, &n) == GL_OK && n == 8);
  /* a count that is itself past DBL_MAX is refused, not taken as a size */
  CHECK_FAILS_WITH(gl_arange_count(-1e308, 1e308, 1e-300, &n), GL_ERANGE);
  CHECK(strstr(gl_last_error(), "more than") != NULL && strstr(gl_last_error(), "inf") == NULL);
}

TEST(arange_count_rejects_zero_or_nonfinite_steps_wrong_directions_and_huge_counts) {
  int n = 77;
  CHECK_FAILS_WITH(gl_arange_count(0, 1, 0, &n), GL_EINVAL);
  CHECK_FAILS_WITH(gl_arange_count(0, 1, -0.1, &n), GL_EINVAL);
  CHECK_FAILS_WITH(gl_arange_count(1, 0, 0.1, &n), GL_EINVAL);
  CHECK_FAILS_WITH(gl_arange_count(1, 1, 0.1, &n), GL_EINVAL);
  CHECK_FAILS_WITH(gl_arange_count(NAN, 1, 0.1, &n), GL_EINVAL);
  CHECK_FAILS_WITH(gl_arange_count(0, NAN, 0.1, &n), GL_EINVAL);
  CHECK_FAILS_WITH(gl_arange_count(0, 1, NAN, &n), GL_EINVAL);
  CHECK_FAILS_WITH(gl_arange_count(0, INFINITY, 0.1, &n), GL_EINVAL);
  CHECK_FAILS_WITH(gl_arange_count(0, 1, INFINITY, &n), GL_EINVAL);
  CHECK_FAILS_WITH(gl_arange_count(0, 1, 1e-7, &n), GL_ERANGE);
  CHECK_FAILS_WITH(gl_arange_count(0, 1000000.5, 1, &n), GL_ERANGE);
  CHECK_FAILS_WITH(gl_arange_count(-1e300, 1e300, 1e-300, &n), GL_ERANGE);
  CHECK(n == 77); /* untouched on failure */
  CHECK_FAILS_WITH(gl_arange_count(0, 1, 0.1, NULL), GL_EINVAL);
}

/* ---- activation curve -------------------------------------------------- */

TEST(sigmoid_float32_curve_peaks_at_exactly_a_quarter_at_x_zero) {
  enum { N = 160 };
  float x[N], y[N], grad[N], yref[N], gref[N];
  int argmax = -1;
  CHECK(gl_activation_curve(GL_SIGMOID, GL_F32, -8, 8, 0.1, N, x, y, grad, &argmax) == GL_OK);
  int x_off = 0;
  for (int i = 0; i < N; i++) x_off += x[i] != (float)(-8.0 + (double)i * 0.1);
  CHECK(x_off == 0);
  CHECK(argmax == 80);
  CHECK(x[80] == 0.0f);
  CHECK(grad[80] == 0.25f);
  /* y and grad are exactly the forward and the backward with upstream ones */
  float ones[N];
  for (int i = 0; i < N; i++) ones[i] = 1.0f;
  CHECK(gl_act_forward(GL_SIGMOID, GL_F32, N, x, yref) == GL_OK);
  CHECK(gl_act_backward(GL_SIGMOID, GL_F32, N, x, yref, ones, gref) == GL_OK);
  CHECK(memcmp(y, yref, sizeof y) == 0);
  CHECK(memcmp(grad, gref, sizeof grad) == 0);
}

TEST(float64_curve_has_x_equal_to_from_plus_i_step) {
  enum { N = 160 };
  double x[N], y[N], grad[N];
  int argmax = -1;
  for (int a = 0; a < GL_ACT_COUNT; a++) {
    CHECK(gl_activation_curve(a, GL_F64, -8, 8, 0.1, N, x, y, grad, &argmax) == GL_OK);
    int off = 0;
    for (int i = 0; i < N; i++) off += x[i] != -8.0 + (double)i * 0.1;
    CHECK(off == 0);
    CHECK(argmax >= 0 && argmax < N);
    for (int i = 0; i < N; i++) CHECK(grad[i] <= grad[argmax]);
  }
  CHECK(gl_activation_curve(GL_SIGMOID, GL_F64, -8, 8, 0.1, N, x, y, grad, &argmax) == GL_OK);
  CHECK(argmax == 80 && x[80] == 0.0 && grad[80] == 0.25);
}

TEST(curve_argmax_is_the_first_of_tied_maxima) {
  enum { N = 160 };
  float x[N], y[N], grad[N];
  int argmax = -1;
  /* relu' is 1 for every x > 0: x_80 = 0 has gradient 0, x_81 the first 1 */
  CHECK(gl_activation_curve(GL_RELU, GL_F32, -8, 8, 0.1, N, x, y, grad, &argmax) == GL_OK);
  CHECK(grad[80] == 0.0f && grad[81] == 1.0f);
  CHECK(argmax == 81);
  CHECK(gl_activation_curve(GL_LINEAR, GL_F32, -8, 8, 0.1, N, x, y, grad, &argmax) == GL_OK);
  CHECK(argmax == 0);
}

TEST(curve_rejects_capacity_mismatch_unknown_activation_and_null_buffers) {
  enum { N = 160 };
  float x[N + 1], y[N + 1], grad[N + 1];
  int argmax = -1;
  CHECK_FAILS_WITH(gl_activation_curve(GL_SIGMOID, GL_F32, -8, 8, 0.1, 159, x, y, grad, &argmax),
                   GL_EINVAL);
  CHECK_FAILS_WITH(gl_activation_curve(GL_SIGMOID, GL_F32, -8, 8, 0.1, 161, x, y, grad, &argmax),
                   GL_EINVAL);
  CHECK_FAILS_WITH(gl_activation_curve(GL_ACT_COUNT, GL_F32, -8, 8, 0.1, N, x, y, grad, &argmax),
                   GL_EINVAL);
  CHECK_FAILS_WITH(gl_activation_curve(-1, GL_F32, -8, 8, 0.1, N, x, y, grad, &argmax), GL_EINVAL);
  CHECK_FAILS_WITH(gl_activation_curve(GL_SIGMOID, 2, -8, 8, 0.1, N, x, y, grad, &argmax),
                   GL_EINVAL);
  CHECK_FAILS_WITH(gl_activation_curve(GL_SIGMOID, GL_F32, -8, 8, 0, N, x, y, grad, &argmax),
                   GL_EINVAL);
  CHECK_FAILS_WITH(gl_activation_curve(GL_SIGMOID, GL_F32, 0, 1, 1e-7, N, x, y, grad, &argmax),
                   GL_ERANGE);
  CHECK_FAILS_WITH(gl_activation_curve(GL_SIGMOID, GL_F32, -8, 8, 0.1, N, NULL, y, grad, &argmax),
                   GL_EINVAL);
  CHECK_FAILS_WITH(gl_activation_curve(GL_SIGMOID, GL_F32, -8, 8, 0.1, N, x, NULL, grad, &argmax),
                   GL_EINVAL);
  CHECK_FAILS_WITH(gl_activation_curve(GL_SIGMOID, GL_F32, -8, 8, 0.1, N, x, y, NULL, &argmax),
                   GL_EINVAL);
  CHECK_FAILS_WITH(gl_activation_curve(GL_SIGMOID, GL_F32, -8, 8, 0.1, N, x, y, grad, NULL),
                   GL_EINVAL);
  CHECK(argmax == -1);
}

/* ---- chain of stacked activations -------------------------------------- */

TEST(sigmoid_chain_gradient_is_bounded_by_a_quarter_to_the_depth) {
  enum { D = 12, S = 20000 };
  double bound[D], mean[D], median[D], zero[D];
  CHECK(gl_chain_grad(GL_SIGMOID, GL_F64, GL_DIST_NORMAL, 0, 1, D, S, 7, bound, mean, median,
                      zero) == GL_OK);
  for (int l = 0; l < D; l++) {
    CHECK(bound[l] == ldexp(1.0, -2 * (l + 1))); /* 0.25^(l+1), exact */
    CHECK(mean[l] > 0 && mean[l] <= bound[l]);
    CHECK(median[l] > 0 && median[l] <= bound[l]);
    CHECK(zero[l] == 0.0);
    if (l > 0) CHECK(mean[l] < mean[l - 1]);
  }
  /* one layer: E σ'(Z) for Z ~ N(0,1) lies well inside (0, ¼] */
  CHECK(mean[0] > 0.15 && mean[0] < 0.25);
}

TEST(gelu_and_tanh_chain_bounds_are_powers_of_the_max_gradient) {
  enum { D = 6, S = 1001 };
  double bound[D], mean[D], median[D], zero[D];
  const int acts[2] = {GL_GELU, GL_TANH};
  for (int k = 0; k < 2; k++) {
    CHECK(gl_chain_grad(acts[k], GL_F64, GL_DIST_UNIFORM, -3, 3, D, S, 5, bound, mean, median,
                        zero) == GL_OK);
    for (int l = 0; l < D; l++) {
      CHECK_REL(bound[l], pow(gl_act_max_grad(acts[k]), l + 1), 1e-15);
      CHECK(mean[l] <= bound[l] && median[l] <= bound[l]);
    }
  }
}

TEST(relu_chain_zeroes_half_the_gradients_at_every_depth) {
  enum { D = 8, S = 100000 };
  double bound[D], mean[D], median[D], zero[D];
  for (int dtype = GL_F32; dtype <= GL_F64; dtype++) {
    CHECK(gl_chain_grad(GL_RELU, dtype, GL_DIST_NORMAL, 0, 1, D, S, 2024, bound, mean, median,
                        zero) == GL_OK);
    /* P(x ≤ 0) = ½; binomial SE √(¼/S) */
    CHECK_NEAR(zero[0], 0.5, 5 * sqrt(0.25 / S));
    for (int l = 0; l < D; l++) {
      CHECK(bound[l] == 1.0);
      CHECK(zero[l] == zero[0]); /* relu(x) ≥ 0: later layers zero no new samples */
      CHECK_NEAR(mean[l], 1.0 - zero[l], 1e-12); /* every |g| is 0 or 1 */
      CHECK(median[l] == 0.0 || median[l] == 0.5 || median[l] == 1.0);
    }
  }
}

TEST(linear_chain_gradient_is_exactly_one_everywhere) {
  enum { D = 5, S = 999 };
  double bound[D], mean[D], median[D], zero[D];
  for (int dtype = GL_F32; dtype <= GL_F64; dtype++) {
    CHECK(gl_chain_grad(GL_LINEAR, dtype, GL_DIST_UNIFORM, -2, 2, D, S, 3, bound, mean, median,
                        zero) == GL_OK);
    for (int l = 0; l < D; l++)
      CHECK(bound[l] == 1.0 && mean[l] == 1.0 && median[l] == 1.0 && zero[l] == 0.0);
  }
}

/* float32 chain with an odd sample count; returns 0 if it behaves. */
static int odd_float32_chain(void) {
  enum { D = 4, S = 10001 };
  double bound[D], mean[D], median[D], zero[D];
  double bd[D], md[D], medd[D], zd[D];
  if (gl_chain_grad(GL_SIGMOID, GL_F32, GL_DIST_NORMAL, 0, 1, D, S, 11, bound, mean, median,
                    zero) != GL_OK)
    return 1;
  if (gl_chain_grad(GL_SIGMOID, GL_F64, GL_DIST_NORMAL, 0, 1, D, S, 11, bd, md, medd, zd) != GL_OK)
    return 2;
  for (int l = 0; l < D; l++)
    if (!(fabs(mean[l] - md[l]) <= 1e-5 * md[l] && fabs(median[l] - medd[l]) <= 1e-5 * medd[l]))
      return 3;
  return 0;
}

TEST(float32_chain_with_an_odd_sample_count_runs_cleanly) {
  /* samples·3·sizeof(float) is not a multiple of 8 when samples is odd: the
   * double scratch that follows the float buffers must still be aligned
   * (the sanitized build traps a misaligned double access). */
  CHECK(survives(odd_float32_chain));
}

TEST(chain_rejects_bad_depth_samples_and_null_outputs) {
  double b[2], m[2], md[2], z[2];
  CHECK_FAILS_WITH(gl_chain_grad(GL_RELU, GL_F64, GL_DIST_NORMAL, 0, 1, 0, 10, 1, b, m, md, z),
                   GL_EINVAL);
  static double big[1001 * 4];
  CHECK_FAILS_WITH(gl_chain_grad(GL_RELU, GL_F64, GL_DIST_NORMAL, 0, 1, 1001, 10, 1, big,
                                 big + 1001, big + 2002, big + 3003),
                   GL_ERANGE);
  CHECK_FAILS_WITH(gl_chain_grad(GL_RELU, GL_F64, GL_DIST_NORMAL, 0, 1, 2, 0, 1, b, m, md, z),
                   GL_EINVAL);
  CHECK_FAILS_WITH(
      gl_chain_grad(GL_RELU, GL_F64, GL_DIST_NORMAL, 0, 1, 2, 1000001, 1, b, m, md, z), GL_ERANGE);
  CHECK_FAILS_WITH(gl_chain_grad(GL_RELU, GL_F64, GL_DIST_NORMAL, 0, 1, 2, 10, 1, NULL, m, md, z),
                   GL_EINVAL);
  CHECK_FAILS_WITH(gl_chain_grad(GL_RELU, GL_F64, GL_DIST_NORMAL, 0, 1, 2, 10, 1, b, NULL, md, z),
                   GL_EINVAL);
  CHECK_FAILS_WITH(gl_chain_grad(GL_RELU, GL_F64, GL_DIST_NORMAL, 0, 1, 2, 10, 1, b, m, NULL, z),
                   GL_EINVAL);
  CHECK_FAILS_WITH(gl_chain_grad(GL_RELU, GL_F64, GL_DIST_NORMAL, 0, 1, 2, 10, 1, b, m, md, NULL),
                   GL_EINVAL);
  CHECK_FAILS_WITH(gl_chain_grad(-1, GL_F64, GL_DIST_NORMAL, 0, 1, 2, 10, 1, b, m, md, z),
                   GL_EINVAL);
  CHECK_FAILS_WITH(gl_chain_grad(GL_RELU, 5, GL_DIST_NORMAL, 0, 1, 2, 10, 1, b, m, md, z),
                   GL_EINVAL);
  /* distribution errors come from gl_sample */
  CHECK_FAILS_WITH(gl_chain_grad(GL_RELU, GL_F64, 9, 0, 1, 2, 10, 1, b, m, md, z), GL_EINVAL);
  CHECK_FAILS_WITH(gl_chain_grad(GL_RELU, GL_F64, GL_DIST_UNIFORM, 1, 0, 2, 10, 1, b, m, md, z),
                   GL_EINVAL);
  CHECK_FAILS_WITH(gl_chain_grad(GL_RELU, GL_F64, GL_DIST_NORMAL, 0, 1, 2, 10, 0.5, b, m, md, z),
                   GL_EINVAL);
}

TEST(forward_and_backward_reject_bad_arguments) {
  double x[2] = {0, 1}, y[2], g[2] = {1, 1}, dx[2];
  CHECK_FAILS_WITH(gl_act_forward(GL_ACT_COUNT, GL_F64, 2, x, y), GL_EINVAL);
  CHECK_FAILS_WITH(gl_act_forward(GL_RELU, 2, 2, x, y), GL_EINVAL);
  CHECK_FAILS_WITH(gl_act_forward(GL_RELU, GL_F64, 0, x, y), GL_EINVAL);
  CHECK_FAILS_WITH(gl_act_forward(GL_RELU, GL_F64, 2, NULL, y), GL_EINVAL);
  CHECK_FAILS_WITH(gl_act_forward(GL_RELU, GL_F64, 2, x, NULL), GL_EINVAL);
  CHECK_FAILS_WITH(gl_act_backward(-1, GL_F64, 2, x, y, g, dx), GL_EINVAL);
  CHECK_FAILS_WITH(gl_act_backward(GL_RELU, -1, 2, x, y, g, dx), GL_EINVAL);
  CHECK_FAILS_WITH(gl_act_backward(GL_RELU, GL_F64, -3, x, y, g, dx), GL_EINVAL);
  CHECK_FAILS_WITH(gl_act_backward(GL_RELU, GL_F64, 2, NULL, y, g, dx), GL_EINVAL);
  CHECK_FAILS_WITH(gl_act_backward(GL_RELU, GL_F64, 2, x, NULL, g, dx), GL_EINVAL);
  CHECK_FAILS_WITH(gl_act_backward(GL_RELU, GL_F64, 2, x, y, NULL, dx), GL_EINVAL);
  CHECK_FAILS_WITH(gl_act_backward(GL_RELU, GL_F64, 2, x, y, g, NULL), GL_EINVAL);
}

int main(void) {
  RUN(names_round_trip_and_unknown_names_are_rejected);
  RUN(forward_float64_matches_the_closed_forms_to_1e_15);
  RUN(forward_float32_is_within_4_ulp_of_the_float64_value_rounded);
  RUN(gelu_negative_tail_follows_torchs_erf_formula_with_bounded_absolute_error);
  RUN(forward_may_run_in_place);
  RUN(backward_float64_is_g_times_the_closed_form_derivative);
  RUN(backward_float32_is_g_times_the_closed_form_derivative);
  RUN(backward_matches_central_finite_differences_of_the_forward);
  RUN(sigmoid_and_tanh_backward_use_the_saved_output_not_x);
  RUN(relu_leaky_gelu_and_linear_backward_use_x_and_ignore_y);
  RUN(relu_of_nan_is_nan_as_torch);
  RUN(relu_backward_selects_as_torch_a_nan_stops_at_an_off_unit_and_passes_an_on_one);
  RUN(relu_gradient_at_zero_is_0_and_leaky_relu_gradient_at_zero_is_the_slope);
  RUN(backward_may_write_the_gradient_in_place);
  RUN(sigmoid_saturates_without_nan_or_inf_in_float32);
  RUN(sigmoid_saturates_without_nan_or_inf_in_float64);
  RUN(tanh_saturates_to_plus_minus_one_with_zero_gradient);
  RUN(max_grad_is_a_quarter_for_sigmoid_and_one_for_tanh_relu_leaky_linear);
  RUN(gelu_max_grad_is_phi_of_root2_plus_root2_times_density_at_root2);
  RUN(max_grad_bounds_every_sampled_derivative_on_a_fine_grid);
  RUN(arange_count_matches_torch_arange);
  RUN(arange_count_rejects_zero_or_nonfinite_steps_wrong_directions_and_huge_counts);
  RUN(arange_count_is_exact_when_the_span_to_minus_from_overflows);
  RUN(sigmoid_float32_curve_peaks_at_exactly_a_quarter_at_x_zero);
  RUN(float64_curve_has_x_equal_to_from_plus_i_step);
  RUN(curve_argmax_is_the_first_of_tied_maxima);
  RUN(curve_rejects_capacity_mismatch_unknown_activation_and_null_buffers);
  RUN(sigmoid_chain_gradient_is_bounded_by_a_quarter_to_the_depth);
  RUN(gelu_and_tanh_chain_bounds_are_powers_of_the_max_gradient);
  RUN(relu_chain_zeroes_half_the_gradients_at_every_depth);
  RUN(linear_chain_gradient_is_exactly_one_everywhere);
  RUN(float32_chain_with_an_odd_sample_count_runs_cleanly);
  RUN(chain_rejects_bad_depth_samples_and_null_outputs);
  RUN(forward_and_backward_reject_bad_arguments);
  return check_summary("activations");
}
