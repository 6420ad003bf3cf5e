/* fuzz_xavier.c — gl_xavier_check: its configuration decoded entry by entry
 * (small fans and trials, hostile σ, μ, γ, ρ, δ), with a histogram. */
#include "fuzz.h"

enum { NMAX = 32, SAMPLES = 64, BINS = 8 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz f = {data, size};
  double cfg[GL_XAVIER_NCFG], stats[GL_XAVIER_NSTAT], hist[BINS], range[2];
  cfg[GL_XAVIER_CFG_N_IN] = fz_cfg_int(&f, 1, NMAX);
  cfg[GL_XAVIER_CFG_N_OUT] = fz_cfg_int(&f, 1, NMAX);
  cfg[GL_XAVIER_CFG_SIGMA] = fz_byte(&f) < 64 ? NAN : fz_double(&f, 0, 2);
  cfg[GL_XAVIER_CFG_W_DIST] = fz_cfg_int(&f, 0, GL_XD_DIST_COUNT - 1);
  cfg[GL_XAVIER_CFG_X_DIST] = fz_cfg_int(&f, 0, GL_XD_DIST_COUNT - 1);
  cfg[GL_XAVIER_CFG_MU] = fz_double(&f, -3, 3);
  cfg[GL_XAVIER_CFG_GAMMA] = fz_double(&f, 0, 3);
  cfg[GL_XAVIER_CFG_RHO_W] = fz_double(&f, 0, 1);
  cfg[GL_XAVIER_CFG_RHO_X] = fz_double(&f, 0, 1);
  cfg[GL_XAVIER_CFG_DELTA] = fz_double(&f, 0, 3);
  cfg[GL_XAVIER_CFG_SAMPLES] = fz_cfg_int(&f, 2, SAMPLES);
  cfg[GL_XAVIER_CFG_DTYPE] = fz_cfg_int(&f, 0, 1);
  cfg[GL_XAVIER_CFG_SEED] = fz_range(&f, 0, 65535);
  const int bins = fz_size(&f, 0, BINS);
  /* the check allocates nothing and is linear in samples·(n_in + n_out): a
   * hostile but valid size (65536 fans, 1e6 samples) is refused past
   * GL_XAVIER_MAX_DRAWS or costs < 0.1 s, so every decoded cfg may run */
  const double draws = cfg[GL_XAVIER_CFG_SAMPLES] * (cfg[GL_XAVIER_CFG_N_IN] + cfg[GL_XAVIER_CFG_N_OUT]);
  if (!(draws <= 1e5) && draws <= GL_XAVIER_MAX_DRAWS) return 0; /* valid, only slow */
  if (FZ(gl_xavier_check(cfg, stats, bins >= 0 && bins <= BINS ? bins : 0, hist, range)) == GL_OK) {
    FZ_CHECK(!(stats[GL_XAVIER_O_VAR] < 0));
    FZ_CHECK(isfinite(stats[GL_XAVIER_XAVIER_SIGMA]) && stats[GL_XAVIER_XAVIER_SIGMA] > 0);
  }
  return 0;
}
