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
    /* z_l = a_{l−1}·W_lᵀ */
    gl_matmul_packed(net->dtype, 0, 1, (size_t)net->batch, w, w, a_prev, weight_of(net, l, es), z,
                     net->pack);
    gl_act_forward(net->act, net->dtype, (int)bw, z, a);
  }
}

void gl_mlp_backward(const gl_mlp_net *net, void *ga, void *gz, gl_mlp_visit visit, void *ctx) {
  const size_t es = (size_t)gl_dtype_size(net->dtype), w = (size_t)net->width,
               b = (size_t)net->batch, bw = b * w;
  for (size_t l = (size_t)net->depth; l >= 1; l--) {
    const void *a_prev = at(net->a, (l - 1) * bw, es), *z = at(net->z, (l - 1) * bw, es),
               *a = at(net->a, l * bw, es);
    /* ∂z_l = ∂a_l ⊙ φ'(z_l): the factor by which each layer can shrink a gradient */
    gl_act_backward(net->act, net->dtype, (int)bw, z, a, ga, gz);
    gl_matmul_packed(net->dtype, 1, 0, w, w, b, gz, a_prev, net->scratch,
                     net->pack); /* ∂W_l = ∂z_lᵀ·a_{l−1} */
    if (visit) visit(ctx, (int)l, ga, gz, net->scratch);
    gl_matmul_packed(net->dtype, 0, 0, b, w, w, gz, weight_of(net, l, es), ga,
                     net->pack); /* ∂a_{l−1} = ∂z_l·W_l */
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

typedef struct stats_ctx {
  int dtype, width, batch, hist_layer, bins;
  double *stats, *hist_gz, *range_gz;
} stats_ctx;

static void visit_stats(void *p, int layer, const void *grad_a, const void *grad_z,
                        const void *grad_w) {
  const stats_ctx *c = p;
  const int bw = c->batch * c->width;
  double s[5], *out = c->stats + (size_t)(layer - 1) * GL_MLP_NSTAT;
  gl_stats(c->dtype, bw, grad_a, s);
  out[GL_MLP_GRAD_A_VAR] = s[2];
  gl_stats(c->dtype, bw, grad_z, s);
  out[GL_MLP_GRAD_Z_VAR] = s[2];
  gl_stats(c->dtype, c->width * c->width, grad_w, s);
  out[GL_MLP_GRAD_W_VAR] = s[2];
  if (layer == c->hist_layer && c->hist_gz)
    gl_histogram(c->dtype, (int)bw, grad_z, c->bins, c->hist_gz, c->range_gz);
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
#define WEIGHT_CACHE_BYTES ((double)(64u << 20))

static int keeps_weights(double depth, double width, double es, double cache) {
  return depth * width * width * es <= cache;
}

/* Everything gl_mlp_stats allocates, in elements of dtype: the weights (all
 * L of them, or one when they are drawn again), a_0..a_L, z_1..z_L, ∂a and ∂z
 * of one layer, a width² scratch (∂W_l) and the matmul packing space; plus, in
 * bytes, the generator states and the float64 QR scratch of an orthogonal
 * init (counted for every scheme, so the figure depends on the shape only). */
static double mlp_bytes(double depth, double width, double batch, double es) {
  const double w2 = width * width, bw = batch * width;
  const double weights = keeps_weights(depth, width, es, WEIGHT_CACHE_BYTES) ? depth * w2 : w2;
  return es * (weights + (2 * depth + 1) * bw + 2 * bw + w2 +
               (double)mlp_pack_elems((size_t)width, (size_t)batch)) +
         (double)sizeof(gl_rng) * depth +
         (double)sizeof(double) * (double)gl_ortho_scratch_doubles((size_t)width, (size_t)width);
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
  int st = gl_init_fill(c->init, c->width, c->width, c->gain, c->sigma, c->value, c->dtype, r, slot);
  if (st && !c->status) c->status = st;
  return slot;
}

double gl_mlp_bytes(int depth, int width, int batch, int dtype) {
  if (depth < 1 || width < 1 || batch < 1 || gl_dtype_size(dtype) == 0) return NAN;
  return mlp_bytes(depth, width, batch, gl_dtype_size(dtype));
}

int gl_mlp_stats(int init, double gain, double sigma, double value, int act, int depth, int width,
                 int batch, int dtype, double seed, int hist_layer, int bins, double *stats,
                 double *hist_a, double *hist_gz, double *hist_range) {
  return gl_mlp_stats_cache(init, gain, sigma, value, act, depth, width, batch, dtype, seed,
                            hist_layer, bins, stats, hist_a, hist_gz, hist_range,
                            WEIGHT_CACHE_BYTES);
}

int gl_mlp_stats_cache(int init, double gain, double sigma, double value, int act, int depth,
                       int width, int batch, int dtype, double seed, int hist_layer, int bins,
                       double *stats, double *hist_a, double *hist_gz, double *hist_range,
                       double cache_bytes) {
  int st;
  uint64_t s = 0;
  double std, bound;
  if ((st = gl_check_act(act)) || (st = gl_check_count("depth", depth, 1, GL_MLP_MAX_DEPTH)) ||
      (st = gl_check_count("width", width, 1, GL_MLP_MAX_WIDTH)) ||
      (st = gl_check_count("batch", batch, 1, GL_MLP_MAX_BATCH)) || (st = gl_check_dtype(dtype)) ||
      (st = gl_init_theory(init, width, width, gain, sigma, value, &std, &bound)) ||
      (st = gl_seed_from_double(seed, &s)) || (st = gl_check_count("bins", bins, 0, GL_MAX_BINS)) ||
      (st = gl_check_count("hist_layer", hist_layer, 0, depth)) ||
      (st = gl_check_ptr("stats", stats)))
    return st;
  const int want_hist = hist_layer >= 1 && bins > 0 && (hist_a || hist_gz);
  if (want_hist && (st = gl_check_ptr("hist_range", hist_range))) return st;
  const double need = mlp_bytes(depth, width, batch, gl_dtype_size(dtype));
  if ((st = gl_check_bytes(need, "depth %d x width %d x batch %d", depth, width, batch))) return st;

  const size_t es = (size_t)gl_dtype_size(dtype), w2 = (size_t)width * width,
               bw = (size_t)batch * width, L = (size_t)depth;
  const size_t pack = mlp_pack_elems((size_t)width, (size_t)batch);
  const int keep = keeps_weights(depth, width, (double)es, cache_bytes);
  const size_t nw = keep ? L * w2 : w2;
  gl_rng *states = malloc(sizeof(gl_rng) * L);
  char *buf = malloc(es * (nw + (2 * L + 1) * bw + 2 * bw + w2 + pack));
  if (!buf || !states) {
    free(buf);
    free(states);
    return gl_fail(GL_ENOMEM, "out of memory for %.1f MiB", need / 1048576.0);
  }
  char *W = buf, *a = W + es * nw, *z = a + es * (L + 1) * bw, *ga = z + es * L * bw,
       *gz = ga + es * bw;
  gl_rng r;
  weights_ctx wc = {init, width, dtype, keep, 0, GL_OK, gain, sigma, value, &r, states, W};
  gl_mlp_net net = {act,  depth, width, batch, dtype, NULL, a, z, gz + es * bw, gz + es * (bw + w2),
                    supply_weight, &wc};

  /* The random draws, in this order from one generator: X, W_1..W_L (as the
   * forward pass reaches each layer), then G. */
  gl_rng_init(&r, s);
  gl_rng_normal_fill(&r, dtype, bw, 1.0, a);
  gl_mlp_forward(&net);
  if ((st = wc.status)) goto done;
  gl_rng_normal_fill(&r, dtype, bw, 1.0, ga);
  for (size_t l = 1; l <= L; l++) {
    double sz[5], sa[5], *out = stats + (l - 1) * GL_MLP_NSTAT;
    const void *zl = z + es * (l - 1) * bw, *al = a + es * l * bw;
    gl_stats(dtype, (int)bw, zl, sz);
    gl_stats(dtype, (int)bw, al, sa);
    out[GL_MLP_Z_MEAN] = sz[1];
    out[GL_MLP_Z_VAR] = sz[2];
    out[GL_MLP_A_MEAN] = sa[1];
    out[GL_MLP_A_VAR] = sa[2];
    out[GL_MLP_UNIT_SPREAD] = unit_spread(dtype, batch, width, al);
    if (want_hist && hist_a && (int)l == hist_layer)
      gl_histogram(dtype, (int)bw, al, bins, hist_a, hist_range);
  }
  stats_ctx ctx = {dtype, width, batch, want_hist ? hist_layer : 0, bins,
                   stats, hist_gz, hist_range ? hist_range + 2 : NULL};
  wc.backward = 1;
  gl_mlp_backward(&net, ga, gz, visit_stats, &ctx);
  st = wc.status;
done:
  free(buf);
  free(states);
  return st;
}
