/* test_train.c — training on the spiral (train.c): gradients against finite
 * differences, clipping and optimizers against hand computations, BatchNorm's
 * running statistics, the symmetry of a constant init, the data, and every
 * invalid configuration. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gradlab.h"
#include "internal.h"

/* A configuration: ReLU, Kaiming normal, no remedies, SGD lr 0.1, float32,
 * 8 points per class; tests set the other entries by name. */
static double *train_cfg(double *c, int depth, int width) {
  for (int i = 0; i < GL_TRAIN_NCFG; i++) c[i] = 0;
  c[GL_TRAIN_CFG_DEPTH] = depth;
  c[GL_TRAIN_CFG_WIDTH] = width;
  c[GL_TRAIN_CFG_ACT] = GL_RELU;
  c[GL_TRAIN_CFG_INIT] = GL_INIT_KAIMING_NORMAL;
  c[GL_TRAIN_CFG_GAIN] = NAN;
  c[GL_TRAIN_CFG_SIGMA] = 1;
  c[GL_TRAIN_CFG_VALUE] = 0;
  c[GL_TRAIN_CFG_CLIP_AT] = 1;
  c[GL_TRAIN_CFG_LR] = 0.1;
  c[GL_TRAIN_CFG_DTYPE] = GL_F32;
  c[GL_TRAIN_CFG_POINTS] = 8;
  c[GL_TRAIN_CFG_TURNS] = 1;
  return c;
}

/* A fresh state for cfg (malloc'd; the caller frees it). */
static void *new_state(const double *cfg) {
  const double bytes = gl_train_bytes(cfg);
  CHECK(!isnan(bytes));
  if (isnan(bytes)) return NULL;
  void *s = malloc((size_t)bytes);
  CHECK(s != NULL && gl_train_init(cfg, s, bytes) == GL_OK);
  return s;
}

/* Elements of tensor t. */
static size_t tensor_len(const void *s, int t, char *name) {
  int shape[2];
  char buf[64];
  CHECK(gl_train_tensor_info(s, t, name ? name : buf, 64, shape) == GL_OK);
  return (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1);
}

static int is_running(const char *name) { return strstr(name, "running") != NULL; }

/* ---- gradients against central finite differences (float64) ---------------- */

/* Sets every trainable tensor to random values (weights N(0, 0.8²), biases and
 * β N(0, 0.3²), γ 1 + N(0, 0.2²)), so no parameter sits at a special point. */
static void randomize(void *s, uint64_t seed) {
  gl_rng r;
  gl_rng_init(&r, seed);
  double buf[4096];
  for (int t = 0; t < gl_train_tensor_count(s); t++) {
    char name[64];
    const size_t n = tensor_len(s, t, name);
    if (is_running(name)) continue;
    const int gamma = strstr(name, "norms") && strstr(name, "weight");
    const double scale = strstr(name, "weight") && !gamma ? 0.8 : 0.3;
    for (size_t i = 0; i < n; i++) buf[i] = (gamma ? 1 : 0) + (gamma ? 0.2 : scale) * gl_rng_normal(&r);
    CHECK(gl_train_set(s, t, buf) == GL_OK);
  }
}

static double eval_loss(void *s) {
  double out[2];
  CHECK(gl_train_evaluate(s, out) == GL_OK);
  return out[0];
}

/* Worst relative error |analytic − fd| / max(|fd|, 1e-3) over every
 * parameter; fd by central differences with h = 1e-5. */
static double fd_worst(void *s) {
  double loss, grad[4096], val[4096], worst = 0;
  CHECK(gl_train_gradients(s, &loss) == GL_OK);
  for (int t = 0; t < gl_train_tensor_count(s); t++) {
    char name[64];
    const size_t n = tensor_len(s, t, name);
    if (is_running(name)) continue;
    CHECK(gl_train_get_grad(s, t, grad) == GL_OK);
    CHECK(gl_train_get(s, t, val) == GL_OK);
    for (size_t i = 0; i < n; i++) {
      const double keep = val[i], h = 1e-5;
      val[i] = keep + h;
      gl_train_set(s, t, val);
      const double up = eval_loss(s);
      val[i] = keep - h;
      gl_train_set(s, t, val);
      const double down = eval_loss(s);
      val[i] = keep;
      gl_train_set(s, t, val);
      const double fd = (up - down) / (2 * h), err = fabs(grad[i] - fd) / fmax(fabs(fd), 1e-3);
      if (err > 1e-6) fprintf(stderr, "     %s[%zu]: analytic %.12g, fd %.12g\n", name, i, grad[i], fd);
      worst = fmax(worst, err);
    }
  }
  return worst;
}

TEST(every_gradient_matches_central_finite_differences_in_float64) {
  static const struct {
    const char *name;
    int residual, norm;
  } kinds[] = {{"plain", 0, GL_NORM_NONE},    {"residual", 1, GL_NORM_NONE},
               {"batchnorm", 0, GL_NORM_BATCH}, {"layernorm", 0, GL_NORM_LAYER},
               {"res+bn", 1, GL_NORM_BATCH},  {"res+ln", 1, GL_NORM_LAYER}};
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
    for (int act = 0; act < GL_ACT_COUNT; act++) {
      double cfg[GL_TRAIN_NCFG];
      train_cfg(cfg, 2, 5);
      cfg[GL_TRAIN_CFG_POINTS] = 3;
      cfg[GL_TRAIN_CFG_NOISE] = 0.05;
      cfg[GL_TRAIN_CFG_DTYPE] = GL_F64;
      cfg[GL_TRAIN_CFG_ACT] = act;
      cfg[GL_TRAIN_CFG_RESIDUAL] = kinds[k].residual;
      cfg[GL_TRAIN_CFG_NORM] = kinds[k].norm;
      void *s = new_state(cfg);
      if (!s) continue;
      randomize(s, 100 + (uint64_t)act);
      const double worst = fd_worst(s);
      CHECK(worst <= 1e-6);
      printf("     %-9s %-10s worst relative error %.1e\n", kinds[k].name, gl_act_name(act), worst);
      free(s);
    }
}

/* ---- clipping ---------------------------------------------------------------- */

TEST(clip_grad_norm_scales_by_c_over_total_plus_1e_6_and_only_down) {
  double g[3] = {3, 4, 0};
  CHECK(gl_clip_grad_norm(GL_F64, 3, g, 1, 5) == 1);
  CHECK_REL(g[0], 3 * (1 / (5 + 1e-6)), 1e-15);
  CHECK_REL(g[1], 4 * (1 / (5 + 1e-6)), 1e-15);
  double k[2] = {3, 4};
  CHECK(gl_clip_grad_norm(GL_F64, 2, k, 10, 5) == 0);
  CHECK(k[0] == 3 && k[1] == 4);
  float f[2] = {3, 4};
  CHECK(gl_clip_grad_norm(GL_F32, 2, f, 1, 5) == 1);
  CHECK(f[0] == 3.0f * (1.0f / (5.0f + 1e-6f)));
}

TEST(clip_grad_norm_with_non_finite_totals_behaves_as_torch) {
  /* NaN total: coef NaN, every gradient NaN, "clipped" false (coef < 1 is false) */
  double g[2] = {1, 2};
  CHECK(gl_clip_grad_norm(GL_F64, 2, g, 1, NAN) == 0);
  CHECK(isnan(g[0]) && isnan(g[1]));
  /* infinite total: coef 0; finite entries become 0, infinite ones ∞·0 = NaN */
  double h[3] = {1, INFINITY, -2};
  CHECK(gl_clip_grad_norm(GL_F64, 3, h, 1, INFINITY) == 1);
  CHECK(h[0] == 0 && isnan(h[1]) && h[2] == 0);
  float f[2] = {1, INFINITY};
  CHECK(gl_clip_grad_norm(GL_F32, 2, f, 1, INFINITY) == 1);
  CHECK(f[0] == 0 && isnan(f[1]));
}

TEST(clip_grad_value_clamps_and_leaves_nan) {
  double g[5] = {0.5, -3, 3, NAN, -0.25};
  CHECK(gl_clip_grad_value(GL_F64, 5, g, 1) == 1);
  CHECK(g[0] == 0.5 && g[1] == -1 && g[2] == 1 && isnan(g[3]) && g[4] == -0.25);
  double k[2] = {0.5, NAN};
  CHECK(gl_clip_grad_value(GL_F64, 2, k, 1) == 0);
  float f[2] = {INFINITY, -INFINITY};
  CHECK(gl_clip_grad_value(GL_F32, 2, f, 0.05) == 1);
  CHECK(f[0] == 0.05f && f[1] == -0.05f);
}

/* Every parameter, concatenated in tensor order (running statistics skipped). */
static size_t all_params(const void *s, double *out, int grads) {
  size_t at = 0;
  for (int t = 0; t < gl_train_tensor_count(s); t++) {
    char name[64];
    const size_t n = tensor_len(s, t, name);
    if (is_running(name)) continue;
    CHECK((grads ? gl_train_get_grad(s, t, out + at) : gl_train_get(s, t, out + at)) == GL_OK);
    at += n;
  }
  return at;
}

TEST(a_clipped_step_applies_the_clipped_gradient_and_reports_the_norm_before) {
  double cfg[GL_TRAIN_NCFG], loss, g[4096], p0[4096], p1[4096], st[GL_TRAIN_NSTAT];
  train_cfg(cfg, 3, 6);
  cfg[GL_TRAIN_CFG_DTYPE] = GL_F64;
  cfg[GL_TRAIN_CFG_NORM] = GL_NORM_LAYER;
  cfg[GL_TRAIN_CFG_CLIP] = GL_CLIP_NORM;
  void *s = new_state(cfg);
  if (!s) return;
  gl_train_gradients(s, &loss);
  const size_t n = all_params(s, g, 1);
  all_params(s, p0, 0);
  double total = 0;
  for (size_t i = 0; i < n; i++) total += g[i] * g[i];
  total = sqrt(total);
  free(s);
  for (int half = 0; half < 2; half++) {
    const double c = half ? total / 2 : total * 2;
    cfg[GL_TRAIN_CFG_CLIP_AT] = c;
    s = new_state(cfg);
    CHECK(gl_train_step(s, st, NULL, NULL) == GL_OK);
    CHECK_REL(st[GL_TRAIN_TOTAL_NORM], total, 1e-13);
    CHECK_REL(st[GL_TRAIN_LOSS], loss, 1e-15);
    CHECK(st[GL_TRAIN_CLIPPED] == half);
    all_params(s, p1, 0);
    const double coef = half ? c / (total + 1e-6) : 1;
    for (size_t i = 0; i < n; i++) CHECK_NEAR(p1[i], p0[i] - 0.1 * coef * g[i], 1e-15);
    free(s);
  }
}

TEST(a_nan_weight_makes_the_loss_and_after_norm_clipping_every_parameter_nan) {
  double cfg[GL_TRAIN_NCFG], st[GL_TRAIN_NSTAT], p[4096], gn[8], ru[8];
  train_cfg(cfg, 2, 4);
  cfg[GL_TRAIN_CFG_CLIP] = GL_CLIP_NORM;
  cfg[GL_TRAIN_CFG_DTYPE] = GL_F64;
  void *s = new_state(cfg);
  if (!s) return;
  double w[8];
  const int head = gl_train_tensor_count(s) - 2;
  gl_train_get(s, head, w);
  w[3] = NAN;
  gl_train_set(s, head, w);
  CHECK(gl_train_step(s, st, gn, ru) == GL_OK); /* non-finite values are reported, not errors */
  CHECK(isnan(st[GL_TRAIN_LOSS]) && isnan(st[GL_TRAIN_TOTAL_NORM]) && st[GL_TRAIN_CLIPPED] == 0);
  const size_t n = all_params(s, p, 0);
  size_t nans = 0;
  for (size_t i = 0; i < n; i++) nans += isnan(p[i]) != 0;
  CHECK(nans == n);
  free(s);
}

/* ---- optimizers --------------------------------------------------------------- */

TEST(sgd_momentum_and_adam_first_two_updates_match_hand_computation) {
  for (int opt = 0; opt < GL_OPTIMIZER_COUNT; opt++) {
    double cfg[GL_TRAIN_NCFG], st[GL_TRAIN_NSTAT], loss;
    static double p0[4096], p1[4096], p2[4096], g1[4096], g2[4096];
    train_cfg(cfg, 1, 4);
    cfg[GL_TRAIN_CFG_POINTS] = 2;
    cfg[GL_TRAIN_CFG_ACT] = GL_TANH;
    cfg[GL_TRAIN_CFG_DTYPE] = GL_F64;
    cfg[GL_TRAIN_CFG_OPTIMIZER] = opt;
    cfg[GL_TRAIN_CFG_LR] = 0.05;
    void *s = new_state(cfg);
    if (!s) continue;
    const size_t n = all_params(s, p0, 0);
    gl_train_gradients(s, &loss);
    all_params(s, g1, 1);
    gl_train_step(s, st, NULL, NULL);
    all_params(s, p1, 0);
    gl_train_gradients(s, &loss);
    all_params(s, g2, 1);
    gl_train_step(s, st, NULL, NULL);
    all_params(s, p2, 0);
    const double lr = 0.05;
    for (size_t i = 0; i < n; i++) {
      double e1, e2;
      if (opt == GL_OPT_SGD) {
        e1 = p0[i] - lr * g1[i];
        e2 = e1 - lr * g2[i];
      } else if (opt == GL_OPT_MOMENTUM) {
        e1 = p0[i] - lr * g1[i];             /* buf = g₁ */
        e2 = e1 - lr * (0.9 * g1[i] + g2[i]); /* buf = 0.9·g₁ + g₂ */
      } else {
        const double m1 = 0.1 * g1[i], v1 = 0.001 * g1[i] * g1[i];
        e1 = p0[i] - lr / (1 - 0.9) * m1 / (sqrt(v1) / sqrt(1 - 0.999) + 1e-8);
        const double m2 = 0.9 * m1 + 0.1 * g2[i], v2 = 0.999 * v1 + 0.001 * g2[i] * g2[i];
        e2 = e1 - lr / (1 - 0.81) * m2 / (sqrt(v2) / sqrt(1 - 0.999 * 0.999) + 1e-8);
      }
      CHECK_NEAR(p1[i], e1, 1e-14 * fmax(1, fabs(e1)));
      CHECK_NEAR(p2[i], e2, 1e-13 * fmax(1, fabs(e2)));
    }
    free(s);
  }
}

/* ---- BatchNorm running statistics ------------------------------------------- */

/* y = tanh(X·W₀ᵀ + b₀)·W₁ᵀ + b₁ for a depth-1 net of width W (the input of
 * the block's BatchNorm), from the parameters as stored. */
static void block_input(const double *x, int n, int W, const double *w0, const double *b0,
                        const double *w1, const double *b1, double *y) {
  double h[64 * 16];
  for (int r = 0; r < n; r++)
    for (int j = 0; j < W; j++)
      h[r * W + j] = tanh(x[2 * r] * w0[2 * j] + x[2 * r + 1] * w0[2 * j + 1] + b0[j]);
  for (int r = 0; r < n; r++)
    for (int j = 0; j < W; j++) {
      double s = b1[j];
      for (int k = 0; k < W; k++) s += h[r * W + k] * w1[j * W + k];
      y[r * W + j] = s;
    }
}

TEST(batchnorm_running_stats_after_two_steps_follow_momentum_0_1_and_unbiased_variance) {
  enum { W = 4, P = 5, N = 2 * P };
  double cfg[GL_TRAIN_NCFG], st[GL_TRAIN_NSTAT], x[2 * N], y[N * W];
  double w0[2][2 * W], b0[2][W], w1[2][W * W], b1[2][W], rm[W], rv[W];
  int32_t cls[N];
  train_cfg(cfg, 1, W);
  cfg[GL_TRAIN_CFG_POINTS] = P;
  cfg[GL_TRAIN_CFG_ACT] = GL_TANH;
  cfg[GL_TRAIN_CFG_DTYPE] = GL_F64;
  cfg[GL_TRAIN_CFG_NORM] = GL_NORM_BATCH;
  void *s = new_state(cfg);
  if (!s) return;
  gl_train_data(s, x, cls);
  /* tensors: stem.weight, stem.bias, hidden.0.weight, hidden.0.bias, norms.0.{weight, bias,
   * running_mean, running_var}, head.* */
  char name[64];
  tensor_len(s, 6, name);
  CHECK(strcmp(name, "norms.0.running_mean") == 0);
  double exp_m[W] = {0}, exp_v[W] = {1, 1, 1, 1};
  for (int k = 0; k < 2; k++) {
    gl_train_get(s, 0, w0[k]);
    gl_train_get(s, 1, b0[k]);
    gl_train_get(s, 2, w1[k]);
    gl_train_get(s, 3, b1[k]);
    block_input(x, N, W, w0[k], b0[k], w1[k], b1[k], y);
    for (int j = 0; j < W; j++) {
      double m = 0, v = 0;
      for (int r = 0; r < N; r++) m += y[r * W + j];
      m /= N;
      for (int r = 0; r < N; r++) v += (y[r * W + j] - m) * (y[r * W + j] - m);
      exp_m[j] = 0.9 * exp_m[j] + 0.1 * m;
      exp_v[j] = 0.9 * exp_v[j] + 0.1 * v / (N - 1); /* unbiased */
    }
    CHECK(gl_train_step(s, st, NULL, NULL) == GL_OK);
  }
  gl_train_get(s, 6, rm);
  gl_train_get(s, 7, rv);
  for (int j = 0; j < W; j++) {
    CHECK_NEAR(rm[j], exp_m[j], 1e-13);
    CHECK_NEAR(rv[j], exp_v[j], 1e-13);
  }
  free(s);
}

TEST(predict_uses_running_statistics_and_matches_training_mode_without_batchnorm) {
  double cfg[GL_TRAIN_NCFG], st[GL_TRAIN_NSTAT], x[64], p[32], ev[2];
  int32_t cls[32];
  train_cfg(cfg, 2, 4);
  cfg[GL_TRAIN_CFG_DTYPE] = GL_F64;
  for (int norm = 0; norm < GL_NORM_COUNT; norm++) {
    cfg[GL_TRAIN_CFG_NORM] = norm;
    void *s = new_state(cfg);
    if (!s) continue;
    for (int k = 0; k < 3; k++) gl_train_step(s, st, NULL, NULL);
    gl_train_data(s, x, cls);
    CHECK(gl_train_predict(s, 16, x, p) == GL_OK);
    /* the loss of predict's probabilities: equal to the training-mode loss
     * unless BatchNorm's running statistics differ from the batch's */
    double loss = 0;
    for (int r = 0; r < 16; r++) loss -= log(cls[r] ? p[r] : 1 - p[r]);
    loss /= 16;
    gl_train_evaluate(s, ev);
    if (norm == GL_NORM_BATCH)
      CHECK(fabs(loss - ev[0]) > 1e-6);
    else
      CHECK_NEAR(loss, ev[0], 1e-12);
    free(s);
  }
}

/* ---- symmetry, lanes, data ------------------------------------------------------- */

TEST(constant_init_keeps_every_unit_bit_identical_for_300_steps) {
  static const int setups[][4] = {/* act, norm, residual, optimizer */
                                  {GL_TANH, GL_NORM_NONE, 0, GL_OPT_SGD},
                                  {GL_RELU, GL_NORM_BATCH, 1, GL_OPT_MOMENTUM},
                                  {GL_SIGMOID, GL_NORM_LAYER, 0, GL_OPT_ADAM}};
  for (size_t k = 0; k < 3; k++) {
    double cfg[GL_TRAIN_NCFG], st[GL_TRAIN_NSTAT], spread[8];
    train_cfg(cfg, 4, 32);
    cfg[GL_TRAIN_CFG_POINTS] = 64;
    cfg[GL_TRAIN_CFG_INIT] = GL_INIT_CONSTANT;
    cfg[GL_TRAIN_CFG_VALUE] = 0.1;
    cfg[GL_TRAIN_CFG_ACT] = setups[k][0];
    cfg[GL_TRAIN_CFG_NORM] = setups[k][1];
    cfg[GL_TRAIN_CFG_RESIDUAL] = setups[k][2];
    cfg[GL_TRAIN_CFG_OPTIMIZER] = setups[k][3];
    cfg[GL_TRAIN_CFG_LR] = setups[k][3] == GL_OPT_ADAM ? 0.01 : 0.1;
    void *s = new_state(cfg);
    if (!s) continue;
    for (int i = 0; i < 300; i++) gl_train_step(s, st, NULL, NULL);
    CHECK(gl_train_unit_spread(s, spread) == GL_OK);
    for (int l = 0; l <= 4; l++) CHECK(spread[l] == 0);
    CHECK(st[GL_TRAIN_LOSS] > 0.1); /* one effective unit cannot fit the spiral */
    free(s);
    cfg[GL_TRAIN_CFG_INIT] = GL_INIT_XAVIER_NORMAL;
    s = new_state(cfg);
    gl_train_unit_spread(s, spread);
    for (int l = 0; l <= 4; l++) CHECK(spread[l] > 0);
    free(s);
  }
}

TEST(lanes_share_the_weights_whatever_the_remedy) {
  double cfg[GL_TRAIN_NCFG];
  static float ref[4][40 * 40], got[40 * 40];
  train_cfg(cfg, 3, 40);
  void *base = new_state(cfg);
  if (!base) return;
  const int linears[4] = {0, 2, 6, 8}; /* stem.weight, hidden.0/2.weight, head.weight */
  for (int k = 0; k < 4; k++) gl_train_get(base, linears[k], ref[k]);
  for (int toggle = 0; toggle < 5; toggle++) {
    double c2[GL_TRAIN_NCFG];
    memcpy(c2, cfg, sizeof cfg);
    if (toggle == 0) c2[GL_TRAIN_CFG_RESIDUAL] = 1;
    if (toggle == 1) c2[GL_TRAIN_CFG_NORM] = GL_NORM_BATCH;
    if (toggle == 2) c2[GL_TRAIN_CFG_CLIP] = GL_CLIP_VALUE;
    if (toggle == 3) c2[GL_TRAIN_CFG_ACT] = GL_SIGMOID;
    if (toggle == 4) c2[GL_TRAIN_CFG_OPTIMIZER] = GL_OPT_ADAM;
    void *s = new_state(c2);
    if (!s) continue;
    /* with a norm, the head comes after the 2·3 norm tensors' … plus running stats */
    const int head = gl_train_tensor_count(s) - 2;
    const int at[4] = {0, 2, 6, head};
    for (int k = 0; k < 4; k++) {
      gl_train_get(s, at[k], got);
      const size_t n = tensor_len(s, at[k], NULL);
      CHECK(memcmp(got, ref[k], n * sizeof(float)) == 0);
    }
    free(s);
  }
  /* N(0, 0.01²) and N(0, 1) lanes: the same draws, scaled in float32 as
   * torch's normal_(0, σ) scales them (float64 lanes widen the float32 draws) */
  cfg[GL_TRAIN_CFG_INIT] = GL_INIT_NORMAL;
  cfg[GL_TRAIN_CFG_DTYPE] = GL_F64;
  void *a = new_state(cfg);
  cfg[GL_TRAIN_CFG_SIGMA] = 0.01;
  void *b = new_state(cfg);
  static double wa[1600], wb[1600];
  gl_train_get(a, 2, wa);
  gl_train_get(b, 2, wb);
  for (int i = 0; i < 1600; i++) {
    CHECK(wa[i] == (double)(float)wa[i]);
    CHECK(wb[i] == (double)((float)wa[i] * 0.01f));
  }
  free(a);
  free(b);
  free(base);
}

TEST(the_spiral_starts_at_r_half_over_p_and_the_classes_are_opposite) {
  double cfg[GL_TRAIN_NCFG], x[16];
  int32_t y[8];
  train_cfg(cfg, 1, 4);
  cfg[GL_TRAIN_CFG_POINTS] = 4;
  cfg[GL_TRAIN_CFG_DTYPE] = GL_F64;
  void *s = new_state(cfg);
  if (!s) return;
  gl_train_data(s, x, y);
  const double pi = 3.14159265358979323846;
  for (int c = 0; c < 2; c++)
    for (int i = 0; i < 4; i++) {
      const double r = (i + 0.5) / 4, t = 2 * pi * r + pi * c;
      CHECK_NEAR(x[2 * (4 * c + i)], r * sin(t), 1e-15);
      CHECK_NEAR(x[2 * (4 * c + i) + 1], r * cos(t), 1e-15);
      CHECK(y[4 * c + i] == c);
    }
  CHECK_NEAR(x[0], 0.125 * sqrt(0.5), 1e-16); /* t = π/4 */
  CHECK_NEAR(x[8], -0.125 * sqrt(0.5), 1e-16); /* class 1: rotated by π */
  free(s);
  /* noise: within ±ν of the clean point, and seeded by the data seed only */
  double xn[16], xm[16];
  cfg[GL_TRAIN_CFG_NOISE] = 0.1;
  cfg[GL_TRAIN_CFG_DATA_SEED] = 5;
  s = new_state(cfg);
  gl_train_data(s, xn, y);
  free(s);
  cfg[GL_TRAIN_CFG_SEED] = 9;
  s = new_state(cfg);
  gl_train_data(s, xm, y);
  free(s);
  CHECK(memcmp(xn, xm, sizeof xn) == 0);
  int moved = 0;
  for (int i = 0; i < 16; i++) {
    CHECK(fabs(xn[i] - x[i]) <= 0.1);
    moved += xn[i] != x[i];
  }
  CHECK(moved == 16);
}

TEST(reports_per_linear_gradient_norms_and_exact_zero_for_a_lost_update) {
  double cfg[GL_TRAIN_NCFG], st[GL_TRAIN_NSTAT], loss, gn[5], ru[5];
  static float g[32 * 32];
  train_cfg(cfg, 3, 8);
  void *s = new_state(cfg);
  if (!s) return;
  gl_train_gradients(s, &loss);
  double expect[5];
  const int w[5] = {0, 2, 4, 6, 8};
  for (int l = 0; l < 5; l++) {
    const size_t n = tensor_len(s, w[l], NULL);
    gl_train_get_grad(s, w[l], g);
    double ss = 0;
    for (size_t i = 0; i < n; i++) ss += (double)g[i] * g[i];
    expect[l] = sqrt(ss);
  }
  CHECK(gl_train_step(s, st, gn, ru) == GL_OK);
  for (int l = 0; l < 5; l++) {
    CHECK_REL(gn[l], expect[l], 1e-12);
    CHECK(ru[l] > 0 && ru[l] < 1);
  }
  free(s);
  /* lr 1e-20: every w + Δw rounds back to w in float32 */
  cfg[GL_TRAIN_CFG_LR] = 1e-20;
  s = new_state(cfg);
  gl_train_step(s, st, gn, ru);
  for (int l = 0; l < 5; l++) CHECK(ru[l] == 0 && gn[l] > 0);
  free(s);
}

TEST(the_state_is_position_independent) {
  double cfg[GL_TRAIN_NCFG], a[GL_TRAIN_NSTAT], b[GL_TRAIN_NSTAT];
  train_cfg(cfg, 3, 8);
  cfg[GL_TRAIN_CFG_NORM] = GL_NORM_BATCH;
  cfg[GL_TRAIN_CFG_RESIDUAL] = 1;
  cfg[GL_TRAIN_CFG_OPTIMIZER] = GL_OPT_ADAM;
  cfg[GL_TRAIN_CFG_LR] = 0.01;
  void *s = new_state(cfg);
  if (!s) return;
  const double bytes = gl_train_bytes(cfg);
  gl_train_step(s, a, NULL, NULL);
  void *t = malloc((size_t)bytes);
  memcpy(t, s, (size_t)bytes);
  for (int i = 0; i < 5; i++) {
    gl_train_step(s, a, NULL, NULL);
    gl_train_step(t, b, NULL, NULL);
    CHECK(memcmp(a, b, sizeof a) == 0);
  }
  free(s);
  free(t);
}

/* ---- the loss at a tie ---------------------------------------------------------- */

TEST(equal_head_rows_give_exactly_zero_gradients_below_the_head_as_torch) {
  /* a constant init makes both logits equal; softmax = ½ exactly, so the two
   * classes' contributions W₀(p₀ − y₀) + W₁(p₁ − y₁) cancel exactly */
  double cfg[GL_TRAIN_NCFG], loss;
  static double g[4096];
  train_cfg(cfg, 2, 4);
  cfg[GL_TRAIN_CFG_ACT] = GL_TANH;
  cfg[GL_TRAIN_CFG_INIT] = GL_INIT_CONSTANT;
  cfg[GL_TRAIN_CFG_VALUE] = 0.37;
  cfg[GL_TRAIN_CFG_DTYPE] = GL_F64;
  cfg[GL_TRAIN_CFG_POINTS] = 64;
  void *s = new_state(cfg);
  if (!s) return;
  CHECK(gl_train_gradients(s, &loss) == GL_OK);
  CHECK_NEAR(loss, log(2.0), 1e-15);
  for (int t = 0; t < gl_train_tensor_count(s) - 2; t++) { /* all but head.weight, head.bias */
    const size_t n = tensor_len(s, t, NULL);
    CHECK(gl_train_get_grad(s, t, g) == GL_OK);
    for (size_t i = 0; i < n; i++) CHECK(g[i] == 0);
  }
  free(s);
}

/* ---- the optimizer's state, in and out ------------------------------------------ */

/* Every tensor (running statistics too), moment and the step count of state
 * `from` copied into `to` through the public calls: what a restart from a
 * PyTorch snapshot does. */
static void copy_through_api(const void *from, void *to, int opt) {
  static double buf[8192];
  double k = -1;
  for (int t = 0; t < gl_train_tensor_count(from); t++) {
    char name[64];
    tensor_len(from, t, name);
    CHECK(gl_train_get(from, t, buf) == GL_OK && gl_train_set(to, t, buf) == GL_OK);
    for (int which = 0; !is_running(name) && which < (opt == GL_OPT_ADAM ? 2 : opt == GL_OPT_MOMENTUM); which++)
      CHECK(gl_train_get_moment(from, t, which, buf) == GL_OK && gl_train_set_moment(to, t, which, buf) == GL_OK);
  }
  CHECK(gl_train_get_steps(from, &k) == GL_OK && gl_train_set_steps(to, k) == GL_OK);
}

TEST(a_state_restored_from_tensors_moments_and_step_count_continues_bit_for_bit) {
  for (int opt = 0; opt < GL_OPTIMIZER_COUNT; opt++) {
    double cfg[GL_TRAIN_NCFG], a[GL_TRAIN_NSTAT], b[GL_TRAIN_NSTAT];
    train_cfg(cfg, 3, 8);
    cfg[GL_TRAIN_CFG_NORM] = GL_NORM_BATCH;
    cfg[GL_TRAIN_CFG_RESIDUAL] = 1;
    cfg[GL_TRAIN_CFG_OPTIMIZER] = opt;
    cfg[GL_TRAIN_CFG_LR] = 0.01;
    void *s = new_state(cfg), *t = new_state(cfg);
    if (!s || !t) continue;
    for (int i = 0; i < 4; i++) gl_train_step(s, a, NULL, NULL);
    randomize(t, 99); /* nothing of t's own may survive the copy */
    copy_through_api(s, t, opt);
    double k;
    CHECK(gl_train_get_steps(t, &k) == GL_OK && k == 4);
    for (int i = 0; i < 3; i++) {
      gl_train_step(s, a, NULL, NULL);
      gl_train_step(t, b, NULL, NULL);
      CHECK(memcmp(a, b, sizeof a) == 0);
    }
    free(s);
    free(t);
  }
}

TEST(momentum_starts_its_buffer_from_the_gradient_when_the_step_count_is_0) {
  double cfg[GL_TRAIN_NCFG], st[GL_TRAIN_NSTAT], loss;
  static double p0[4096], p1[4096], g[4096], junk[4096];
  train_cfg(cfg, 1, 4);
  cfg[GL_TRAIN_CFG_DTYPE] = GL_F64;
  cfg[GL_TRAIN_CFG_OPTIMIZER] = GL_OPT_MOMENTUM;
  void *s = new_state(cfg);
  if (!s) return;
  for (int i = 0; i < 4096; i++) junk[i] = 1e3;
  for (int t = 0; t < gl_train_tensor_count(s); t++) CHECK(gl_train_set_moment(s, t, 0, junk) == GL_OK);
  CHECK(gl_train_set_steps(s, 0) == GL_OK);
  const size_t n = all_params(s, p0, 0);
  gl_train_gradients(s, &loss);
  all_params(s, g, 1);
  gl_train_step(s, st, NULL, NULL);
  all_params(s, p1, 0);
  for (size_t i = 0; i < n; i++) CHECK_NEAR(p1[i], p0[i] - 0.1 * g[i], 1e-15 * fmax(1, fabs(p0[i])));
  free(s);
}

TEST(optimizer_state_calls_refuse_what_the_optimizer_does_not_keep) {
  double cfg[GL_TRAIN_NCFG], buf[64], k;
  train_cfg(cfg, 1, 4);
  cfg[GL_TRAIN_CFG_NORM] = GL_NORM_BATCH;
  void *s = new_state(cfg); /* SGD: no moments */
  if (!s) return;
  CHECK(gl_train_get_moment(s, 0, 0, buf) == GL_EINVAL);
  CHECK(strstr(gl_last_error(), "keeps no") != NULL);
  free(s);
  cfg[GL_TRAIN_CFG_OPTIMIZER] = GL_OPT_MOMENTUM;
  s = new_state(cfg);
  if (!s) return;
  CHECK(gl_train_get_moment(s, 0, 0, buf) == GL_OK);
  CHECK(gl_train_get_moment(s, 0, 1, buf) == GL_EINVAL); /* momentum keeps no exp_avg_sq */
  CHECK(gl_train_get_moment(s, 0, 2, buf) == GL_EINVAL);
  CHECK(gl_train_get_moment(s, 6, 0, buf) == GL_EINVAL); /* norms.0.running_mean */
  CHECK(strstr(gl_last_error(), "running") != NULL);
  CHECK(gl_train_set_moment(s, 99, 0, buf) == GL_EINVAL);
  CHECK(gl_train_get_moment(s, 0, 0, NULL) == GL_EINVAL);
  CHECK(gl_train_set_steps(s, -1) == GL_EINVAL);
  CHECK(gl_train_set_steps(s, 2.5) == GL_EINVAL);
  CHECK(gl_train_set_steps(s, NAN) == GL_EINVAL);
  CHECK(gl_train_get_steps(s, NULL) == GL_EINVAL);
  CHECK(gl_train_get_steps(buf, &k) == GL_EINVAL); /* not a state */
  free(s);
}

/* ---- invalid input ----------------------------------------------------------------- */

TEST(every_invalid_configuration_entry_is_refused_with_a_message) {
  static const struct {
    int entry;
    double bad;
  } cases[] = {{GL_TRAIN_CFG_DEPTH, 0},      {GL_TRAIN_CFG_DEPTH, 101},   {GL_TRAIN_CFG_DEPTH, 2.5},
               {GL_TRAIN_CFG_WIDTH, 3},      {GL_TRAIN_CFG_WIDTH, 129},   {GL_TRAIN_CFG_ACT, 6},
               {GL_TRAIN_CFG_ACT, -1},       {GL_TRAIN_CFG_INIT, 10},     {GL_TRAIN_CFG_GAIN, -1},
               {GL_TRAIN_CFG_RESIDUAL, 2},   {GL_TRAIN_CFG_NORM, 3},      {GL_TRAIN_CFG_CLIP, 3},
               {GL_TRAIN_CFG_OPTIMIZER, 3},  {GL_TRAIN_CFG_LR, 0},        {GL_TRAIN_CFG_LR, NAN},
               {GL_TRAIN_CFG_LR, INFINITY},  {GL_TRAIN_CFG_DTYPE, 2},     {GL_TRAIN_CFG_SEED, -1},
               {GL_TRAIN_CFG_SEED, 0.5},     {GL_TRAIN_CFG_POINTS, 0},    {GL_TRAIN_CFG_POINTS, 1025},
               {GL_TRAIN_CFG_TURNS, 0},      {GL_TRAIN_CFG_TURNS, 4.5},   {GL_TRAIN_CFG_TURNS, NAN},
               {GL_TRAIN_CFG_NOISE, -0.1},   {GL_TRAIN_CFG_NOISE, NAN},   {GL_TRAIN_CFG_DATA_SEED, 1e300},
               {GL_TRAIN_CFG_DEPTH, 1e300},  {GL_TRAIN_CFG_WIDTH, NAN}};
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    double cfg[GL_TRAIN_NCFG];
    train_cfg(cfg, 2, 8);
    cfg[GL_TRAIN_CFG_INIT] = GL_INIT_XAVIER_NORMAL;
    cfg[cases[k].entry] = cases[k].bad;
    check_sentinel_error();
    CHECK(isnan(gl_train_bytes(cfg)));
    const int st = gl_train_init(cfg, (double[64]){0}, 512);
    CHECK(st == GL_EINVAL || st == GL_ERANGE);
    CHECK(strlen(gl_last_error()) > 0);
  }
  /* clip_at is read only when clipping */
  double cfg[GL_TRAIN_NCFG];
  train_cfg(cfg, 2, 8);
  cfg[GL_TRAIN_CFG_CLIP_AT] = NAN;
  CHECK(!isnan(gl_train_bytes(cfg)));
  cfg[GL_TRAIN_CFG_CLIP] = GL_CLIP_VALUE;
  CHECK_FAILS_WITH(gl_train_init(cfg, (double[64]){0}, 512), GL_EINVAL);
  CHECK(isnan(gl_train_bytes(NULL)));
}

static int bad_states(void) {
  double cfg[GL_TRAIN_NCFG], st[GL_TRAIN_NSTAT];
  static double zeros[4096];
  char name[64];
  int shape[2];
  train_cfg(cfg, 2, 8);
  int ok = 1;
  const double need = gl_train_bytes(cfg);
  /* too small, unaligned, NULL */
  ok &= gl_train_init(cfg, zeros, need - 1) == GL_EINVAL;
  ok &= gl_train_init(cfg, (char *)zeros + 4, need) == GL_EINVAL;
  ok &= gl_train_init(cfg, NULL, need) == GL_EINVAL;
  /* a state that gl_train_init never filled */
  ok &= gl_train_step(zeros, st, NULL, NULL) == GL_EINVAL;
  ok &= gl_train_step(NULL, st, NULL, NULL) == GL_EINVAL;
  ok &= gl_train_evaluate(zeros, st) == GL_EINVAL;
  ok &= gl_train_tensor_count(zeros) == -1;
  ok &= gl_train_predict(zeros, 1, st, st) == GL_EINVAL;
  void *s = malloc((size_t)need);
  ok &= gl_train_init(cfg, s, need) == GL_OK;
  ok &= gl_train_tensor_info(s, -1, name, 64, shape) == GL_EINVAL;
  ok &= gl_train_tensor_info(s, gl_train_tensor_count(s), name, 64, shape) == GL_EINVAL;
  ok &= gl_train_tensor_info(s, 0, name, 8, shape) == GL_EINVAL;
  ok &= gl_train_get(s, 99, zeros) == GL_EINVAL;
  ok &= gl_train_step(s, NULL, NULL, NULL) == GL_EINVAL;
  ok &= gl_train_predict(s, 0, st, st) == GL_EINVAL;
  int32_t y[16] = {0};
  y[3] = 2;
  ok &= gl_train_set_data(s, zeros, y) == GL_EINVAL;
  free(s);
  return ok ? 0 : 1;
}

TEST(bad_states_and_arguments_fail_without_crashing) { CHECK(survives(bad_states)); }

TEST(tensor_names_follow_the_state_dict_of_the_model) {
  double cfg[GL_TRAIN_NCFG];
  train_cfg(cfg, 2, 8);
  cfg[GL_TRAIN_CFG_NORM] = GL_NORM_BATCH;
  void *s = new_state(cfg);
  if (!s) return;
  static const char *const want[] = {
      "stem.weight",   "stem.bias",          "hidden.0.weight",     "hidden.0.bias",
      "hidden.1.weight", "hidden.1.bias",    "norms.0.weight",      "norms.0.bias",
      "norms.0.running_mean", "norms.0.running_var", "norms.1.weight", "norms.1.bias",
      "norms.1.running_mean", "norms.1.running_var", "head.weight", "head.bias"};
  CHECK(gl_train_tensor_count(s) == 16);
  for (int t = 0; t < 16; t++) {
    char name[64];
    int shape[2];
    CHECK(gl_train_tensor_info(s, t, name, 64, shape) == GL_OK);
    CHECK(strcmp(name, want[t]) == 0);
  }
  int shape[2];
  char name[64];
  gl_train_tensor_info(s, 0, name, 64, shape);
  CHECK(shape[0] == 8 && shape[1] == 2);
  gl_train_tensor_info(s, 14, name, 64, shape);
  CHECK(shape[0] == 2 && shape[1] == 8);
  gl_train_tensor_info(s, 15, name, 64, shape);
  CHECK(shape[0] == 2 && shape[1] == 0);
  free(s);
}

/* Found by fuzz_train: gl_train_bytes accepted a configuration whose
 * weights gl_train_init then refused (a float32 constant past FLT_MAX, a
 * kaiming_uniform bound that only the stem's fan_in = 2 pushes past it). */
TEST(weights_past_the_dtype_are_refused_by_train_bytes_before_any_work) {
  double cfg[GL_TRAIN_NCFG];
  train_cfg(cfg, 2, 4);
  cfg[GL_TRAIN_CFG_INIT] = GL_INIT_CONSTANT;
  cfg[GL_TRAIN_CFG_VALUE] = 1e39;
  CHECK(isnan(gl_train_bytes(cfg)));
  CHECK(strstr(gl_last_error(), "use value <= ") != NULL);
  /* a float64 lane's weights are torch's float32 draws widened: the same limit */
  cfg[GL_TRAIN_CFG_DTYPE] = GL_F64;
  CHECK(isnan(gl_train_bytes(cfg)));
  CHECK(strstr(gl_last_error(), "float32") != NULL);
  cfg[GL_TRAIN_CFG_VALUE] = 3e38;
  CHECK(!isnan(gl_train_bytes(cfg)));
  train_cfg(cfg, 2, 100);
  cfg[GL_TRAIN_CFG_INIT] = GL_INIT_KAIMING_UNIFORM;
  cfg[GL_TRAIN_CFG_GAIN] = 3e38; /* bound gain·√(3/fan_in): 3e38·√1.5 past FLT_MAX at the stem only */
  CHECK(isnan(gl_train_bytes(cfg)));
  /* torch takes U(−b, b)'s width 2b in float32: b = 2e38·√(3/100) is finite,
   * 2b is not (torch's uniform_ raises) */
  cfg[GL_TRAIN_CFG_GAIN] = 2e38;
  CHECK(isnan(gl_train_bytes(cfg)));
  CHECK(strstr(gl_last_error(), "width 2b") != NULL);
  cfg[GL_TRAIN_CFG_GAIN] = 1e38;
  CHECK(!isnan(gl_train_bytes(cfg)));
  /* a normal's float32 draws reach 9 std: std·9 must stay finite */
  cfg[GL_TRAIN_CFG_INIT] = GL_INIT_NORMAL;
  cfg[GL_TRAIN_CFG_SIGMA] = 1e38;
  CHECK(isnan(gl_train_bytes(cfg)));
  cfg[GL_TRAIN_CFG_SIGMA] = 3e37;
  CHECK(!isnan(gl_train_bytes(cfg)));
}

int main(void) {
  RUN(every_gradient_matches_central_finite_differences_in_float64);
  RUN(clip_grad_norm_scales_by_c_over_total_plus_1e_6_and_only_down);
  RUN(clip_grad_norm_with_non_finite_totals_behaves_as_torch);
  RUN(clip_grad_value_clamps_and_leaves_nan);
  RUN(a_clipped_step_applies_the_clipped_gradient_and_reports_the_norm_before);
  RUN(a_nan_weight_makes_the_loss_and_after_norm_clipping_every_parameter_nan);
  RUN(sgd_momentum_and_adam_first_two_updates_match_hand_computation);
  RUN(batchnorm_running_stats_after_two_steps_follow_momentum_0_1_and_unbiased_variance);
  RUN(predict_uses_running_statistics_and_matches_training_mode_without_batchnorm);
  RUN(constant_init_keeps_every_unit_bit_identical_for_300_steps);
  RUN(lanes_share_the_weights_whatever_the_remedy);
  RUN(the_spiral_starts_at_r_half_over_p_and_the_classes_are_opposite);
  RUN(reports_per_linear_gradient_norms_and_exact_zero_for_a_lost_update);
  RUN(the_state_is_position_independent);
  RUN(every_invalid_configuration_entry_is_refused_with_a_message);
  RUN(bad_states_and_arguments_fail_without_crashing);
  RUN(tensor_names_follow_the_state_dict_of_the_model);
  RUN(equal_head_rows_give_exactly_zero_gradients_below_the_head_as_torch);
  RUN(a_state_restored_from_tensors_moments_and_step_count_continues_bit_for_bit);
  RUN(momentum_starts_its_buffer_from_the_gradient_when_the_step_count_is_0);
  RUN(optimizer_state_calls_refuse_what_the_optimizer_does_not_keep);
  RUN(weights_past_the_dtype_are_refused_by_train_bytes_before_any_work);
  return check_summary("train");
}
