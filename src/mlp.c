/*
 * mlp.c — a deep bias-free MLP on a random batch, forward and backward, and
 * the per-layer statistics of the Initialization panel: does Var(z_l) stay
 * put, explode or vanish with depth, and does the gradient?
 *
 * Shapes follow nn.Linear: W_l is (fan_out × fan_in) = (width × width),
 * z_l = a_{l−1}·W_lᵀ (batch × width), a_l = φ(z_l).  The backward pass is the
 * one autograd runs for ℓ with ∂ℓ/∂a_L = G:
 *   ∂z_l = ∂a_l ⊙ φ'(z_l),  ∂W_l = ∂z_lᵀ·a_{l−1},  ∂a_{l−1} = ∂z_l·W_l.
 * Arithmetic is in the dtype (float for float32, as PyTorch's kernels);
 * statistics are accumulated in double.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "mlp_internal.h"

/* ---- forward and backward (mlp_internal.h) ------------------------------ */

static void *at(const void *base, size_t index, size_t es) {
  return (char *)base + index * es; /* const dropped: callers know which buffers they write */
}

static const void *weight_of(const gl_mlp_net *net, size_t l, size_t es) {
  const size_t w2 = (size_t)net->width * (size_t)net->width;
  return net->w ? at(net->w, (l - 1) * w2, es) : net->weight(net->wctx, (int)l);
}

void gl_mlp_forward(const gl_mlp_net *net) {
  const size_t es = (size_t)gl_dtype_size(net->dtype), w = (size_t)net->width,
               bw = (size_t)net->batch * w;
  for (size_t l = 1; l <= (size_t)net->depth; l++) {
    void *a_prev = at(net->a, (l - 1) * bw, es), *z = at(net->z, (l - 1) * bw, es),
         *a = at(net->a, l * bw, es);
    const void *W = weight_of(net, l, es); /* drawn here the first time (a phase of its own) */
    /* z_l = a_{l−1}·W_lᵀ */
    GL_TIMED(GL_PROFILE_MATMUL,
             gl_matmul_packed(net->dtype, 0, 1, (size_t)net->batch, w, w, a_prev, W, z, net->pack));
    GL_TIMED(GL_PROFILE_ACT, gl_act_forward(net->act, net->dtype, (int)bw, z, a));
  }
}

void gl_mlp_backward(const gl_mlp_net *net, void *ga, void *gz, gl_mlp_visit visit, void *ctx) {
  const size_t es = (size_t)gl_dtype_size(net->dtype), w = (size_t)net->width,
               b = (size_t)net->batch, bw = b * w;
  for (size_t l = (size_t)net->depth; l >= 1; l--) {
    const void *a_prev = at(net->a, (l - 1) * bw, es), *z = at(net->z, (l - 1) * bw, es),
               *a = at(net->a, l * bw, es);
    /* ∂z_l = ∂a_l ⊙ φ'(z_l): the factor by which each layer can shrink a gradient */
    GL_TIMED(GL_PROFILE_ACT, gl_act_backward(net->act, net->dtype, (int)bw, z, a, ga, gz));
    GL_TIMED(GL_PROFILE_MATMUL, gl_matmul_packed(net->dtype, 1, 0, w, w, b, gz, a_prev, net->scratch,
                                                 net->pack)); /* ∂W_l = ∂z_lᵀ·a_{l−1} */
    if (visit) visit(ctx, (int)l, ga, gz, net->scratch);
    const void *W = weight_of(net, l, es);
    GL_TIMED(GL_PROFILE_MATMUL, gl_matmul_packed(net->dtype, 0, 0, b, w, w, gz, W, ga,
                                                 net->pack)); /* ∂a_{l−1} = ∂z_l·W_l */
  }
}

/* ---- statistics ----------------------------------------------------------- */

/* max over the batch rows of (max − min over the row's units); NaN propagates.
 * One loop per element type, so the float32 one vectorises. */
#define DEFINE_SPREAD(T, SUF)                                                       \
  static double spread_##SUF(size_t batch, size_t width, const T *a) {              \
    double spread = 0;                                                              \
    for (size_t r = 0; r < batch; r++) {                                            \
      const T *row = a + r * width;                                                 \
      T lo = row[0], hi = row[0];                                                   \
      int nan = 0;                                                                  \
      for (size_t j = 0; j < width; j++) {                                          \
        nan |= row[j] != row[j];                                                    \
        lo = row[j] < lo ? row[j] : lo;                                             \
        hi = row[j] > hi ? row[j] : hi;                                             \
      }                                                                             \
      const double d = nan ? NAN : (double)hi - (double)lo;                         \
      if (isnan(d) || isnan(spread))                                                \
        spread = NAN;                                                               \
      else if (d > spread)                                                          \
        spread = d;                                                                 \
    }                                                                               \
    return spread;                                                                  \
  }
DEFINE_SPREAD(float, f)
DEFINE_SPREAD(double, d)

static double unit_spread(int dtype, int batch, int width, const void *a) {
  return dtype == GL_F32 ? spread_f((size_t)batch, (size_t)width, a)
                         : spread_d((size_t)batch, (size_t)width, a);
}

/* Histogram bins of layer l (1-based): a_l's counts then ∂ℓ/∂z_l's, and their
 * ranges (a lo, a hi, ∂z lo, ∂z hi), in the caller's layer-major buffers. */
static double *hist_of(double *hist, int bins, size_t l) { return hist + (l - 1) * 2 * (size_t)bins; }
static double *range_of(double *hist_range, size_t l) { return hist_range + (l - 1) * 4; }

typedef struct stats_ctx {
  int dtype, width, batch, bins;
  double *stats, *hist, *hist_range, tail, *scratch;
} stats_ctx;

static void visit_stats_now(void *p, int layer, const void *grad_a, const void *grad_z,
                            const void *grad_w) {
  const stats_ctx *c = p;
  const int bw = c->batch * c->width;
  double s[5], *out = c->stats + (size_t)(layer - 1) * GL_MLP_NSTAT;
  gl_stats(c->dtype, bw, grad_a, s);
  out[GL_MLP_GRAD_A_VAR] = s[2];
  gl_stats(c->dtype, bw, grad_z, s);
  out[GL_MLP_GRAD_Z_VAR] = s[2];
  if (c->bins > 0) /* the min and max just computed save the histogram a pass */
    gl_histogram_tail(c->dtype, (size_t)bw, grad_z, c->bins,
                      hist_of(c->hist, c->bins, (size_t)layer) + c->bins,
                      range_of(c->hist_range, (size_t)layer) + 2, s + 3, c->tail, c->scratch);
  gl_stats(c->dtype, c->width * c->width, grad_w, s);
  out[GL_MLP_GRAD_W_VAR] = s[2];
}

static void visit_stats(void *p, int layer, const void *grad_a, const void *grad_z,
                        const void *grad_w) {
  GL_TIMED(GL_PROFILE_STATS, visit_stats_now(p, layer, grad_a, grad_z, grad_w));
}

/* ---- public API ------------------------------------------------------------ */

/* Packing space of the matrix products: op(B) is at most max(width, batch)
 * × width. */
static size_t mlp_pack_elems(size_t width, size_t batch) {
  return gl_matmul_pack_elems(width, width > batch ? width : batch);
}

/* Weights up to this size are kept for the backward pass; beyond it each W_l
 * is drawn again from the generator state saved when the forward pass drew
 * it (the same numbers, so the result does not depend on this choice), which
 * lets depth 200 × width 1024 fit in the memory cap. */
#define WEIGHT_CACHE_BYTES GL_MLP_WEIGHT_CACHE_BYTES

static int keeps_weights(double depth, double width, double es, double cache) {
  return depth * width * width * es <= cache;
}

/* Everything gl_mlp_stats allocates, in elements of dtype: the weights (all
 * L of them, or one when they are drawn again), a_0..a_L, z_1..z_L, ∂a and ∂z
 * of one layer, a width² scratch (∂W_l) and the matmul packing space; plus, in
 * bytes, the generator states, the float64 QR scratch of an orthogonal init
 * (counted for every scheme, so the figure depends on the shape only) and,
 * for histograms with a tail, batch·width doubles to select quantiles in. */
static double mlp_alloc_bytes(double depth, double width, double batch, double es, int quantiles) {
  const double w2 = width * width, bw = batch * width;
  const double weights = keeps_weights(depth, width, es, WEIGHT_CACHE_BYTES) ? depth * w2 : w2;
  return es * (weights + (2 * depth + 1) * bw + 2 * bw + w2 +
               (double)mlp_pack_elems((size_t)width, (size_t)batch)) +
         (double)sizeof(gl_rng) * depth +
         (double)sizeof(double) * (double)gl_ortho_scratch_doubles((size_t)width, (size_t)width) +
         (quantiles ? (double)sizeof(double) * bw : 0);
}

/* The caller's buffers, in doubles: stats, and with bins > 0 hist and hist_range. */
static double mlp_output_doubles(double depth, double bins) {
  return depth * GL_MLP_NSTAT + (bins > 0 ? depth * (2 * bins + 4) : 0);
}

/* The weight supplier of gl_mlp_stats: the forward pass draws W_l from the
 * live generator (saving its state first); the backward pass returns the kept
 * W_l or draws it again from the saved state. */
typedef struct weights_ctx {
  int init, width, dtype, keep, backward, status;
  double gain, sigma, value;
  gl_rng *live, *states;
  char *w; /* L·width² kept weights, or one width² buffer */
} weights_ctx;

static const void *supply_weight(void *p, int layer) {
  weights_ctx *c = p;
  const size_t es = (size_t)gl_dtype_size(c->dtype), w2 = (size_t)c->width * (size_t)c->width;
  char *slot = c->keep ? c->w + (size_t)(layer - 1) * w2 * es : c->w;
  if (c->backward && c->keep) return slot;
  gl_rng again, *r = c->live;
  if (c->backward) {
    again = c->states[layer - 1];
    r = &again;
  } else {
    c->states[layer - 1] = *c->live;
  }
  int st;
  GL_TIMED(GL_PROFILE_DRAWS, st = gl_init_fill(c->init, c->width, c->width, c->gain, c->sigma,
                                               c->value, c->dtype, r, slot));
  if (st && !c->status) c->status = st;
  return slot;
}

/* The configuration array, validated into integers. */
typedef struct mlp_cfg {
  int init, act, depth, width, batch, dtype, bins;
  double gain, sigma, value, tail;
  uint64_t seed;
} mlp_cfg;

/* An enum entry: integral first (a cast of 1.5 or 1e300 to int would be
 * wrong or undefined), then the enum's own check and message. */
static int cfg_enum(const char *what, double v, int *out) {
  return gl_check_int(what, v, INT_MIN, INT_MAX, out);
}

/* The entries that decide the memory: depth, width, batch, dtype, bins, hist_tail. */
static int read_shape(const double *cfg, mlp_cfg *c) {
  int st;
  if ((st = gl_check_ptr("cfg", cfg)) ||
      (st = gl_check_int("depth", cfg[GL_MLP_CFG_DEPTH], 1, GL_MLP_MAX_DEPTH, &c->depth)) ||
      (st = gl_check_int("width", cfg[GL_MLP_CFG_WIDTH], 1, GL_MLP_MAX_WIDTH, &c->width)) ||
      (st = gl_check_int("batch", cfg[GL_MLP_CFG_BATCH], 1, GL_MLP_MAX_BATCH, &c->batch)) ||
      (st = cfg_enum("dtype", cfg[GL_MLP_CFG_DTYPE], &c->dtype)) || (st = gl_check_dtype(c->dtype)) ||
      (st = gl_check_int("bins", cfg[GL_MLP_CFG_BINS], 0, GL_MAX_BINS, &c->bins)))
    return st;
  c->tail = cfg[GL_MLP_CFG_HIST_TAIL];
  if (!(c->tail >= 0 && c->tail < 0.5))
    return gl_fail(GL_EINVAL, "hist_tail = %g is not in [0, 0.5)", c->tail);
  return GL_OK;
}

/* Every entry, in the order of the old argument list's checks. */
static int read_cfg(const double *cfg, mlp_cfg *c) {
  int st;
  double std, bound;
  if ((st = gl_check_ptr("cfg", cfg)) || (st = cfg_enum("act", cfg[GL_MLP_CFG_ACT], &c->act)) ||
      (st = gl_check_act(c->act)) || (st = read_shape(cfg, c)) ||
      (st = cfg_enum("init", cfg[GL_MLP_CFG_INIT], &c->init)))
    return st;
  c->gain = cfg[GL_MLP_CFG_GAIN];
  c->sigma = cfg[GL_MLP_CFG_SIGMA];
  c->value = cfg[GL_MLP_CFG_VALUE];
  /* width·std² is Var(z_1) for unit inputs and the mean-field σ_w²: past the
   * largest double every variance of every layer is +Inf, so the network is
   * refused before it is computed (√ of both sides: std ≤ √(DBL_MAX/width)). */
  if ((st = gl_init_check_weights(c->init, c->width, c->width, c->gain, c->sigma, c->value, c->dtype)) ||
      (st = gl_init_theory(c->init, c->width, c->width, c->gain, c->sigma, c->value, &std, &bound)) ||
      (st = gl_init_check_size(c->init, c->gain, c->sigma, c->value, sqrt((double)c->width) * std,
                               sqrt(DBL_MAX), 2,
                               "width*std^2 (the variance of z_1 for unit inputs)")) ||
      (st = gl_seed_from_double(cfg[GL_MLP_CFG_SEED], &c->seed)))
    return st;
  return GL_OK;
}

static double mlp_bytes(const mlp_cfg *c) {
  return mlp_alloc_bytes(c->depth, c->width, c->batch, gl_dtype_size(c->dtype), c->bins > 0 && c->tail > 0) +
         (double)sizeof(double) * mlp_output_doubles(c->depth, c->bins);
}

double gl_mlp_bytes(const double *cfg) {
  mlp_cfg c;
  return read_shape(cfg, &c) ? NAN : mlp_bytes(&c);
}

int gl_mlp_stats(const double *cfg, double *stats, double *hist, double *hist_range) {
  return gl_mlp_stats_cache(cfg, stats, hist, hist_range, WEIGHT_CACHE_BYTES);
}

static int mlp_stats(const double *cfg, double *stats, double *hist, double *hist_range,
                     double cache_bytes);

int gl_mlp_stats_cache(const double *cfg, double *stats, double *hist, double *hist_range,
                       double cache_bytes) {
  int st;
  GL_TIMED(GL_PROFILE_TOTAL, st = mlp_stats(cfg, stats, hist, hist_range, cache_bytes));
  return st;
}

static int mlp_stats(const double *cfg, double *stats, double *hist, double *hist_range,
                     double cache_bytes) {
  int st;
  mlp_cfg c;
  if ((st = read_cfg(cfg, &c)) || (st = gl_check_ptr("stats", stats)) ||
      (c.bins > 0 && ((st = gl_check_ptr("hist", hist)) || (st = gl_check_ptr("hist_range", hist_range)))))
    return st;
  const double need = mlp_bytes(&c);
  if ((st = gl_check_bytes(need, "depth %d x width %d x batch %d", c.depth, c.width, c.batch)))
    return st;

  const int dtype = c.dtype, bins = c.bins;
  const size_t es = (size_t)gl_dtype_size(dtype), w2 = (size_t)c.width * (size_t)c.width,
               bw = (size_t)c.batch * (size_t)c.width, L = (size_t)c.depth;
  const size_t pack = mlp_pack_elems((size_t)c.width, (size_t)c.batch);
  const int keep = keeps_weights(c.depth, c.width, (double)es, cache_bytes);
  const size_t nw = keep ? L * w2 : w2;
  const int quantiles = bins > 0 && c.tail > 0;
  gl_rng *states = malloc(sizeof(gl_rng) * L);
  char *buf = malloc(es * (nw + (2 * L + 1) * bw + 2 * bw + w2 + pack));
  double *scratch = quantiles ? malloc(sizeof(double) * bw) : NULL;
  if (!buf || !states || (quantiles && !scratch)) {
    free(buf);
    free(states);
    free(scratch);
    return gl_fail(GL_ENOMEM, "out of memory for %.1f MiB", need / 1048576.0);
  }
  char *W = buf, *a = W + es * nw, *z = a + es * (L + 1) * bw, *ga = z + es * L * bw,
       *gz = ga + es * bw;
  gl_rng r;
  weights_ctx wc = {c.init, c.width, dtype, keep, 0, GL_OK, c.gain, c.sigma, c.value, &r, states, W};
  gl_mlp_net net = {c.act, c.depth, c.width, c.batch, dtype, NULL, a, z, gz + es * bw,
                    gz + es * (bw + w2), supply_weight, &wc};

  /* The random draws, in this order from one generator: X, W_1..W_L (as the
   * forward pass reaches each layer), then G. */
  gl_rng_init(&r, c.seed);
  GL_TIMED(GL_PROFILE_DRAWS, gl_rng_normal_fill(&r, dtype, bw, 1.0, a));
  gl_mlp_forward(&net);
  if ((st = wc.status)) goto done;
  GL_TIMED(GL_PROFILE_DRAWS, gl_rng_normal_fill(&r, dtype, bw, 1.0, ga));
  const double stats_t0 = gl_profile_on ? gl_profile_now() : 0;
  for (size_t l = 1; l <= L; l++) {
    double sz[5], sa[5], *out = stats + (l - 1) * GL_MLP_NSTAT;
    const void *zl = z + es * (l - 1) * bw, *al = a + es * l * bw;
    gl_stats(dtype, (int)bw, zl, sz);
    gl_stats(dtype, (int)bw, al, sa);
    out[GL_MLP_Z_MEAN] = sz[1];
    out[GL_MLP_Z_VAR] = sz[2];
    out[GL_MLP_A_MEAN] = sa[1];
    out[GL_MLP_A_VAR] = sa[2];
    out[GL_MLP_UNIT_SPREAD] = unit_spread(dtype, c.batch, c.width, al);
    /* every layer's histogram, so a view can move between layers without
     * running the network again */
    if (bins > 0)
      gl_histogram_tail(dtype, bw, al, bins, hist_of(hist, bins, l), range_of(hist_range, l), sa + 3,
                        c.tail, scratch);
  }
  if (gl_profile_on) gl_profile_add(GL_PROFILE_STATS, stats_t0);
  stats_ctx ctx = {dtype, c.width, c.batch, bins, stats, hist, hist_range, c.tail, scratch};
  wc.backward = 1;
  gl_mlp_backward(&net, ga, gz, visit_stats, &ctx);
  st = wc.status;
done:
  free(buf);
  free(states);
  free(scratch);
  return st;
}
