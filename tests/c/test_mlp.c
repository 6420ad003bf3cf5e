/* test_mlp.c — the deep MLP's forward/backward pass and its per-layer statistics. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gradlab.h"
#include "internal.h"
#include "mlp_internal.h"

#define NS GL_MLP_NSTAT

/* A configuration array: the scheme's default gain, sigma 1, value 0, no
 * histograms; tests set the other entries by name. */
static double *mlp_cfg(double *cfg, int init, int act, int depth, int width, int batch, int dtype,
                       double seed) {
  cfg[GL_MLP_CFG_INIT] = init;
  cfg[GL_MLP_CFG_GAIN] = NAN;
  cfg[GL_MLP_CFG_SIGMA] = 1;
  cfg[GL_MLP_CFG_VALUE] = 0;
  cfg[GL_MLP_CFG_ACT] = act;
  cfg[GL_MLP_CFG_DEPTH] = depth;
  cfg[GL_MLP_CFG_WIDTH] = width;
  cfg[GL_MLP_CFG_BATCH] = batch;
  cfg[GL_MLP_CFG_DTYPE] = dtype;
  cfg[GL_MLP_CFG_SEED] = seed;
  cfg[GL_MLP_CFG_BINS] = 0;
  cfg[GL_MLP_CFG_HIST_TAIL] = 0;
  return cfg;
}

static double phi(int act, double x) {
  double y;
  gl_act_forward(act, GL_F64, 1, &x, &y);
  return y;
}
static double dphi(int act, double x) {
  double y = phi(act, x), one = 1, d;
  gl_act_backward(act, GL_F64, 1, &x, &y, &one, &d);
  return d;
}

/* ---- gradients vs finite differences ------------------------------------- */

enum { FD_L = 3, FD_W = 4, FD_B = 2 };

/* ℓ = Σ a_L ⊙ G, by the forward pass under test. */
static double fd_loss(gl_mlp_net *net, const double *g) {
  gl_mlp_forward(net);
  const double *aL = (const double *)net->a + FD_L * FD_B * FD_W;
  double s = 0;
  for (int i = 0; i < FD_B * FD_W; i++) s += aL[i] * g[i];
  return s;
}

/* Checks grad[0..n) against central differences of ℓ in param[0..n) (each
 * entry nudged by ±h and restored); returns the worst absolute difference.
 * Error ~ h²·ℓ''' + ε/h ≈ 1e-10 for h = 1e-5. */
static double fd_check(gl_mlp_net *net, const double *g, double *param, const double *grad, int n) {
  const double h = 1e-5;
  double worst = 0;
  for (int i = 0; i < n; i++) {
    const double keep = param[i];
    param[i] = keep + h;
    const double up = fd_loss(net, g);
    param[i] = keep - h;
    const double down = fd_loss(net, g);
    param[i] = keep;
    const double fd = (up - down) / (2 * h);
    CHECK_NEAR(grad[i], fd, 1e-7 * fmax(1, fabs(fd)));
    worst = fmax(worst, fabs(grad[i] - fd));
  }
  return worst;
}

static void copy_grad_w(void *ctx, int layer, const void *ga, const void *gz, const void *gw) {
  (void)ga, (void)gz;
  memcpy((double *)ctx + (layer - 1) * FD_W * FD_W, gw, sizeof(double) * FD_W * FD_W);
}

TEST(gradients_match_central_finite_differences) {
  for (int act = 0; act < GL_ACT_COUNT; act++) {
    double w[FD_L * FD_W * FD_W], a[(FD_L + 1) * FD_B * FD_W], z[FD_L * FD_B * FD_W];
    double scratch[FD_W * FD_W], g[FD_B * FD_W], ga[FD_B * FD_W], gz[FD_B * FD_W];
    double pack[(8 + 4) * FD_W]; /* gl_matmul_pack_elems(FD_W, max(FD_W, FD_B)) */
    double gw[FD_L * FD_W * FD_W];
    gl_rng r;
    gl_rng_init(&r, 11 + (uint64_t)act);
    for (int i = 0; i < FD_B * FD_W; i++) a[i] = gl_rng_normal(&r);
    for (int i = 0; i < FD_L * FD_W * FD_W; i++) w[i] = 0.8 * gl_rng_normal(&r);
    for (int i = 0; i < FD_B * FD_W; i++) g[i] = ga[i] = gl_rng_normal(&r);
    gl_mlp_net net = {act, FD_L, FD_W, FD_B, GL_F64, w, a, z, scratch, pack, NULL, NULL};
    CHECK(gl_matmul_pack_elems(FD_W, FD_W) <= sizeof pack / sizeof pack[0]);
    gl_mlp_forward(&net);
    gl_mlp_backward(&net, ga, gz, copy_grad_w, gw); /* ga ends as ∂ℓ/∂X */

    const double worst = fmax(fd_check(&net, g, w, gw, FD_L * FD_W * FD_W),
                              fd_check(&net, g, a, ga, FD_B * FD_W));
    printf("     %-10s worst |analytic - finite difference| = %.1e\n", gl_act_name(act), worst);
  }
}

/* ---- statistics against an independent naive implementation -------------- */

static void moments(const double *v, int n, double *mean, double *var) {
  double m = 0, s = 0;
  for (int i = 0; i < n; i++) m += v[i];
  m /= n;
  for (int i = 0; i < n; i++) s += (v[i] - m) * (v[i] - m);
  *mean = m, *var = s / n;
}

TEST(draws_x_then_weights_then_upstream_gradient_and_stats_are_population_moments) {
  enum { L = 3, W = 5, B = 4 };
  const int act = GL_TANH;
  double x[L + 1][B * W], zz[L][B * W], w[L][W * W], ga[B * W], stats[L * NS];
  gl_rng r;
  gl_rng_init(&r, 77);
  for (int i = 0; i < B * W; i++) x[0][i] = gl_rng_normal(&r);
  for (int l = 0; l < L; l++)
    CHECK(gl_init_fill(GL_INIT_NORMAL, W, W, NAN, 0.7, 0, GL_F64, &r, w[l]) == GL_OK);
  for (int i = 0; i < B * W; i++) ga[i] = gl_rng_normal(&r);
  double cfg[GL_MLP_NCFG];
  mlp_cfg(cfg, GL_INIT_NORMAL, act, L, W, B, GL_F64, 77)[GL_MLP_CFG_SIGMA] = 0.7;
  CHECK(gl_mlp_stats(cfg, stats, NULL, NULL) == GL_OK);
  double want[L][NS];
  for (int l = 0; l < L; l++) {
    for (int b = 0; b < B; b++)
      for (int i = 0; i < W; i++) {
        double s = 0;
        for (int k = 0; k < W; k++) s += x[l][b * W + k] * w[l][i * W + k];
        zz[l][b * W + i] = s;
        x[l + 1][b * W + i] = phi(act, s);
      }
    moments(zz[l], B * W, &want[l][GL_MLP_Z_MEAN], &want[l][GL_MLP_Z_VAR]);
    moments(x[l + 1], B * W, &want[l][GL_MLP_A_MEAN], &want[l][GL_MLP_A_VAR]);
    double spread = 0;
    for (int b = 0; b < B; b++) {
      double lo = INFINITY, hi = -INFINITY;
      for (int i = 0; i < W; i++) lo = fmin(lo, x[l + 1][b * W + i]), hi = fmax(hi, x[l + 1][b * W + i]);
      spread = fmax(spread, hi - lo);
    }
    want[l][GL_MLP_UNIT_SPREAD] = spread;
  }
  for (int l = L - 1; l >= 0; l--) {
    double gz[B * W], gw[W * W], next[B * W], m;
    for (int i = 0; i < B * W; i++) gz[i] = ga[i] * dphi(act, zz[l][i]);
    for (int i = 0; i < W; i++)
      for (int k = 0; k < W; k++) {
        double s = 0;
        for (int b = 0; b < B; b++) s += gz[b * W + i] * x[l][b * W + k];
        gw[i * W + k] = s;
      }
    for (int b = 0; b < B; b++)
      for (int k = 0; k < W; k++) {
        double s = 0;
        for (int i = 0; i < W; i++) s += gz[b * W + i] * w[l][i * W + k];
        next[b * W + k] = s;
      }
    moments(ga, B * W, &m, &want[l][GL_MLP_GRAD_A_VAR]);
    moments(gz, B * W, &m, &want[l][GL_MLP_GRAD_Z_VAR]);
    moments(gw, W * W, &m, &want[l][GL_MLP_GRAD_W_VAR]);
    memcpy(ga, next, sizeof ga);
  }
  for (int l = 0; l < L; l++)
    for (int k = 0; k < NS; k++) CHECK_NEAR(stats[l * NS + k], want[l][k], 1e-12 * fmax(1, fabs(want[l][k])));
}

/* ---- the physics of initialization ---------------------------------------- */

/* Orthogonal W preserves the norm of every row: Σ z_l² = Σ a_{l−1}² exactly in
 * real arithmetic; with a linear φ every layer's mean square equals X's. */
TEST(linear_orthogonal_net_keeps_the_mean_square_of_x_at_every_layer) {
  enum { L = 50, W = 64, B = 32 };
  double x[B * W], stats[L * NS];
  gl_rng r;
  gl_rng_init(&r, 5);
  double ms = 0;
  for (int i = 0; i < B * W; i++) x[i] = gl_rng_normal(&r), ms += x[i] * x[i];
  ms /= B * W;
  for (int dtype = 0; dtype < 2; dtype++) {
    double cfg[GL_MLP_NCFG];
    CHECK(gl_mlp_stats(mlp_cfg(cfg, GL_INIT_ORTHOGONAL, GL_LINEAR, L, W, B, dtype, 5), stats, NULL,
                       NULL) == GL_OK);
    /* float32: ~√(L·W) roundings of 6e-8 relative per entry; float64: 1e-16 */
    const double tol = dtype == GL_F32 ? 1e-4 : 1e-12;
    double worst = 0;
    for (int l = 0; l < L; l++) {
      const double *s = stats + l * NS;
      double got = s[GL_MLP_A_VAR] + s[GL_MLP_A_MEAN] * s[GL_MLP_A_MEAN];
      CHECK_REL(got, ms, tol);
      worst = fmax(worst, fabs(got / ms - 1));
    }
    printf("     %s: worst relative drift of the mean square over %d layers %.1e\n",
           dtype ? "float64" : "float32", L, worst);
  }
}

/* Runs relu (or another φ) with a scheme and returns z_var of each layer. */
static void z_vars(int init, int act, int depth, int width, int batch, double seed, double *zv,
                   double *gzv) {
  double *stats = malloc(sizeof(double) * (size_t)(depth * NS)), cfg[GL_MLP_NCFG];
  CHECK(gl_mlp_stats(mlp_cfg(cfg, init, act, depth, width, batch, GL_F32, seed), stats, NULL,
                     NULL) == GL_OK);
  for (int l = 0; l < depth; l++) {
    zv[l] = stats[l * NS + GL_MLP_Z_VAR];
    if (gzv) gzv[l] = stats[l * NS + GL_MLP_GRAD_Z_VAR];
  }
  free(stats);
}

/* Mean and standard error of the per-layer log growth ln(v_l / v_{l−1}) of a
 * variance profile, pooled over seeds (backward: ln(v_{l−1} / v_l)). */
typedef struct growth {
  double sum, sum2;
  int n;
} growth;
static void growth_add(growth *g, const double *v, int depth, int backward) {
  for (int l = 1; l < depth; l++) {
    double r = backward ? log(v[l - 1] / v[l]) : log(v[l] / v[l - 1]);
    g->sum += r, g->sum2 += r * r, g->n++;
  }
}
static double growth_mean(const growth *g) { return g->sum / g->n; }
static double growth_se(const growth *g) {
  double m = growth_mean(g);
  return sqrt((g->sum2 / g->n - m * m) / g->n);
}

/* He init: Var(W) = 2/width and relu keeps half of E[z²], so q_l = 2 at every
 * layer.  At finite width, ln q_l is a random walk: the inputs of a deep relu
 * net align, so the batch behaves like one input and each layer multiplies q
 * by a factor whose log has sd ≈ √(5/width) ≈ 0.14 at width 256 (Hanin &
 * Nica 2019; measured 0.11).  After 20 layers ln q_l has wandered by about
 * 0.14·√20 ≈ 0.63 for a given seed, so per layer we only bound q_l within
 * ×/÷ 12 of its theory (e^2.5: 4σ of the walk at layer 20, still far from
 * Xavier's 2^−19; a 2σ bound failed for one seed).  The sharp test is the
 * mean per-layer log growth over 5 seeds × 19 layers: 0 within 5 standard
 * errors (≈ ±0.06) — a gain off by 10% (growth ln 1.21 = 0.19) fails it. */
TEST(relu_kaiming_normal_keeps_z_var_flat_over_20_layers) {
  enum { L = 20, W = 256, B = 256 };
  double zv[L], gzv[L], worst = 0;
  growth fwd = {0, 0, 0}, bwd = {0, 0, 0};
  for (int seed = 1; seed <= 5; seed++) {
    z_vars(GL_INIT_KAIMING_NORMAL, GL_RELU, L, W, B, seed, zv, gzv);
    growth_add(&fwd, zv, L, 0);
    growth_add(&bwd, gzv, L, 1);
    for (int l = 0; l < L; l++) {
      CHECK(zv[l] > 2.0 / 12 && zv[l] < 2.0 * 12);
      CHECK(gzv[l] > 0.5 / 12 && gzv[l] < 0.5 * 12); /* Var(∂z_L) = ½, then ×2·½ per layer */
      worst = fmax(worst, fabs(log(zv[l] / 2)));
    }
  }
  CHECK_NEAR(growth_mean(&fwd), 0.0, 5 * growth_se(&fwd));
  CHECK_NEAR(growth_mean(&bwd), 0.0, 5 * growth_se(&bwd));
  printf("     per-layer log growth: forward %+.4f (se %.4f), backward %+.4f (se %.4f); "
         "worst |ln(z_var/2)| %.2f\n",
         growth_mean(&fwd), growth_se(&fwd), growth_mean(&bwd), growth_se(&bwd), worst);
}

/* Xavier: Var(W) = 2/(2·width) = 1/width, so relu halves q per layer: mean
 * log growth ln ½ within 5 standard errors; q_1 = Var(W)·width·Var(X) = 1 up
 * to the sampling error of one layer (≈ √(2/width) ≈ 9%: bound 25%). */
TEST(relu_xavier_normal_halves_z_var_per_layer) {
  enum { L = 20, W = 256, B = 256 };
  double zv[L];
  growth fwd = {0, 0, 0};
  for (int seed = 1; seed <= 3; seed++) {
    z_vars(GL_INIT_XAVIER_NORMAL, GL_RELU, L, W, B, seed, zv, NULL);
    CHECK_REL(zv[0], 1.0, 0.25);
    growth_add(&fwd, zv, L, 0);
  }
  CHECK_NEAR(growth_mean(&fwd), log(0.5), 5 * growth_se(&fwd));
  printf("     per-layer growth exp(mean log) = %.4f (se of the log %.4f)\n",
         exp(growth_mean(&fwd)), growth_se(&fwd));
}

/* Mean field: at width 512 tanh with Xavier (σ_w² = 512·2/1024 = 1) follows
 * the infinite-width recursion, forward and backward, while the theory itself
 * falls from 1 to ~0.1 over the 10 layers.  Over seeds 1..8 the largest gap
 * was 3.6% forward and 2.4% backward (finite-width fluctuations, O(1/√width)
 * per layer): the bound is 5%. */
TEST(tanh_xavier_z_var_follows_mean_field_at_width_512) {
  enum { L = 10, W = 512, B = 128 };
  double zv[L], gzv[L], mz[L], mg[L], worst = 0, worst_g = 0;
  z_vars(GL_INIT_XAVIER_NORMAL, GL_TANH, L, W, B, 3, zv, gzv);
  CHECK(gl_meanfield(GL_TANH, 1.0, 1.0, 1.0, L, mz, mg) == GL_OK);
  for (int l = 0; l < L; l++) {
    CHECK_REL(zv[l], mz[l], 0.05);
    CHECK_REL(gzv[l], mg[l], 0.05);
    worst = fmax(worst, fabs(zv[l] / mz[l] - 1));
    worst_g = fmax(worst_g, fabs(gzv[l] / mg[l] - 1));
  }
  printf("     worst relative gap to mean field: forward %.3f, backward %.3f\n", worst, worst_g);
}

/* Constant W makes every unit of a layer compute the same sum: symmetry is
 * never broken, so the units stay bit-identical. */
TEST(constant_init_units_are_identical_at_every_layer) {
  enum { L = 6, W = 16, B = 8 };
  double stats[L * NS], cfg[GL_MLP_NCFG];
  for (int dtype = 0; dtype < 2; dtype++) {
    mlp_cfg(cfg, GL_INIT_CONSTANT, GL_TANH, L, W, B, dtype, 1)[GL_MLP_CFG_VALUE] = 0.05;
    CHECK(gl_mlp_stats(cfg, stats, NULL, NULL) == GL_OK);
    for (int l = 0; l < L; l++) CHECK(stats[l * NS + GL_MLP_UNIT_SPREAD] == 0.0);
    CHECK(stats[(L - 1) * NS + GL_MLP_A_VAR] > 0); /* rows still differ */
    CHECK(gl_mlp_stats(mlp_cfg(cfg, GL_INIT_XAVIER_NORMAL, GL_TANH, L, W, B, dtype, 1), stats, NULL,
                       NULL) == GL_OK);
    for (int l = 0; l < L; l++) CHECK(stats[l * NS + GL_MLP_UNIT_SPREAD] > 0.01);
  }
}

TEST(exploding_float32_net_reports_non_finite_statistics_without_crashing) {
  enum { L = 40, W = 256, B = 8, BINS = 10 };
  double stats[L * NS], hist[L * 2 * BINS], range[L * 4] = {0}, cfg[GL_MLP_NCFG];
  /* normal σ = 1: q grows ×256 per layer; entries pass float's 3e38 (q ≈ 1e77) by layer ~32 */
  mlp_cfg(cfg, GL_INIT_NORMAL, GL_LINEAR, L, W, B, GL_F32, 1)[GL_MLP_CFG_BINS] = BINS;
  CHECK(gl_mlp_stats(cfg, stats, hist, range) == GL_OK);
  CHECK(isfinite(stats[GL_MLP_Z_VAR]));
  CHECK(!isfinite(stats[(L - 1) * NS + GL_MLP_Z_VAR]));
  /* a layer with no finite entry at all gets an empty histogram over [−½, ½] */
  double n_last = 0;
  for (int k = 0; k < BINS; k++) n_last += hist[(L - 1) * 2 * BINS + k];
  CHECK(n_last == 0 && range[(L - 1) * 4] == -0.5 && range[(L - 1) * 4 + 1] == 0.5);
}

/* Issue 12: with a hist_tail the range of each histogram is the tail and
 * 1 − tail quantiles, so one huge value cannot squeeze the rest into a bin,
 * and the values outside are left out (batch·width − Σ counts of them). */
TEST(histograms_with_a_tail_span_the_quantiles_and_leave_the_outliers_out) {
  enum { L = 4, W = 64, B = 32, BINS = 20 };
  double stats[L * NS], hist[L * 2 * BINS], range[L * 4] = {0}, cfg[GL_MLP_NCFG];
  mlp_cfg(cfg, GL_INIT_KAIMING_NORMAL, GL_RELU, L, W, B, GL_F64, 3)[GL_MLP_CFG_BINS] = BINS;
  double plain[L * 2 * BINS], plain_range[L * 4] = {0};
  CHECK(gl_mlp_stats(cfg, stats, plain, plain_range) == GL_OK);
  const double bytes = gl_mlp_bytes(cfg);
  cfg[GL_MLP_CFG_HIST_TAIL] = 0.01;
  CHECK(gl_mlp_stats(cfg, stats, hist, range) == GL_OK);
  CHECK_NEAR(gl_mlp_bytes(cfg) - bytes, 8.0 * B * W, 0); /* the selection's scratch */
  for (int l = 0; l < L; l++) {
    for (int h = 0; h < 2; h++) {
      const double *c = hist + (l * 2 + h) * BINS, lo = range[l * 4 + 2 * h], hi = range[l * 4 + 2 * h + 1];
      /* inside the data's range, and narrower: the 1% tails are cut */
      CHECK(lo >= plain_range[l * 4 + 2 * h] && hi <= plain_range[l * 4 + 2 * h + 1]);
      CHECK(lo < hi);
      double n = 0;
      for (int k = 0; k < BINS; k++) n += c[k];
      const double out = B * W - n;
      /* ≈ 1% (ReLU activations: half exact zeros, only the top tail is cut) or 2% */
      CHECK(out >= 0.005 * B * W && out <= 0.025 * B * W);
    }
  }
  cfg[GL_MLP_CFG_HIST_TAIL] = 0.5;
  CHECK_FAILS_WITH(gl_mlp_stats(cfg, stats, hist, range), GL_EINVAL);
  cfg[GL_MLP_CFG_HIST_TAIL] = NAN;
  CHECK(isnan(gl_mlp_bytes(cfg)) && strstr(gl_last_error(), "hist_tail") != NULL);
}

/* Issue 14, item 5: σ = 1e154 makes width·σ² (Var(z_1) for unit inputs, the
 * mean-field σ_w²) overflow a double: refused before the network is computed. */
TEST(a_sigma_whose_width_sigma_squared_overflows_is_refused_before_work) {
  enum { L = 3, W = 128, B = 2 };
  double stats[L * NS], cfg[GL_MLP_NCFG];
  mlp_cfg(cfg, GL_INIT_NORMAL, GL_TANH, L, W, B, GL_F64, 0)[GL_MLP_CFG_SIGMA] = 1e154;
  stats[0] = -7;
  CHECK(gl_mlp_stats(cfg, stats, NULL, NULL) == GL_ERANGE);
  CHECK(stats[0] == -7);
  CHECK(strstr(gl_last_error(), "width") && strstr(gl_last_error(), "use sigma <= "));
  const double largest = atof(strstr(gl_last_error(), "use sigma <= ") + strlen("use sigma <= "));
  cfg[GL_MLP_CFG_SIGMA] = largest;
  CHECK(gl_mlp_stats(cfg, stats, NULL, NULL) == GL_OK);
  CHECK(isfinite((double)W * largest * largest));
  /* the gain of a scheme that uses one is named instead */
  mlp_cfg(cfg, GL_INIT_KAIMING_NORMAL, GL_RELU, L, W, B, GL_F64, 0)[GL_MLP_CFG_GAIN] = 1e160;
  CHECK(gl_mlp_stats(cfg, stats, NULL, NULL) == GL_ERANGE);
  CHECK(strstr(gl_last_error(), "use gain <= ") != NULL);
}

/* Sum of the counts of one histogram. */
static double total(const double *counts, int bins) {
  double n = 0;
  for (int k = 0; k < bins; k++) n += counts[k];
  return n;
}

TEST(histograms_count_every_finite_entry_and_write_back_the_range) {
  enum { L = 4, W = 32, B = 16, BINS = 20 };
  double stats[L * NS], hist[L * 2 * BINS], range[L * 4], cfg[GL_MLP_NCFG];
  /* every layer's ranges unset, except layer 2: a narrow fixed range for a
   * (values outside clamp into the end bins) and an inverted one for ∂z */
  for (int i = 0; i < L * 4; i++) range[i] = 0;
  range[4] = -0.01, range[5] = 0.01, range[6] = 1, range[7] = -1;
  mlp_cfg(cfg, GL_INIT_XAVIER_UNIFORM, GL_TANH, L, W, B, GL_F64, 9)[GL_MLP_CFG_BINS] = BINS;
  CHECK(gl_mlp_stats(cfg, stats, hist, range) == GL_OK);
  for (int l = 0; l < L; l++) {
    const double *ha = hist + l * 2 * BINS, *hg = ha + BINS, *r = range + l * 4;
    CHECK_NEAR(total(ha, BINS), B * W, 0);
    CHECK_NEAR(total(hg, BINS), B * W, 0);
    CHECK(r[2] < 0 && r[3] > 0); /* ∂z: the data's range, both signs */
    if (l == 1) {
      CHECK(r[0] == -0.01 && r[1] == 0.01); /* a valid range is left alone */
      CHECK(ha[0] > 0.3 * B * W && ha[BINS - 1] > 0.3 * B * W);
    } else {
      CHECK(r[0] < r[1] && r[0] > -1 && r[1] < 1); /* tanh's data range */
      CHECK(ha[0] >= 1 && ha[BINS - 1] >= 1);      /* the data's min and max fall in the end bins */
    }
  }
  /* Constant init with value 0: every a_l is exactly 0, a single value, which
   * gets the widened range [−½, ½] and one full middle bin. */
  double one[L * 4] = {0}, hc[L * 2 * BINS];
  mlp_cfg(cfg, GL_INIT_CONSTANT, GL_RELU, L, W, B, GL_F32, 9)[GL_MLP_CFG_BINS] = BINS;
  CHECK(gl_mlp_stats(cfg, stats, hc, one) == GL_OK);
  CHECK(one[2 * 4] == -0.5 && one[2 * 4 + 1] == 0.5 && hc[2 * 2 * BINS + BINS / 2] == B * W);
}

/* What a histogram at every layer must equal: gl_histogram of that layer's
 * a_l and ∂ℓ/∂z_l, recomputed here with the internal forward/backward pass on
 * weights drawn by gl_init_fill in the documented order (X, W_1..W_L, G) —
 * independent of gl_mlp_stats's weight supplier, cache and buffer layout. */
typedef struct gz_hists {
  int dtype, n, bins;
  double *hist, *range; /* layer-major, as gl_mlp_stats's */
} gz_hists;

static void histogram_gz(void *p, int layer, const void *ga, const void *gz, const void *gw) {
  (void)ga, (void)gw;
  gz_hists *c = p;
  gl_histogram(c->dtype, c->n, gz, c->bins, c->hist + (layer - 1) * 2 * c->bins + c->bins,
               c->range + (layer - 1) * 4 + 2);
}

static void check_all_layer_histograms(int init, int act, int dtype, double sigma) {
  enum { L = 12, W = 24, B = 10, BINS = 9 };
  const size_t es = (size_t)gl_dtype_size(dtype), bw = B * W;
  double cfg[GL_MLP_NCFG], stats[L * NS], hist[L * 2 * BINS], range[L * 4] = {0};
  mlp_cfg(cfg, init, act, L, W, B, dtype, 21);
  cfg[GL_MLP_CFG_SIGMA] = sigma;
  cfg[GL_MLP_CFG_BINS] = BINS;
  CHECK(gl_mlp_stats(cfg, stats, hist, range) == GL_OK);

  char *w = malloc(es * L * W * W), *a = malloc(es * (L + 1) * bw), *z = malloc(es * L * bw);
  char *ga = malloc(es * bw), *gz = malloc(es * bw), *scratch = malloc(es * W * W);
  char *pack = malloc(es * gl_matmul_pack_elems(W, W > B ? W : B));
  double want[L * 2 * BINS], want_range[L * 4] = {0};
  gl_rng r;
  gl_rng_init(&r, 21);
  gl_rng_normal_fill(&r, dtype, bw, 1.0, a);
  for (int l = 0; l < L; l++)
    CHECK(gl_init_fill(init, W, W, NAN, sigma, 0, dtype, &r, w + es * (size_t)l * W * W) == GL_OK);
  gl_rng_normal_fill(&r, dtype, bw, 1.0, ga);
  gl_mlp_net net = {act, L, W, B, dtype, w, a, z, scratch, pack, NULL, NULL};
  gl_mlp_forward(&net);
  int finite_total = 0, nonfinite = 0;
  for (int l = 1; l <= L; l++) {
    const char *al = a + es * (size_t)l * bw;
    CHECK(gl_histogram(dtype, (int)bw, al, BINS, want + (l - 1) * 2 * BINS, want_range + (l - 1) * 4) ==
          GL_OK);
    int finite = 0;
    for (size_t i = 0; i < bw; i++) finite += isfinite(gl_get(dtype, al, i));
    CHECK_NEAR(total(hist + (l - 1) * 2 * BINS, BINS), finite, 0); /* batch·width minus non-finite */
    finite_total += finite;
    nonfinite += (int)bw - finite;
  }
  gz_hists ctx = {dtype, (int)bw, BINS, want, want_range};
  gl_mlp_backward(&net, ga, gz, histogram_gz, &ctx);
  CHECK(memcmp(hist, want, sizeof hist) == 0);
  CHECK(memcmp(range, want_range, sizeof range) == 0);
  printf("     %s %s %s: %d finite and %d non-finite activations binned as gl_histogram bins them\n",
         gl_init_name(init), gl_act_name(act), dtype ? "float64" : "float32", finite_total,
         nonfinite);
  free(w), free(a), free(z), free(ga), free(gz), free(scratch), free(pack);
}

TEST(every_layer_histogram_is_gl_histogram_of_that_layer_recomputed_independently) {
  check_all_layer_histograms(GL_INIT_XAVIER_NORMAL, GL_TANH, GL_F64, 1);
  check_all_layer_histograms(GL_INIT_KAIMING_UNIFORM, GL_RELU, GL_F32, 1);
  check_all_layer_histograms(GL_INIT_ORTHOGONAL, GL_GELU, GL_F32, 1);
  /* σ = 1e6 linear in float32: entries overflow to ±inf past layer ~6, so the
   * later layers' histograms count fewer than batch·width (none at the end) */
  check_all_layer_histograms(GL_INIT_NORMAL, GL_LINEAR, GL_F32, 1e6);
}

TEST(same_seed_gives_the_same_statistics_and_float32_tracks_float64) {
  enum { L = 8, W = 48, B = 24 };
  double s1[L * NS], s2[L * NS], s3[L * NS], cfg[GL_MLP_NCFG];
  mlp_cfg(cfg, GL_INIT_KAIMING_UNIFORM, GL_GELU, L, W, B, GL_F32, 4);
  CHECK(gl_mlp_stats(cfg, s1, NULL, NULL) == GL_OK);
  CHECK(gl_mlp_stats(cfg, s2, NULL, NULL) == GL_OK);
  CHECK(memcmp(s1, s2, sizeof s1) == 0);
  cfg[GL_MLP_CFG_DTYPE] = GL_F64;
  CHECK(gl_mlp_stats(cfg, s3, NULL, NULL) == GL_OK);
  for (int i = 0; i < L * NS; i++) CHECK_NEAR(s1[i], s3[i], 1e-4 * fmax(1, fabs(s3[i])));
}

TEST(histograms_do_not_change_the_statistics) {
  enum { L = 5, W = 16, B = 8, BINS = 11 };
  double s0[L * NS], s1[L * NS], hist[L * 2 * BINS], range[L * 4] = {0}, cfg[GL_MLP_NCFG];
  mlp_cfg(cfg, GL_INIT_XAVIER_UNIFORM, GL_SIGMOID, L, W, B, GL_F32, 3);
  CHECK(gl_mlp_stats(cfg, s0, NULL, NULL) == GL_OK);
  cfg[GL_MLP_CFG_BINS] = BINS;
  CHECK(gl_mlp_stats(cfg, s1, hist, range) == GL_OK);
  CHECK(memcmp(s0, s1, sizeof s0) == 0);
}

TEST(drawing_the_weights_again_gives_bit_identical_statistics) {
  /* Every scheme, both dtypes: keeping W_1..W_L and drawing each again from the
   * saved generator state must agree to the last bit (orthogonal draws use
   * the generator too), histograms included. */
  enum { L = 6, W = 9, B = 5, BINS = 7 };
  for (int dtype = GL_F32; dtype <= GL_F64; dtype++)
    for (int init = 0; init < GL_INIT_COUNT; init++) {
      double keep[L * NS], again[L * NS], h1[L * 2 * BINS], h2[L * 2 * BINS];
      double r1[L * 4] = {0}, r2[L * 4] = {0}, cfg[GL_MLP_NCFG];
      mlp_cfg(cfg, init, GL_TANH, L, W, B, dtype, 7);
      cfg[GL_MLP_CFG_SIGMA] = 0.3, cfg[GL_MLP_CFG_VALUE] = 0.05, cfg[GL_MLP_CFG_BINS] = BINS;
      int s1 = gl_mlp_stats_cache(cfg, keep, h1, r1, 1e9);
      int s2 = gl_mlp_stats_cache(cfg, again, h2, r2, 0);
      CHECK(s1 == GL_OK && s2 == GL_OK);
      CHECK(memcmp(keep, again, sizeof keep) == 0);
      CHECK(memcmp(h1, h2, sizeof h1) == 0 && memcmp(r1, r2, sizeof r1) == 0);
    }
}

/* ---- memory and bad inputs ------------------------------------------------ */

TEST(mlp_bytes_counts_weights_activations_gradients_scratch_and_outputs) {
  const double d = 3, w = 10, b = 7;
  double cfg[GL_MLP_NCFG];
  mlp_cfg(cfg, GL_INIT_NORMAL, GL_TANH, 3, 10, 7, GL_F32, 0);
  /* W: d·w², a_0..a_d and z_1..z_d: (2d+1)·b·w, ∂a, ∂z: 2·b·w, ∂W: w²; QR: 8(w² + 2w);
   * matmul packing: (w rounded up to 8, plus the 4 rows of the native tile) · max(w, b) */
  const double elems = d * w * w + (2 * d + 1) * b * w + 2 * b * w + w * w + (16 + 4) * w;
  const double rest = (double)sizeof(gl_rng) * d + 8 * (w * w + 2 * w); /* rng states, QR */
  const double stats = 8 * d * NS;
  CHECK_NEAR(gl_mlp_bytes(cfg), 4 * elems + rest + stats, 0);
  cfg[GL_MLP_CFG_DTYPE] = GL_F64;
  CHECK_NEAR(gl_mlp_bytes(cfg), 8 * elems + rest + stats, 0);
  /* histograms: depth·2·bins counts and depth·4 range ends, doubles */
  cfg[GL_MLP_CFG_BINS] = 50;
  CHECK_NEAR(gl_mlp_bytes(cfg), 8 * elems + rest + stats + 8 * d * (2 * 50 + 4), 0);
  /* Past 64 MiB of weights only one W_l is held: depth 200 × width 1024 × batch
   * 256 (the panel's largest) then fits in the 512 MiB cap, histograms included. */
  mlp_cfg(cfg, GL_INIT_NORMAL, GL_TANH, 200, 1024, 256, GL_F32, 0)[GL_MLP_CFG_BINS] = 1000;
  CHECK(gl_mlp_bytes(cfg) < 512.0 * 1048576);
  const double deep = gl_mlp_bytes(cfg);
  cfg[GL_MLP_CFG_DEPTH] = 16;
  CHECK(deep < gl_mlp_bytes(cfg) + 200.0 * 2 * 256 * 1024 * 4 + 200.0 * 2004 * 8);
  /* only the shape entries are read: a bad init does not matter, a bad shape does */
  cfg[GL_MLP_CFG_INIT] = -5;
  CHECK(isfinite(gl_mlp_bytes(cfg)));
  cfg[GL_MLP_CFG_DEPTH] = 0;
  CHECK(isnan(gl_mlp_bytes(cfg)) && strstr(gl_last_error(), "depth") != NULL);
  cfg[GL_MLP_CFG_DEPTH] = 3, cfg[GL_MLP_CFG_DTYPE] = 5;
  CHECK(isnan(gl_mlp_bytes(cfg)));
  cfg[GL_MLP_CFG_DTYPE] = GL_F32, cfg[GL_MLP_CFG_BINS] = 0.5;
  CHECK(isnan(gl_mlp_bytes(cfg)));
  CHECK(isnan(gl_mlp_bytes(NULL)));
}

TEST(memory_cap_rejects_depth_1000_width_4096_batch_4096_with_the_mib_needed) {
  double stats[8], cfg[GL_MLP_NCFG];
  mlp_cfg(cfg, GL_INIT_KAIMING_NORMAL, GL_RELU, 1000, 4096, 4096, GL_F32, 1);
  CHECK(gl_mlp_stats(cfg, stats, NULL, NULL) == GL_ERANGE);
  char mib[64];
  snprintf(mib, sizeof mib, "%.1f MiB", gl_mlp_bytes(cfg) / 1048576.0);
  CHECK(strstr(gl_last_error(), mib) != NULL);
  CHECK(strstr(gl_last_error(), "512 MiB cap") != NULL);
  printf("     message: %s\n", gl_last_error());
}

#define EXPECT_FAIL(call, status)                                                       \
  do {                                                                                  \
    int st_ = (call);                                                                   \
    CHECK(st_ == (status));                                                             \
    if (st_ != (status)) fprintf(stderr, "  %s -> %d (%s)\n", #call, st_, gl_last_error()); \
  } while (0)

/* gl_mlp_stats on a valid 2×4×4 config with entry k set to v. */
static int stats_with(int k, double v) {
  double cfg[GL_MLP_NCFG], s[2 * NS], h[2 * 2 * 4], rg[2 * 4] = {0};
  mlp_cfg(cfg, GL_INIT_KAIMING_NORMAL, GL_RELU, 2, 4, 4, GL_F32, 1)[GL_MLP_CFG_BINS] = 4;
  cfg[k] = v;
  return gl_mlp_stats(cfg, s, h, rg);
}

TEST(bad_inputs_return_a_status_and_a_message) {
  double cfg[GL_MLP_NCFG], s[2 * NS], h[2 * 2 * 4], rg[2 * 4] = {0};
  CHECK(stats_with(GL_MLP_CFG_DEPTH, 2) == GL_OK);
  EXPECT_FAIL(stats_with(GL_MLP_CFG_INIT, -1), GL_EINVAL);
  EXPECT_FAIL(stats_with(GL_MLP_CFG_INIT, GL_INIT_COUNT), GL_EINVAL);
  CHECK(strstr(gl_last_error(), "init") != NULL);
  EXPECT_FAIL(stats_with(GL_MLP_CFG_GAIN, INFINITY), GL_EINVAL);
  mlp_cfg(cfg, GL_INIT_NORMAL, GL_RELU, 2, 4, 4, GL_F32, 1)[GL_MLP_CFG_SIGMA] = -1;
  EXPECT_FAIL(gl_mlp_stats(cfg, s, NULL, NULL), GL_EINVAL);
  mlp_cfg(cfg, GL_INIT_CONSTANT, GL_RELU, 2, 4, 4, GL_F32, 1)[GL_MLP_CFG_VALUE] = NAN;
  EXPECT_FAIL(gl_mlp_stats(cfg, s, NULL, NULL), GL_EINVAL);
  EXPECT_FAIL(stats_with(GL_MLP_CFG_ACT, 9), GL_EINVAL);
  CHECK(strstr(gl_last_error(), "activation") != NULL);
  EXPECT_FAIL(stats_with(GL_MLP_CFG_DEPTH, 0), GL_EINVAL);
  EXPECT_FAIL(stats_with(GL_MLP_CFG_DEPTH, GL_MLP_MAX_DEPTH + 1), GL_ERANGE);
  EXPECT_FAIL(stats_with(GL_MLP_CFG_WIDTH, 0), GL_EINVAL);
  EXPECT_FAIL(stats_with(GL_MLP_CFG_WIDTH, GL_MLP_MAX_WIDTH + 1), GL_ERANGE);
  EXPECT_FAIL(stats_with(GL_MLP_CFG_BATCH, -4), GL_EINVAL);
  EXPECT_FAIL(stats_with(GL_MLP_CFG_BATCH, GL_MLP_MAX_BATCH + 1), GL_ERANGE);
  EXPECT_FAIL(stats_with(GL_MLP_CFG_DTYPE, 2), GL_EINVAL);
  CHECK(strstr(gl_last_error(), "dtype") != NULL);
  EXPECT_FAIL(stats_with(GL_MLP_CFG_SEED, -1), GL_EINVAL);
  EXPECT_FAIL(stats_with(GL_MLP_CFG_SEED, 1.5), GL_EINVAL);
  EXPECT_FAIL(stats_with(GL_MLP_CFG_BINS, -4), GL_EINVAL);
  EXPECT_FAIL(stats_with(GL_MLP_CFG_BINS, GL_MAX_BINS + 1), GL_ERANGE);
  mlp_cfg(cfg, GL_INIT_KAIMING_NORMAL, GL_RELU, 2, 4, 4, GL_F32, 1);
  EXPECT_FAIL(gl_mlp_stats(NULL, s, NULL, NULL), GL_EINVAL);
  CHECK(strstr(gl_last_error(), "cfg") != NULL);
  EXPECT_FAIL(gl_mlp_stats(cfg, NULL, NULL, NULL), GL_EINVAL);
  /* bins > 0 needs both histogram buffers */
  cfg[GL_MLP_CFG_BINS] = 4;
  EXPECT_FAIL(gl_mlp_stats(cfg, s, NULL, rg), GL_EINVAL);
  CHECK(strstr(gl_last_error(), "hist") != NULL);
  EXPECT_FAIL(gl_mlp_stats(cfg, s, h, NULL), GL_EINVAL);
  CHECK(strstr(gl_last_error(), "hist_range") != NULL);
  /* histograms not requested: hist and hist_range may be NULL */
  cfg[GL_MLP_CFG_BINS] = 0;
  CHECK(gl_mlp_stats(cfg, s, NULL, NULL) == GL_OK);
}

/* Integers cross the boundary as doubles: a fraction, NaN or ±inf in an
 * integer entry is GL_EINVAL with a message naming it (never truncated), a
 * whole number past a limit GL_ERANGE; a parameter entry is not integral. */
TEST(config_entries_must_be_integral_and_in_range) {
  static const struct {
    int k;
    const char *name;
  } ints[] = {{GL_MLP_CFG_INIT, "init"},   {GL_MLP_CFG_ACT, "act"},     {GL_MLP_CFG_DEPTH, "depth"},
              {GL_MLP_CFG_WIDTH, "width"}, {GL_MLP_CFG_BATCH, "batch"}, {GL_MLP_CFG_DTYPE, "dtype"},
              {GL_MLP_CFG_BINS, "bins"}};
  const double bad[] = {1.5, -0.25, NAN, INFINITY, -INFINITY};
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
    for (size_t j = 0; j < sizeof bad / sizeof bad[0]; j++) {
      CHECK_FAILS_WITH(stats_with(ints[i].k, bad[j]), GL_EINVAL);
      CHECK(strncmp(gl_last_error(), ints[i].name, strlen(ints[i].name)) == 0);
      CHECK(strstr(gl_last_error(), "integer") != NULL);
    }
    /* far outside int: no undefined cast, a status */
    CHECK(stats_with(ints[i].k, 1e300) != GL_OK);
  }
  CHECK(stats_with(GL_MLP_CFG_DEPTH, 1e300) == GL_ERANGE);
  CHECK(strcmp(gl_last_error(), "depth must be at most 1000, got 1e+300") == 0);
  CHECK(stats_with(GL_MLP_CFG_SEED, 0.5) == GL_EINVAL && strstr(gl_last_error(), "seed") != NULL);
  /* gain, sigma and value are real numbers */
  double cfg[GL_MLP_NCFG], s[2 * NS];
  mlp_cfg(cfg, GL_INIT_UNIFORM, GL_TANH, 2, 4, 4, GL_F64, 1)[GL_MLP_CFG_SIGMA] = 0.37;
  CHECK(gl_mlp_stats(cfg, s, NULL, NULL) == GL_OK);
  mlp_cfg(cfg, GL_INIT_XAVIER_NORMAL, GL_TANH, 2, 4, 4, GL_F64, 1)[GL_MLP_CFG_GAIN] = 1.25;
  CHECK(gl_mlp_stats(cfg, s, NULL, NULL) == GL_OK);
}

/* The benchmark's breakdown: every phase is a part of the whole call, so the
 * four add up to at most the total; off, nothing accumulates; reading starts
 * again from 0; and profiling changes no statistic. */
TEST(profile_phases_are_parts_of_the_total_and_change_no_statistic) {
  double cfg[GL_MLP_NCFG], plain[8 * NS], timed[8 * NS], ms[GL_PROFILE_N], again[GL_PROFILE_N];
  mlp_cfg(cfg, GL_INIT_XAVIER_NORMAL, GL_TANH, 8, 64, 32, GL_F32, 7);
  CHECK(gl_mlp_stats(cfg, plain, NULL, NULL) == GL_OK);
  CHECK(gl_profile(1, NULL) == GL_OK);
  for (int i = 0; i < 3; i++) CHECK(gl_mlp_stats(cfg, timed, NULL, NULL) == GL_OK);
  CHECK(gl_profile(0, ms) == GL_OK);
  CHECK(memcmp(plain, timed, sizeof plain) == 0);
  double parts = 0;
  for (int p = 0; p < GL_PROFILE_TOTAL; p++) {
    CHECK(ms[p] > 0); /* each phase ran: 8 layers of draws, matmuls, tanh, moments */
    parts += ms[p];
  }
  CHECK(ms[GL_PROFILE_TOTAL] >= parts);
  CHECK(gl_mlp_stats(cfg, timed, NULL, NULL) == GL_OK); /* off: not counted */
  CHECK(gl_profile(0, again) == GL_OK);
  for (int p = 0; p < GL_PROFILE_N; p++) CHECK(again[p] == 0);
  CHECK(gl_enum_count(GL_ENUM_PROFILE) == GL_PROFILE_N);
  CHECK(strcmp(gl_enum_name(GL_ENUM_PROFILE, GL_PROFILE_DRAWS), "draws") == 0);
}

int main(void) {
  RUN(gradients_match_central_finite_differences);
  RUN(draws_x_then_weights_then_upstream_gradient_and_stats_are_population_moments);
  RUN(linear_orthogonal_net_keeps_the_mean_square_of_x_at_every_layer);
  RUN(relu_kaiming_normal_keeps_z_var_flat_over_20_layers);
  RUN(relu_xavier_normal_halves_z_var_per_layer);
  RUN(tanh_xavier_z_var_follows_mean_field_at_width_512);
  RUN(constant_init_units_are_identical_at_every_layer);
  RUN(exploding_float32_net_reports_non_finite_statistics_without_crashing);
  RUN(histograms_with_a_tail_span_the_quantiles_and_leave_the_outliers_out);
  RUN(a_sigma_whose_width_sigma_squared_overflows_is_refused_before_work);
  RUN(histograms_count_every_finite_entry_and_write_back_the_range);
  RUN(every_layer_histogram_is_gl_histogram_of_that_layer_recomputed_independently);
  RUN(same_seed_gives_the_same_statistics_and_float32_tracks_float64);
  RUN(histograms_do_not_change_the_statistics);
  RUN(drawing_the_weights_again_gives_bit_identical_statistics);
  RUN(mlp_bytes_counts_weights_activations_gradients_scratch_and_outputs);
  RUN(memory_cap_rejects_depth_1000_width_4096_batch_4096_with_the_mib_needed);
  RUN(bad_inputs_return_a_status_and_a_message);
  RUN(config_entries_must_be_integral_and_in_range);
  RUN(profile_phases_are_parts_of_the_total_and_change_no_statistic);
  return check_summary("mlp");
}
