/* fuzz_meanfield.c — gl_meanfield, gl_gauss_expect and gl_digamma at hostile
 * variances (0, subnormal, huge, Inf, NaN) and depths. */
#include "fuzz.h"

enum { D = 64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz f = {data, size};
  const int act = fz_size(&f, 0, GL_ACT_COUNT - 1), depth = fz_size(&f, 1, D);
  const double sw2 = fz_double(&f, 0, 4), qx = fz_double(&f, 0, 4), gv = fz_double(&f, 0, 4);
  double z[D], g[D];
  if (depth >= 1 && depth <= D) {
    if (FZ(gl_meanfield(act, sw2, qx, gv, depth, z, g)) == GL_OK)
      for (int l = 0; l < depth; l++) FZ_CHECK(!(z[l] < 0) && !(g[l] < 0) && !isnan(z[l]) && !isnan(g[l]));
  } else {
    FZ_CHECK(FZ(gl_meanfield(act, sw2, qx, gv, depth, NULL, NULL)) != GL_OK);
  }
  const double q = fz_double(&f, 0, 100);
  const double e = gl_gauss_expect(act, fz_range(&f, 0, 2), q);
  if (q >= 0 && isfinite(q) && act >= 0 && act < GL_ACT_COUNT) FZ_CHECK(isnan(e) || e >= 0);
  const double x = fz_double(&f, -5, 50), psi = gl_digamma(x);
  if (x >= 1e-300 && isfinite(x)) FZ_CHECK(isfinite(psi)); /* ψ(x) ≈ −1/x: −Inf below ~5.6e-309 */
  return 0;
}
