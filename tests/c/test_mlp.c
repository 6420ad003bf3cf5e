/* test_mlp.c — the deep MLP's forward/backward pass and its per-layer statistics. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gradlab.h"
#include "internal.h"
#include "mlp_internal.h"

#define NS GL_MLP_NSTAT

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
  CHECK(gl_mlp_stats(GL_INIT_NORMAL, NAN, 0.7, 0, act, L, W, B, GL_F64, 77, 0, 0, stats, NULL,
                     NULL, NULL) == GL_OK);
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
    CHECK(gl_mlp_stats(GL_INIT_ORTHOGONAL, NAN, 0, 0, GL_LINEAR, L, W, B, dtype, 5, 0, 0, stats,
                       NULL, NULL, NULL) == GL_OK);
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
  double *stats = malloc(sizeof(double) * (size_t)(depth * NS));
  CHECK(gl_mlp_stats(init, NAN, 0, 0, act, depth, width, batch, GL_F32, seed, 0, 0, stats, NULL,
                     NULL, NULL) == GL_OK);
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
  double stats[L * NS];
  for (int dtype = 0; dtype < 2; dtype++) {
    CHECK(gl_mlp_stats(GL_INIT_CONSTANT, NAN, 0, 0.05, GL_TANH, L, W, B, dtype, 1, 0, 0, stats,
                       NULL, NULL, NULL) == GL_OK);
    for (int l = 0; l < L; l++) CHECK(stats[l * NS + GL_MLP_UNIT_SPREAD] == 0.0);
    CHECK(stats[(L - 1) * NS + GL_MLP_A_VAR] > 0); /* rows still differ */
    CHECK(gl_mlp_stats(GL_INIT_XAVIER_NORMAL, NAN, 0, 0, GL_TANH, L, W, B, dtype, 1, 0, 0, stats,
                       NULL, NULL, NULL) == GL_OK);
    for (int l = 0; l < L; l++) CHECK(stats[l * NS + GL_MLP_UNIT_SPREAD] > 0.01);
  }
}

TEST(exploding_float32_net_reports_non_finite_statistics_without_crashing) {
  enum { L = 40, W = 256, B = 8 };
  double stats[L * NS];
  /* normal σ = 1: q grows ×256 per layer; entries pass float's 3e38 (q ≈ 1e77) by layer ~32 */
  CHECK(gl_mlp_stats(GL_INIT_NORMAL, NAN, 1.0, 0, GL_LINEAR, L, W, B, GL_F32, 1, L, 10, stats,
                     NULL, NULL, (double[4]){0, 0, 0, 0}) == GL_OK);
  CHECK(isfinite(stats[GL_MLP_Z_VAR]));
  CHECK(!isfinite(stats[(L - 1) * NS + GL_MLP_Z_VAR]));
}

TEST(histograms_count_every_finite_entry_and_write_back_the_range) {
  enum { L = 4, W = 32, B = 16, BINS = 20 };
  double stats[L * NS], ha[BINS], hg[BINS], range[4] = {0, 0, 1, -1};
  CHECK(gl_mlp_stats(GL_INIT_XAVIER_UNIFORM, NAN, 0, 0, GL_TANH, L, W, B, GL_F64, 9, 2, BINS,
                     stats, ha, hg, range) == GL_OK);
  double na = 0, ng = 0;
  for (int k = 0; k < BINS; k++) na += ha[k], ng += hg[k];
  CHECK_NEAR(na, B * W, 0);
  CHECK_NEAR(ng, B * W, 0);
  CHECK(range[0] < range[1] && range[0] > -1 && range[1] < 1); /* tanh's data range */
  CHECK(range[2] < 0 && range[3] > 0);
  CHECK(ha[0] >= 1 && ha[BINS - 1] >= 1); /* the data's min and max fall in the end bins */
  /* A narrow fixed range: values outside clamp into the end bins. */
  double fixed[4] = {-0.01, 0.01, -1e-9, 1e-9}, hb[BINS];
  CHECK(gl_mlp_stats(GL_INIT_XAVIER_UNIFORM, NAN, 0, 0, GL_TANH, L, W, B, GL_F64, 9, 2, BINS,
                     stats, hb, NULL, fixed) == GL_OK);
  double nb = 0;
  for (int k = 0; k < BINS; k++) nb += hb[k];
  CHECK_NEAR(nb, B * W, 0);
  CHECK(hb[0] > 0.3 * B * W && hb[BINS - 1] > 0.3 * B * W);
  CHECK(fixed[0] == -0.01 && fixed[3] == 1e-9); /* a valid range is left alone */
  /* Constant init and relu at a dead layer: a single value gets a widened range. */
  double one[4] = {0, 0, 0, 0}, hc[BINS];
  CHECK(gl_mlp_stats(GL_INIT_CONSTANT, NAN, 0, 0, GL_RELU, L, W, B, GL_F32, 9, 3, BINS, stats,
                     hc, NULL, one) == GL_OK);
  CHECK(one[0] == -0.5 && one[1] == 0.5 && hc[BINS / 2] == B * W);
}

TEST(same_seed_gives_the_same_statistics_and_float32_tracks_float64) {
  enum { L = 8, W = 48, B = 24 };
  double s1[L * NS], s2[L * NS], s3[L * NS];
  CHECK(gl_mlp_stats(GL_INIT_KAIMING_UNIFORM, NAN, 0, 0, GL_GELU, L, W, B, GL_F32, 4, 0, 0, s1,
                     NULL, NULL, NULL) == GL_OK);
  CHECK(gl_mlp_stats(GL_INIT_KAIMING_UNIFORM, NAN, 0, 0, GL_GELU, L, W, B, GL_F32, 4, 0, 0, s2,
                     NULL, NULL, NULL) == GL_OK);
  CHECK(memcmp(s1, s2, sizeof s1) == 0);
  CHECK(gl_mlp_stats(GL_INIT_KAIMING_UNIFORM, NAN, 0, 0, GL_GELU, L, W, B, GL_F64, 4, 0, 0, s3,
                     NULL, NULL, NULL) == GL_OK);
  for (int i = 0; i < L * NS; i++) CHECK_NEAR(s1[i], s3[i], 1e-4 * fmax(1, fabs(s3[i])));
}

TEST(drawing_the_weights_again_gives_bit_identical_statistics) {
  /* Every scheme, both dtypes: keeping W_1..W_L and drawing each again from the
   * saved generator state must agree to the last bit (orthogonal draws use
   * the generator too). */
  enum { L = 6, W = 9, B = 5, BINS = 7 };
  for (int dtype = GL_F32; dtype <= GL_F64; dtype++)
    for (int init = 0; init < GL_INIT_COUNT; init++) {
      double keep[L * GL_MLP_NSTAT], again[L * GL_MLP_NSTAT];
      double ha1[BINS], hg1[BINS], ha2[BINS], hg2[BINS], r1[4] = {0}, r2[4] = {0};
      int s1 = gl_mlp_stats_cache(init, NAN, 0.3, 0.05, GL_TANH, L, W, B, dtype, 7, 3, BINS, keep,
                                  ha1, hg1, r1, 1e9);
      int s2 = gl_mlp_stats_cache(init, NAN, 0.3, 0.05, GL_TANH, L, W, B, dtype, 7, 3, BINS, again,
                                  ha2, hg2, r2, 0);
      CHECK(s1 == GL_OK && s2 == GL_OK);
      CHECK(memcmp(keep, again, sizeof keep) == 0);
      CHECK(memcmp(ha1, ha2, sizeof ha1) == 0 && memcmp(hg1, hg2, sizeof hg1) == 0);
    }
}

/* ---- memory and bad inputs ------------------------------------------------ */

TEST(mlp_bytes_counts_weights_activations_gradients_and_scratch) {
  const double d = 3, w = 10, b = 7;
  /* W: d·w², a_0..a_d and z_1..z_d: (2d+1)·b·w, ∂a, ∂z: 2·b·w, ∂W: w²; QR: 8(w² + 2w);
   * matmul packing: (w rounded up to 8, plus the 4 rows of the native tile) · max(w, b) */
  const double elems = d * w * w + (2 * d + 1) * b * w + 2 * b * w + w * w + (16 + 4) * w;
  const double rest = (double)sizeof(gl_rng) * d + 8 * (w * w + 2 * w); /* rng states, QR */
  CHECK_NEAR(gl_mlp_bytes(3, 10, 7, GL_F32), 4 * elems + rest, 0);
  CHECK_NEAR(gl_mlp_bytes(3, 10, 7, GL_F64), 8 * elems + rest, 0);
  /* Past 64 MiB of weights only one W_l is held: depth 200 × width 1024 × batch
   * 256 (the panel's largest) then fits in the 512 MiB cap. */
  CHECK(gl_mlp_bytes(200, 1024, 256, GL_F32) < 512.0 * 1048576);
  CHECK(gl_mlp_bytes(200, 1024, 256, GL_F32) < gl_mlp_bytes(16, 1024, 256, GL_F32) + 200.0 * 2 * 256 * 1024 * 4);
  CHECK(isnan(gl_mlp_bytes(0, 10, 7, GL_F32)) && isnan(gl_mlp_bytes(3, 10, 7, 5)));
}

TEST(memory_cap_rejects_depth_1000_width_4096_batch_4096_with_the_mib_needed) {
  double stats[8];
  int st = gl_mlp_stats(GL_INIT_KAIMING_NORMAL, NAN, 0, 0, GL_RELU, 1000, 4096, 4096, GL_F32, 1, 0,
                        0, stats, NULL, NULL, NULL);
  CHECK(st == GL_ERANGE);
  char mib[64];
  snprintf(mib, sizeof mib, "%.1f MiB", gl_mlp_bytes(1000, 4096, 4096, GL_F32) / 1048576.0);
  CHECK(strstr(gl_last_error(), mib) != NULL);
  CHECK(strstr(gl_last_error(), "512 MiB") != NULL);
  printf("     message: %s\n", gl_last_error());
}

#define EXPECT_FAIL(call, status)                                                       \
  do {                                                                                  \
    int st_ = (call);                                                                   \
    CHECK(st_ == (status));                                                             \
    if (st_ != (status)) fprintf(stderr, "  %s -> %d (%s)\n", #call, st_, gl_last_error()); \
  } while (0)

TEST(bad_inputs_return_a_status_and_a_message) {
  double s[2 * NS], h[4], rg[4] = {0, 0, 0, 0};
  const int K = GL_INIT_KAIMING_NORMAL, R = GL_RELU;
  EXPECT_FAIL(gl_mlp_stats(-1, NAN, 0, 0, R, 2, 4, 4, GL_F32, 1, 0, 0, s, 0, 0, 0), GL_EINVAL);
  EXPECT_FAIL(gl_mlp_stats(K, INFINITY, 0, 0, R, 2, 4, 4, GL_F32, 1, 0, 0, s, 0, 0, 0), GL_EINVAL);
  EXPECT_FAIL(gl_mlp_stats(GL_INIT_NORMAL, NAN, -1, 0, R, 2, 4, 4, 0, 1, 0, 0, s, 0, 0, 0),
              GL_EINVAL);
  EXPECT_FAIL(gl_mlp_stats(GL_INIT_CONSTANT, NAN, 0, NAN, R, 2, 4, 4, 0, 1, 0, 0, s, 0, 0, 0),
              GL_EINVAL);
  EXPECT_FAIL(gl_mlp_stats(K, NAN, 0, 0, 9, 2, 4, 4, GL_F32, 1, 0, 0, s, 0, 0, 0), GL_EINVAL);
  EXPECT_FAIL(gl_mlp_stats(K, NAN, 0, 0, R, 0, 4, 4, GL_F32, 1, 0, 0, s, 0, 0, 0), GL_EINVAL);
  EXPECT_FAIL(gl_mlp_stats(K, NAN, 0, 0, R, 1001, 4, 4, GL_F32, 1, 0, 0, s, 0, 0, 0), GL_ERANGE);
  EXPECT_FAIL(gl_mlp_stats(K, NAN, 0, 0, R, 2, 0, 4, GL_F32, 1, 0, 0, s, 0, 0, 0), GL_EINVAL);
  EXPECT_FAIL(gl_mlp_stats(K, NAN, 0, 0, R, 2, 4097, 4, GL_F32, 1, 0, 0, s, 0, 0, 0), GL_ERANGE);
  EXPECT_FAIL(gl_mlp_stats(K, NAN, 0, 0, R, 2, 4, -4, GL_F32, 1, 0, 0, s, 0, 0, 0), GL_EINVAL);
  EXPECT_FAIL(gl_mlp_stats(K, NAN, 0, 0, R, 2, 4, 4097, GL_F32, 1, 0, 0, s, 0, 0, 0), GL_ERANGE);
  EXPECT_FAIL(gl_mlp_stats(K, NAN, 0, 0, R, 2, 4, 4, 2, 1, 0, 0, s, 0, 0, 0), GL_EINVAL);
  EXPECT_FAIL(gl_mlp_stats(K, NAN, 0, 0, R, 2, 4, 4, GL_F32, -1, 0, 0, s, 0, 0, 0), GL_EINVAL);
  EXPECT_FAIL(gl_mlp_stats(K, NAN, 0, 0, R, 2, 4, 4, GL_F32, 1.5, 0, 0, s, 0, 0, 0), GL_EINVAL);
  EXPECT_FAIL(gl_mlp_stats(K, NAN, 0, 0, R, 2, 4, 4, GL_F32, 1, 3, 4, s, h, h, rg), GL_ERANGE);
  EXPECT_FAIL(gl_mlp_stats(K, NAN, 0, 0, R, 2, 4, 4, GL_F32, 1, -1, 4, s, h, h, rg), GL_EINVAL);
  EXPECT_FAIL(gl_mlp_stats(K, NAN, 0, 0, R, 2, 4, 4, GL_F32, 1, 1, -4, s, h, h, rg), GL_EINVAL);
  EXPECT_FAIL(gl_mlp_stats(K, NAN, 0, 0, R, 2, 4, 4, GL_F32, 1, 1, 1001, s, h, h, rg), GL_ERANGE);
  EXPECT_FAIL(gl_mlp_stats(K, NAN, 0, 0, R, 2, 4, 4, GL_F32, 1, 0, 0, NULL, 0, 0, 0), GL_EINVAL);
  EXPECT_FAIL(gl_mlp_stats(K, NAN, 0, 0, R, 2, 4, 4, GL_F32, 1, 1, 4, s, h, h, NULL), GL_EINVAL);
  CHECK(strstr(gl_last_error(), "hist_range") != NULL);
  /* histograms not requested: hist_range may be NULL */
  CHECK(gl_mlp_stats(K, NAN, 0, 0, R, 2, 4, 4, GL_F32, 1, 1, 4, s, NULL, NULL, NULL) == GL_OK);
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
  RUN(histograms_count_every_finite_entry_and_write_back_the_range);
  RUN(same_seed_gives_the_same_statistics_and_float32_tracks_float64);
  RUN(drawing_the_weights_again_gives_bit_identical_statistics);
  RUN(mlp_bytes_counts_weights_activations_gradients_and_scratch);
  RUN(memory_cap_rejects_depth_1000_width_4096_batch_4096_with_the_mib_needed);
  RUN(bad_inputs_return_a_status_and_a_message);
  return check_summary("mlp");
}
