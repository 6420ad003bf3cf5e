/*
 * special.c — special functions the theory panels need.
 *
 * Digamma ψ(x) = d/dx ln Γ(x) enters the typical growth of a product of
 * Gaussian matrices: ‖xW‖² / ‖x‖² = σ²·χ²_n and E[ln χ²_n] = ln 2 + ψ(n/2).
 */
#include <math.h>

#include "internal.h"

/* The recurrence ψ(x) = ψ(x + 1) − 1/x moves x up to SHIFT_TO, where the
 * asymptotic (Stirling-type) series
 *
 *   ψ(x) ~ ln x − 1/(2x) − Σ_{k≥1} B_{2k} / (2k·x^{2k})
 *
 * converges fast enough.  The series is asymptotic, not convergent: its error
 * is bounded by the first omitted term.  Keeping B₂..B₁₆ and x ≥ 10, that term
 * is |B₁₈/18|·10⁻¹⁸ ≈ 3·10⁻¹⁸, far below one ulp of ψ(10) ≈ 2.25.  (At x ≥ 6
 * the best truncation of this series is only good to ~10⁻¹⁴, which is why we
 * shift a little further.) */
#define SHIFT_TO 10.0

/* B_{2k} / (2k) for k = 1..8: B₂ = 1/6, B₄ = −1/30, B₆ = 1/42, B₈ = −1/30,
 * B₁₀ = 5/66, B₁₂ = −691/2730, B₁₄ = 7/6, B₁₆ = −3617/510. */
#define C1 (1.0 / 12.0)
#define C2 (-1.0 / 120.0)
#define C3 (1.0 / 252.0)
#define C4 (-1.0 / 240.0)
#define C5 (1.0 / 132.0)
#define C6 (-691.0 / 32760.0)
#define C7 (1.0 / 12.0)
#define C8 (-3617.0 / 8160.0)

double gl_digamma(double x) {
  if (!(x > 0)) return NAN; /* also catches NaN */
  if (isinf(x)) return INFINITY;
  /* ψ(x) = ψ(x + m) − Σ_{i<m} 1/(x + i): sum the shifts separately and
   * subtract once at the end, so the cancellation near the root
   * x₀ ≈ 1.4616 (where ψ = 0) happens in a single operation. */
  double shift = 0.0;
  while (x < SHIFT_TO) {
    shift += 1.0 / x;
    x += 1.0;
  }
  const double r = 1.0 / (x * x);
  /* Σ B_{2k}/(2k) r^k by Horner's rule. */
  const double series =
      r * (C1 + r * (C2 + r * (C3 + r * (C4 + r * (C5 + r * (C6 + r * (C7 + r * C8)))))));
  return (log(x) - 0.5 / x - series) - shift;
}
