/* test_special.c — digamma ψ(x) = Γ'(x)/Γ(x). Reference values from mpmath
 * (40 digits).  The double-precision limit is a few ulps: tolerances of
 * 2e-15 relative allow for the recurrence's summed reciprocals. */
#include <math.h>

#include "check.h"
#include "gradlab.h"

#define EULER_GAMMA 0.57721566490153286061
#define LN2 0.69314718055994530942

TEST(digamma_of_one_is_minus_euler_gamma) { CHECK_REL(gl_digamma(1.0), -EULER_GAMMA, 2e-15); }

TEST(digamma_of_one_half_is_minus_gamma_minus_two_ln_two) {
  CHECK_REL(gl_digamma(0.5), -EULER_GAMMA - 2 * LN2, 2e-15);
}

TEST(digamma_of_two_is_one_minus_euler_gamma) {
  CHECK_REL(gl_digamma(2.0), 1.0 - EULER_GAMMA, 2e-15);
}

TEST(digamma_of_integers_is_harmonic_number_minus_gamma) {
  /* ψ(n) = H_{n−1} − γ */
  double h = 0.0;
  for (int n = 1; n <= 30; n++) {
    CHECK_REL(gl_digamma(n), h - EULER_GAMMA, 2e-15);
    h += 1.0 / n;
  }
}

TEST(digamma_of_ten_matches_reference) { CHECK_REL(gl_digamma(10.0), 2.251752589066721, 1e-15); }

TEST(digamma_matches_reference_values_across_scales) {
  static const double ref[][2] = {
      {1e-8, -100000000.57721564636}, {0.01, -100.56088545786867242},
      {0.1, -10.423754940411076232},  {0.25, -4.2274535333762654081},
      {2.5, 0.70315664064524318723},  {5.5, 1.6110931485817511237},
      {7.25, 1.9104535268837360284},  {9.999, 2.2516474172057353142},
      {10.5, 2.3030010342976863753},  {33.3, 3.4904672385202427773},
      {100, 4.6001618527380874002},   {1e5, 11.512920464961895087},
      {1e10, 23.02585092989045684},   {1e100, 230.25850929940456842}};
  for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++)
    CHECK_REL(gl_digamma(ref[i][0]), ref[i][1], 2e-15);
}

TEST(digamma_near_its_root_is_accurate_in_absolute_terms) {
  /* ψ(x₀) = 0 at x₀ ≈ 1.4616: relative accuracy is meaningless there, the
   * absolute error stays at the rounding level of the O(1) terms. */
  CHECK_NEAR(gl_digamma(1.4616321449683623), 0.0, 1e-15);
  CHECK_NEAR(gl_digamma(1.5), 0.036489973978576520559, 1e-15);
}

TEST(digamma_satisfies_recurrence_psi_x_plus_one_equals_psi_x_plus_one_over_x) {
  static const double xs[] = {0.3, 0.999, 1.7, 3.14159, 8.5, 9.5, 9.99, 12.25, 50.0, 1234.5};
  for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
    const double x = xs[i], a = gl_digamma(x + 1), b = gl_digamma(x) + 1 / x;
    CHECK_NEAR(a, b, 4e-15 * (fabs(a) + 1 / x + 1));
  }
}

TEST(digamma_is_nan_for_non_positive_or_nan_input) {
  CHECK(isnan(gl_digamma(0.0)));
  CHECK(isnan(gl_digamma(-0.0)));
  CHECK(isnan(gl_digamma(-1.0)));
  CHECK(isnan(gl_digamma(-2.5)));
  CHECK(isnan(gl_digamma(-INFINITY)));
  CHECK(isnan(gl_digamma(NAN)));
}

TEST(digamma_of_infinity_is_infinity) { CHECK(gl_digamma(INFINITY) == INFINITY); }

TEST(digamma_is_increasing) {
  double prev = gl_digamma(0.05);
  for (double x = 0.1; x < 40; x += 0.05) {
    const double v = gl_digamma(x);
    CHECK(v > prev);
    prev = v;
  }
}

int main(void) {
  RUN(digamma_of_one_is_minus_euler_gamma);
  RUN(digamma_of_one_half_is_minus_gamma_minus_two_ln_two);
  RUN(digamma_of_two_is_one_minus_euler_gamma);
  RUN(digamma_of_integers_is_harmonic_number_minus_gamma);
  RUN(digamma_of_ten_matches_reference);
  RUN(digamma_matches_reference_values_across_scales);
  RUN(digamma_near_its_root_is_accurate_in_absolute_terms);
  RUN(digamma_satisfies_recurrence_psi_x_plus_one_equals_psi_x_plus_one_over_x);
  RUN(digamma_is_nan_for_non_positive_or_nan_input);
  RUN(digamma_of_infinity_is_infinity);
  RUN(digamma_is_increasing);
  return check_summary("special");
}
