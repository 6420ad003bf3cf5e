/* fuzz_train.c — the trainer: gl_train_bytes and gl_train_init from a decoded
 * configuration, then a sequence of calls chosen by the fuzz bytes (step,
 * evaluate, predict, gradients, tensors, data, moments, steps) with hostile
 * tensor indices, point counts and values. */
#include "fuzz.h"

enum { DEPTH = 3, WIDTH = 8, POINTS = 8, CALLS = 12, MAXT = 64, BUF = WIDTH * WIDTH };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz f = {data, size};
  double cfg[GL_TRAIN_NCFG];
  cfg[GL_TRAIN_CFG_DEPTH] = fz_cfg_int(&f, 1, DEPTH);
  cfg[GL_TRAIN_CFG_WIDTH] = fz_cfg_int(&f, GL_TRAIN_MIN_WIDTH, WIDTH);
  cfg[GL_TRAIN_CFG_ACT] = fz_cfg_int(&f, 0, GL_ACT_COUNT - 1);
  cfg[GL_TRAIN_CFG_INIT] = fz_cfg_int(&f, 0, GL_INIT_COUNT - 1);
  cfg[GL_TRAIN_CFG_GAIN] = fz_byte(&f) < 64 ? NAN : fz_double(&f, 0, 3);
  cfg[GL_TRAIN_CFG_SIGMA] = fz_double(&f, 0, 2);
  cfg[GL_TRAIN_CFG_VALUE] = fz_double(&f, -1, 1);
  cfg[GL_TRAIN_CFG_RESIDUAL] = fz_cfg_int(&f, 0, 1);
  cfg[GL_TRAIN_CFG_NORM] = fz_cfg_int(&f, 0, GL_NORM_COUNT - 1);
  cfg[GL_TRAIN_CFG_CLIP] = fz_cfg_int(&f, 0, GL_CLIP_COUNT - 1);
  cfg[GL_TRAIN_CFG_CLIP_AT] = fz_double(&f, 0, 5);
  cfg[GL_TRAIN_CFG_OPTIMIZER] = fz_cfg_int(&f, 0, GL_OPTIMIZER_COUNT - 1);
  cfg[GL_TRAIN_CFG_LR] = fz_double(&f, 0, 2);
  cfg[GL_TRAIN_CFG_DTYPE] = fz_cfg_int(&f, 0, 1);
  cfg[GL_TRAIN_CFG_SEED] = fz_range(&f, 0, 65535);
  cfg[GL_TRAIN_CFG_POINTS] = fz_cfg_int(&f, 1, POINTS);
  cfg[GL_TRAIN_CFG_TURNS] = fz_double(&f, 0, 4);
  cfg[GL_TRAIN_CFG_NOISE] = fz_double(&f, 0, 1);
  cfg[GL_TRAIN_CFG_DATA_SEED] = fz_range(&f, 0, 65535);
  const double bytes = gl_train_bytes(cfg);
  if (isnan(bytes)) {
    FZ_CHECK(gl_last_error()[0] != 0);
    FZ_CHECK(FZ(gl_train_init(cfg, NULL, 0)) != GL_OK);
    return 0;
  }
  FZ_CHECK(bytes > 0 && bytes <= GL_MAX_BYTES);
  /* a valid but large shape (width 128, 1024 points) is fine but slow: skip it */
  if (cfg[GL_TRAIN_CFG_WIDTH] > WIDTH || cfg[GL_TRAIN_CFG_POINTS] > POINTS || cfg[GL_TRAIN_CFG_DEPTH] > DEPTH) return 0;
  void *state = aligned_alloc(8, ((size_t)bytes + 7) / 8 * 8);
  if (!state) return 0;
  const double given = fz_byte(&f) < 16 ? bytes - 8 : bytes; /* too small a state must be refused */
  if (FZ(gl_train_init(cfg, state, given)) != GL_OK) {
    FZ_CHECK(given < bytes);
    free(state);
    return 0;
  }
  const int points = (int)cfg[GL_TRAIN_CFG_POINTS], nt = gl_train_tensor_count(state);
  FZ_CHECK(nt > 0 && nt <= MAXT);
  const int nlin = (int)cfg[GL_TRAIN_CFG_DEPTH] + 2;
  double stats[GL_TRAIN_NSTAT], gn[DEPTH + 2], ru[DEPTH + 2], out[2], buf[BUF], X[2 * 2 * POINTS];
  int32_t y[2 * POINTS];
  char name[64];
  int shape[2];
  for (int c = 0; c < CALLS && f.n > 0; c++) {
    const int t = fz_size(&f, 0, nt - 1); /* a tensor index, sometimes hostile */
    const int valid_t = t >= 0 && t < nt;
    int fits = 0;
    if (valid_t && FZ(gl_train_tensor_info(state, t, name, sizeof name, shape)) == GL_OK)
      fits = shape[0] * (shape[1] ? shape[1] : 1) <= BUF;
    switch (fz_range(&f, 0, 11)) {
      case 0: FZ(gl_train_step(state, stats, gn, ru)); (void)nlin; break;
      case 1: FZ(gl_train_evaluate(state, out)); break;
      case 2: {
        double pts[2 * 4], prob[4];
        const int m = fz_size(&f, 1, 4);
        for (int i = 0; i < 8; i++) pts[i] = fz_double(&f, -2, 2);
        if (m >= 1 && m <= 4) FZ(gl_train_predict(state, m, pts, prob));
        else FZ_CHECK(FZ(gl_train_predict(state, m, NULL, NULL)) != GL_OK);
        break;
      }
      case 3: FZ(gl_train_gradients(state, out)); break;
      case 4: if (fits || !valid_t) FZ(gl_train_get(state, t, valid_t ? buf : NULL)); break;
      case 5:
        for (int i = 0; i < BUF; i++) buf[i] = fz_double(&f, -2, 2);
        if (fits || !valid_t) FZ(gl_train_set(state, t, valid_t ? buf : NULL));
        break;
      case 6: if (fits || !valid_t) FZ(gl_train_get_grad(state, t, valid_t ? buf : NULL)); break;
      case 7: if (fits || !valid_t) FZ(gl_train_get_moment(state, t, fz_size(&f, 0, 1), valid_t ? buf : NULL)); break;
      case 8:
        for (int i = 0; i < BUF; i++) buf[i] = fz_double(&f, -2, 2);
        if (fits || !valid_t) FZ(gl_train_set_moment(state, t, fz_size(&f, 0, 1), valid_t ? buf : NULL));
        break;
      case 9:
        FZ(gl_train_data(state, X, y));
        for (int i = 0; i < 2 * points; i++) y[i] = fz_byte(&f) < 250 ? y[i] : (int32_t)fz_range(&f, -3, 3);
        for (int i = 0; i < 4 * points; i++) if (fz_byte(&f) > 240) X[i] = fz_double(&f, -2, 2);
        FZ(gl_train_set_data(state, X, y));
        break;
      case 10: {
        double steps;
        FZ(gl_train_get_steps(state, &steps));
        FZ(gl_train_set_steps(state, fz_double(&f, 0, 100)));
        break;
      }
      default: FZ(gl_train_unit_spread(state, gn)); break;
    }
  }
  free(state);
  return 0;
}
