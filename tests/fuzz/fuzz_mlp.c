/* fuzz_mlp.c — gl_mlp_bytes and gl_mlp_stats: a configuration array decoded
 * entry by entry (small valid shapes, or hostile entries that must be
 * refused), with histograms; outputs sized for the configuration. */
#include "fuzz.h"

enum { D = 6, W = 16, BATCH = 8, BINS = 8 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz f = {data, size};
  double cfg[GL_MLP_NCFG];
  cfg[GL_MLP_CFG_INIT] = fz_cfg_int(&f, 0, GL_INIT_COUNT - 1);
  cfg[GL_MLP_CFG_GAIN] = fz_byte(&f) < 64 ? NAN : fz_double(&f, 0, 3);
  cfg[GL_MLP_CFG_SIGMA] = fz_double(&f, 0, 2);
  cfg[GL_MLP_CFG_VALUE] = fz_double(&f, -1, 1);
  cfg[GL_MLP_CFG_ACT] = fz_cfg_int(&f, 0, GL_ACT_COUNT - 1);
  cfg[GL_MLP_CFG_DEPTH] = fz_cfg_int(&f, 1, D);
  cfg[GL_MLP_CFG_WIDTH] = fz_cfg_int(&f, 1, W);
  cfg[GL_MLP_CFG_BATCH] = fz_cfg_int(&f, 1, BATCH);
  cfg[GL_MLP_CFG_DTYPE] = fz_cfg_int(&f, 0, 1);
  cfg[GL_MLP_CFG_SEED] = fz_byte(&f) < 16 ? fz_double(&f, -1, 1e17) : fz_range(&f, 0, 65535);
  cfg[GL_MLP_CFG_BINS] = fz_cfg_int(&f, 0, BINS);
  cfg[GL_MLP_CFG_HIST_TAIL] = fz_byte(&f) < 16 ? fz_double(&f, -1, 1) : fz_double(&f, 0, 0.3);
  /* a hostile entry may still be a valid size (a NaN gain, 1e17 seed…): only
   * run shapes whose outputs fit the buffers below */
  const double depth = cfg[GL_MLP_CFG_DEPTH], width = cfg[GL_MLP_CFG_WIDTH], batch = cfg[GL_MLP_CFG_BATCH],
               bins = cfg[GL_MLP_CFG_BINS];
  const double bytes = gl_mlp_bytes(cfg);
  if (isnan(bytes)) FZ_CHECK(gl_last_error()[0] != 0);
  const int fits = depth >= 1 && depth <= D && width >= 1 && width <= W && batch >= 1 && batch <= BATCH &&
                   bins >= 0 && bins <= BINS;
  static double stats[D * GL_MLP_NSTAT], hist[D * 2 * BINS], range[D * 4];
  if (!fits) {
    /* past the buffers: a shape that is also past a limit must be refused without touching them */
    if (!(depth >= 1 && depth <= GL_MLP_MAX_DEPTH && width >= 1 && width <= GL_MLP_MAX_WIDTH && batch >= 1 &&
          batch <= GL_MLP_MAX_BATCH && bins >= 0 && bins <= GL_MAX_BINS))
      FZ_CHECK(FZ(gl_mlp_stats(cfg, NULL, NULL, NULL)) != GL_OK);
    return 0;
  }
  for (int i = 0; i < D * 4; i++) range[i] = fz_byte(&f) < 200 ? NAN : fz_double(&f, -2, 2);
  if (FZ(gl_mlp_stats(cfg, stats, hist, range)) == GL_OK) {
    FZ_CHECK(!isnan(bytes) && bytes <= GL_MAX_BYTES);
    for (int l = 0; l < (int)depth; l++) FZ_CHECK(!(stats[l * GL_MLP_NSTAT + GL_MLP_Z_VAR] < 0));
    for (int l = 0; l < (int)depth && bins > 0; l++) FZ_CHECK(range[l * 4] < range[l * 4 + 1] && range[l * 4 + 2] < range[l * 4 + 3]);
  }
  return 0;
}
