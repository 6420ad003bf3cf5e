/* fuzz_matprod.c — gl_matprod, gl_matprod_ensemble, gl_matprod_theory at
 * small n, steps and trials, every ensemble and dtype, hostile σ and sizes. */
#include "fuzz.h"

enum { N = 8, K = 40, T = 4, B = 4 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz f = {data, size};
  const int n = fz_size(&f, 1, N), steps = fz_size(&f, 0, K), ens = fz_size(&f, 0, 1);
  const int dtype = fz_size(&f, 0, 1), block = fz_size(&f, 0, B), trials = fz_size(&f, 1, T);
  const int fan = fz_size(&f, 0, T);
  const double sigma = fz_double(&f, 0, 3), seed = fz_double(&f, 0, 1e6);
  const int small = n >= 1 && n <= N && steps >= 0 && steps <= K;
  double norms[K + 1], first[N * N], last[N * N], traj[(K + 1) * B * B];
  int overflow = -2;
  if (small && block <= B) {
    if (FZ(gl_matprod(n, steps, sigma, ens, dtype, seed, block, norms, first, last, traj, &overflow)) == GL_OK) {
      FZ_CHECK(overflow >= -1 && overflow <= steps);
      for (int k = 0; k <= steps; k++) FZ_CHECK(!(norms[k] < 0));
      FZ_CHECK(block >= 0 && block <= n);
    }
  } else if (!small) { /* refused before touching anything */
    FZ_CHECK(FZ(gl_matprod(n, steps, sigma, ens, dtype, seed, block, NULL, NULL, NULL, NULL, &overflow)) != GL_OK);
  }
  double mean_log[K + 1], fanv[T * (K + 1)];
  if (small && trials >= 1 && trials <= T && fan >= 0 && fan <= T) {
    if (FZ(gl_matprod_ensemble(n, steps, sigma, ens, trials, seed, mean_log, fan, fanv)) == GL_OK) {
      FZ_CHECK(fan <= trials);
      for (int k = 0; k <= steps; k++) FZ_CHECK(isfinite(mean_log[k]));
    }
  } else if (!small || trials < 1 || trials > GL_ENSEMBLE_MAX_TRIALS || fan < 0) {
    FZ_CHECK(FZ(gl_matprod_ensemble(n, steps, sigma, ens, trials, seed, NULL, fan, NULL)) != GL_OK);
  }
  double typ, rms, crit;
  const int tn = fz_size(&f, 1, 5000);
  if (FZ(gl_matprod_theory(tn, sigma, ens, &typ, &rms, &crit)) == GL_OK) {
    FZ_CHECK(tn >= 1 && tn <= GL_THEORY_MAX_N);
    FZ_CHECK(isfinite(typ) && isfinite(rms) && isfinite(crit) && crit > 0);
  }
  return 0;
}
