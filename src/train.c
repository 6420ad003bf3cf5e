/*
 * train.c — training a deep classifier on a 2-arm spiral, the Remedies
 * lesson: what vanishing and exploding gradients do to learning, and what
 * each remedy (clipping, residual connections, normalisation, init, the
 * activation) changes.  Semantics of PyTorch 1.13 throughout.
 *
 * Model: stem Linear(2, W) → φ; L blocks y = Linear(W, W)(h) → [BatchNorm1d |
 * LayerNorm | none] → φ = a, then h ← h + a (residual) or h ← a; head
 * Linear(W, 2).  Linear weights by the init scheme with that layer's fans,
 * biases 0, γ = 1, β = 0.  Softmax cross-entropy, mean over the full batch.
 *
 * Data: class c ∈ {0, 1}, point i < P: r = (i + ½)/P, t = 2π·turns·r + πc,
 * x = (r sin t, r cos t), plus U(−ν, ν) noise on each coordinate: ν·(2u − 1)
 * with u the values torch.rand((2P, 2), dtype=torch.float64) gives after
 * torch.manual_seed(data seed) (x₀ then x₁, point by point, class 0 first).
 *
 * One step: zero-grad → forward (training mode) → backward → clip → update.
 *  - BatchNorm1d: batch mean and biased variance (eps 1e-5); running mean/var
 *    move by momentum 0.1 towards the batch mean and the unbiased variance
 *    and are used in eval mode (gl_train_predict).  LayerNorm: eps 1e-5, affine.
 *  - clip_grad_norm_: total = 2-norm over every parameter gradient (weights,
 *    biases, γ, β), coef = c/(total + 1e-6), gradients ·= min(coef, 1); a NaN
 *    total makes every gradient NaN, an infinite one makes coef 0 (∞·0 = NaN).
 *    clip_grad_value_: clamp to [−c, c], NaN stays NaN.
 *  - SGD; momentum 0.9 (buf = g at the first step); Adam (β 0.9/0.999, eps 1e-8,
 *    torch's bias correction).  See train_kernels.h for the exact formulas.
 *
 * The weights are torch's: seed s draws what torch.manual_seed(s) followed
 * by the init of stem.weight, hidden.0.weight, …, head.weight draws in
 * float32 (torch_rng.c; float64 lanes widen those numbers, so the two dtypes
 * start from the same weights).  So lanes share the seed's draws: toggling
 * the residual, norm, clipping, activation or optimizer leaves every weight
 * of the same scheme, depth and width identical, and N(0, σ²) lanes of
 * different σ share the same N(0, 1) draws.
 *
 * ‖ΔW_l‖/‖W_l‖ is computed from the weights actually stored before and after
 * the update: it is exactly 0 when every w + Δw rounds back to w in the
 * dtype — the update is lost, the chapter's "updates too small to learn".
 *
 * The state is one caller-owned block: a header of sizes and byte offsets
 * (never pointers, so the block may move), then the data, parameters,
 * gradients, optimizer moments, running statistics, the forward caches and
 * scratch.  float32 by default; reductions accumulate in double.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define TRAIN_MAGIC 0x474c5452u /* "GLTR" */
#define BN_EPS 1e-5
#define LN_EPS 1e-5
#define BN_MOMENTUM 0.1

enum { MODE_TRAIN_UPDATE = 0, MODE_TRAIN = 1, MODE_EVAL = 2 };
/* The caches of a block, in order: p = Norm(y) or y (φ's input), a = φ(p),
 * x̂ (with a norm), h = h_prev + a (residual). */
enum { BLK_P = 0, BLK_A = 1, BLK_XHAT = 2, BLK_H = 3 };

typedef struct train_hdr {
  uint32_t magic, version;
  int32_t depth, width, act, init, residual, norm, clip, opt, dtype, points, rows, ntensor;
  double gain, sigma, value, clip_at, lr, turns, noise, bytes, steps;
  uint64_t seed, data_seed;
  /* byte offsets from the start of the state */
  uint64_t off_x, off_y, off_param, off_grad, off_m, off_v, off_run, off_z0, off_h0, off_blocks,
      block_stride, off_invstd, off_logit, off_dlogit, off_dh, off_dp, off_tmp, off_sum, off_pack;
  uint64_t nparam, invstd_stride; /* parameters in elements; doubles of inverse std per block */
  int32_t blk_slot[4];            /* slot of BLK_* inside a block, -1 if absent */
} train_hdr;

/* Pointers into one state, rebuilt on every call from the offsets. */
typedef struct tview {
  const train_hdr *h;
  char *base;
  void *x, *param, *grad, *m, *v, *run, *z0, *h0, *logit, *dlogit, *dh, *dp, *tmp, *pack;
  int32_t *y;
  double *invstd, *sum;
} tview;

/* ---- parameter layout (elements from the start of the parameter block) ----
 * stem.weight (W×2), stem.bias; hidden l: weight (W×W), bias; then per block
 * γ, β (with a norm); head.weight (2×W), head.bias. */
static size_t lin_w_off(const train_hdr *h, size_t l) {
  const size_t W = (size_t)h->width, L = (size_t)h->depth;
  if (l == 0) return 0;
  if (l <= L) return 3 * W + (l - 1) * (W * W + W);
  return 3 * W + L * (W * W + W) + (h->norm ? 2 * W * L : 0);
}
static size_t lin_w_count(const train_hdr *h, size_t l) {
  const size_t W = (size_t)h->width;
  return l == 0 || l == (size_t)h->depth + 1 ? 2 * W : W * W;
}
static size_t lin_b_off(const train_hdr *h, size_t l) { return lin_w_off(h, l) + lin_w_count(h, l); }
static size_t lin_b_count(const train_hdr *h, size_t l) {
  return l == (size_t)h->depth + 1 ? 2 : (size_t)h->width;
}
static size_t norm_off(const train_hdr *h, size_t l) {
  const size_t W = (size_t)h->width;
  return 3 * W + (size_t)h->depth * (W * W + W) + 2 * W * l;
}

/* Cache `which` of block l (rows × W of the dtype); x̂ and h only exist when
 * used: without a residual h_l is a_l itself. */
static void *blk(const tview *v, size_t l, int which) {
  const train_hdr *h = v->h;
  if (which == BLK_H && h->blk_slot[BLK_H] < 0) which = BLK_A;
  const size_t es = (size_t)gl_dtype_size(h->dtype);
  return v->base + h->off_blocks + l * h->block_stride +
         (size_t)h->blk_slot[which] * (size_t)h->rows * (size_t)h->width * es;
}
static void *hidden_out(const tview *v, size_t l) { return blk(v, l, BLK_H); }

static void view_of(void *state, tview *v) {
  const train_hdr *h = state;
  char *b = state;
  v->h = h;
  v->base = b;
  v->x = b + h->off_x;
  v->y = (int32_t *)(void *)(b + h->off_y);
  v->param = b + h->off_param;
  v->grad = b + h->off_grad;
  v->m = b + h->off_m;
  v->v = b + h->off_v;
  v->run = b + h->off_run;
  v->z0 = b + h->off_z0;
  v->h0 = b + h->off_h0;
  v->invstd = (double *)(void *)(b + h->off_invstd);
  v->logit = b + h->off_logit;
  v->dlogit = b + h->off_dlogit;
  v->dh = b + h->off_dh;
  v->dp = b + h->off_dp;
  v->tmp = b + h->off_tmp;
  v->sum = (double *)(void *)(b + h->off_sum);
  v->pack = b + h->off_pack;
}

/* ---- column sums of float32 rows in float64, 4 or 8 columns at a time -----
 * BatchNorm and the bias gradients reduce a rows × W float32 tensor over its
 * rows, per column, in double.  Written with wasm SIMD, a block of columns'
 * sums kept in registers down the rows: each column's sum
 * still runs over the rows in order, one add per term, so the result is the
 * scalar loop's bit for bit (the scalar loops stay for native builds and
 * widths that are not a multiple of 4; LLVM left them scalar: converting
 * float32 lanes to float64 ones is not a pattern it vectorises here). */
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#define SIMD_F32 1
/* Lanes 0–1 and 2–3 of a float32 vector as float64 pairs. */
static inline v128_t lo_f64(v128_t v) { return wasm_f64x2_promote_low_f32x4(v); }
static inline v128_t hi_f64(v128_t v) {
  return wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3));
}
/* Two float64 pairs → one float32 vector, each lane rounded once. */
static inline v128_t to_f32(v128_t lo, v128_t hi) {
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi), 0,
                            1, 4, 5);
}
/* v·v, lane by lane. */
static inline v128_t sq_f64(v128_t v) { return wasm_f64x2_mul(v, v); }
/* acc[0..7] = the lanes of four float64 pairs. */
static inline void store8(double *acc, v128_t s0, v128_t s1, v128_t s2, v128_t s3) {
  wasm_v128_store(acc, s0);
  wasm_v128_store(acc + 2, s1);
  wasm_v128_store(acc + 4, s2);
  wasm_v128_store(acc + 6, s3);
}
#else
#define SIMD_F32 0
#endif

/* ---- the two element types --------------------------------------------- */

#define T float
#define F(name) name##_f
#define DT GL_F32
#define SIMD_T SIMD_F32
#include "train_kernels.h"
#undef T
#undef F
#undef DT
#undef SIMD_T
#define T double
#define F(name) name##_d
#define DT GL_F64
#define SIMD_T 0
#include "train_kernels.h"
#undef T
#undef F
#undef DT
#undef SIMD_T

/* ---- configuration -------------------------------------------------------- */

static int cfg_int(const char *what, double v, int lo, int hi, int *out) {
  return gl_check_int(what, v, lo, hi, out);
}

/* Validates cfg into a header (sizes and offsets included). */
static int read_cfg(const double *cfg, train_hdr *h) {
  int st;
  double std, bound;
  memset(h, 0, sizeof *h);
  if ((st = gl_check_ptr("cfg", cfg)) ||
      (st = cfg_int("depth", cfg[GL_TRAIN_CFG_DEPTH], 1, GL_TRAIN_MAX_DEPTH, &h->depth)) ||
      (st = cfg_int("width", cfg[GL_TRAIN_CFG_WIDTH], GL_TRAIN_MIN_WIDTH, GL_TRAIN_MAX_WIDTH,
                    &h->width)) ||
      (st = cfg_int("act", cfg[GL_TRAIN_CFG_ACT], INT_MIN, INT_MAX, &h->act)) ||
      (st = gl_check_act(h->act)) ||
      (st = cfg_int("init", cfg[GL_TRAIN_CFG_INIT], INT_MIN, INT_MAX, &h->init)))
    return st;
  h->gain = cfg[GL_TRAIN_CFG_GAIN];
  h->sigma = cfg[GL_TRAIN_CFG_SIGMA];
  h->value = cfg[GL_TRAIN_CFG_VALUE];
  if ((st = gl_init_theory(h->init, h->width, h->width, h->gain, h->sigma, h->value, &std, &bound)) ||
      (st = cfg_int("residual", cfg[GL_TRAIN_CFG_RESIDUAL], 0, 1, &h->residual)) ||
      (st = cfg_int("norm", cfg[GL_TRAIN_CFG_NORM], 0, GL_NORM_COUNT - 1, &h->norm)) ||
      (st = cfg_int("clip", cfg[GL_TRAIN_CFG_CLIP], 0, GL_CLIP_COUNT - 1, &h->clip)) ||
      (st = cfg_int("optimizer", cfg[GL_TRAIN_CFG_OPTIMIZER], 0, GL_OPTIMIZER_COUNT - 1, &h->opt)) ||
      (st = cfg_int("dtype", cfg[GL_TRAIN_CFG_DTYPE], INT_MIN, INT_MAX, &h->dtype)) ||
      (st = gl_check_dtype(h->dtype)) ||
      /* every Linear's weights finite in float32, where they are drawn
       * (gl_init_fill_torch), checked before any work: the stem (2 → W) and
       * head (W → 2) have the smallest fans, so the largest xavier/kaiming
       * bounds (found by fuzz_train) */
      (st = gl_init_check_torch(h->init, 2, h->width, h->gain, h->sigma, h->value)) ||
      (st = gl_init_check_torch(h->init, h->width, 2, h->gain, h->sigma, h->value)) ||
      (st = gl_init_check_torch(h->init, h->width, h->width, h->gain, h->sigma, h->value)) ||
      (st = gl_seed_from_double(cfg[GL_TRAIN_CFG_SEED], &h->seed)) ||
      (st = cfg_int("points", cfg[GL_TRAIN_CFG_POINTS], 1, GL_TRAIN_MAX_POINTS, &h->points)) ||
      (st = gl_seed_from_double(cfg[GL_TRAIN_CFG_DATA_SEED], &h->data_seed)))
    return st;
  h->clip_at = cfg[GL_TRAIN_CFG_CLIP_AT];
  h->lr = cfg[GL_TRAIN_CFG_LR];
  h->turns = cfg[GL_TRAIN_CFG_TURNS];
  h->noise = cfg[GL_TRAIN_CFG_NOISE];
  if (h->clip != GL_CLIP_NONE && !(isfinite(h->clip_at) && h->clip_at > 0))
    return gl_fail(GL_EINVAL, "clip_at must be finite and > 0, got %g", h->clip_at);
  if (!(isfinite(h->lr) && h->lr > 0))
    return gl_fail(GL_EINVAL, "lr must be finite and > 0, got %g", h->lr);
  if (!(h->turns > 0 && h->turns <= GL_TRAIN_MAX_TURNS))
    return gl_fail(GL_EINVAL, "turns must be in (0, %d], got %g", GL_TRAIN_MAX_TURNS, h->turns);
  if (!(isfinite(h->noise) && h->noise >= 0))
    return gl_fail(GL_EINVAL, "noise must be finite and >= 0, got %g", h->noise);
  return GL_OK;
}

static uint64_t align16(uint64_t x) { return (x + 15) & ~(uint64_t)15; }

/* Sizes and offsets of a validated header; returns the total bytes. */
static double layout(train_hdr *h) {
  const uint64_t es = (uint64_t)gl_dtype_size(h->dtype), W = (uint64_t)h->width,
                 L = (uint64_t)h->depth, n = 2 * (uint64_t)h->points, nw = n * W;
  h->rows = (int32_t)n;
  h->nparam = 3 * W + L * (W * W + W) + (h->norm ? 2 * W * L : 0) + 2 * W + 2;
  h->ntensor = (int32_t)(4 + 2 * L + (h->norm == GL_NORM_BATCH ? 4 : h->norm ? 2 : 0) * L);
  int slots = 0;
  h->blk_slot[BLK_P] = slots++;
  h->blk_slot[BLK_A] = slots++;
  h->blk_slot[BLK_XHAT] = h->norm ? slots++ : -1;
  h->blk_slot[BLK_H] = h->residual ? slots++ : -1;
  h->invstd_stride = h->norm ? (W > n ? W : n) : 0;
  const uint64_t pack = (uint64_t)gl_matmul_pack_elems((size_t)W, (size_t)(W > n ? W : n));
  uint64_t at = align16(sizeof(train_hdr));
#define TAKE(field, bytes) (h->field = at, at = align16(at + (bytes)))
  TAKE(off_x, n * 2 * es);
  TAKE(off_y, n * sizeof(int32_t));
  TAKE(off_param, h->nparam * es);
  TAKE(off_grad, h->nparam * es);
  TAKE(off_m, h->opt != GL_OPT_SGD ? h->nparam * es : 0);
  TAKE(off_v, h->opt == GL_OPT_ADAM ? h->nparam * es : 0);
  TAKE(off_run, h->norm == GL_NORM_BATCH ? 2 * W * L * es : 0);
  TAKE(off_z0, nw * es);
  TAKE(off_h0, nw * es);
  h->block_stride = align16((uint64_t)slots * nw * es);
  TAKE(off_blocks, L * h->block_stride);
  TAKE(off_invstd, L * h->invstd_stride * sizeof(double));
  TAKE(off_logit, n * 2 * es);
  TAKE(off_dlogit, n * 2 * es);
  TAKE(off_dh, nw * es);
  TAKE(off_dp, nw * es);
  TAKE(off_tmp, h->residual ? nw * es : 0);
  TAKE(off_sum, 2 * (W > n ? W : n) * sizeof(double));
  TAKE(off_pack, pack * es);
#undef TAKE
  return (double)at;
}

double gl_train_bytes(const double *cfg) {
  train_hdr h;
  if (read_cfg(cfg, &h)) return NAN;
  const double bytes = layout(&h);
  if (gl_check_bytes(bytes, "a training state of depth %d x width %d x %d points", h.depth,
                     h.width, h.rows))
    return NAN;
  return bytes;
}

/* The state behind a caller's pointer: checks it was made by gl_train_init. */
static int state_of(const void *state, train_hdr **out) {
  int st;
  if ((st = gl_check_ptr("state", state))) return st;
  train_hdr *h = (train_hdr *)(uintptr_t)state;
  if (((uintptr_t)state & 7) != 0 || h->magic != TRAIN_MAGIC)
    return gl_fail(GL_EINVAL, "state was not made by gl_train_init");
  *out = h;
  return GL_OK;
}

/* ---- data and parameters ---------------------------------------------------- */

static void make_data(const tview *v) {
  const train_hdr *h = v->h;
  const size_t P = (size_t)h->points;
  const double two_pi = 6.283185307179586476925;
  gl_torch_rng r; /* the noise of torch.manual_seed(data_seed); torch.rand((2P, 2), float64) */
  gl_torch_seed(&r, h->data_seed);
  for (size_t c = 0; c < 2; c++)
    for (size_t i = 0; i < P; i++) {
      const size_t row = c * P + i;
      const double rad = ((double)i + 0.5) / (double)P,
                   t = two_pi * h->turns * rad + 3.14159265358979323846 * (double)c;
      double x0 = rad * sin(t), x1 = rad * cos(t);
      if (h->noise > 0) {
        x0 += h->noise * (2 * gl_torch_double(&r) - 1);
        x1 += h->noise * (2 * gl_torch_double(&r) - 1);
      }
      gl_set(h->dtype, v->x, 2 * row, x0);
      gl_set(h->dtype, v->x, 2 * row + 1, x1);
      v->y[row] = (int32_t)c;
    }
}

static int init_params(const tview *v) {
  const train_hdr *h = v->h;
  const size_t L = (size_t)h->depth, W = (size_t)h->width, es = (size_t)gl_dtype_size(h->dtype);
  char *P = v->param;
  memset(P, 0, h->nparam * es); /* biases 0 */
  gl_torch_rng g;
  gl_torch_seed(&g, h->seed);
  for (size_t l = 0; l <= L + 1; l++) {
    const int fan_in = l == 0 ? 2 : (int)W, fan_out = l == L + 1 ? 2 : (int)W;
    int st = gl_init_fill_torch(h->init, fan_in, fan_out, h->gain, h->sigma, h->value, h->dtype, &g,
                                P + lin_w_off(h, l) * es);
    if (st) return st;
  }
  for (size_t l = 0; h->norm && l < L; l++) /* γ = 1, β = 0 */
    for (size_t j = 0; j < W; j++) gl_set(h->dtype, P, norm_off(h, l) + j, 1.0);
  for (size_t l = 0; h->norm == GL_NORM_BATCH && l < L; l++) /* running mean 0, var 1 */
    for (size_t j = 0; j < W; j++) {
      gl_set(h->dtype, v->run, 2 * W * l + j, 0.0);
      gl_set(h->dtype, v->run, 2 * W * l + W + j, 1.0);
    }
  return GL_OK;
}

int gl_train_init(const double *cfg, void *state, double state_bytes) {
  int st;
  train_hdr h;
  if ((st = read_cfg(cfg, &h)) || (st = gl_check_ptr("state", state))) return st;
  const double need = layout(&h);
  if ((st = gl_check_bytes(need, "a training state of depth %d x width %d x %d points", h.depth,
                           h.width, h.rows)))
    return st;
  if (!(state_bytes >= need))
    return gl_fail(GL_EINVAL, "state holds %.0f bytes, the configuration needs %.0f", state_bytes,
                   need);
  if (((uintptr_t)state & 7) != 0) return gl_fail(GL_EINVAL, "state must be 8-byte aligned");
  memset(state, 0, (size_t)need);
  h.magic = TRAIN_MAGIC;
  h.version = 1;
  h.bytes = need;
  memcpy(state, &h, sizeof h);
  tview v;
  view_of(state, &v);
  make_data(&v);
  if ((st = init_params(&v))) {
    ((train_hdr *)state)->magic = 0;
    return st;
  }
  return GL_OK;
}

/* ---- one step ------------------------------------------------------------------ */

static void forward(const tview *v, size_t rows, const void *x, int mode) {
  if (v->h->dtype == GL_F32)
    forward_f(v, rows, x, mode);
  else
    forward_d(v, rows, x, mode);
}
static void cross_entropy(const tview *v, int grad, double *loss, double *acc) {
  if (v->h->dtype == GL_F32)
    cross_entropy_f(v, (size_t)v->h->rows, grad, loss, acc);
  else
    cross_entropy_d(v, (size_t)v->h->rows, grad, loss, acc);
}
static double sumsq(int dtype, size_t n, const void *x) {
  return dtype == GL_F32 ? sumsq_f(n, x) : sumsq_d(n, x);
}

int gl_clip_grad_norm(int dtype, size_t n, void *g, double c, double total) {
  return dtype == GL_F32 ? clip_norm_f(n, g, c, total) : clip_norm_d(n, g, c, total);
}
int gl_clip_grad_value(int dtype, size_t n, void *g, double c) {
  return dtype == GL_F32 ? clip_value_f(n, g, c) : clip_value_d(n, g, c);
}

int gl_train_step(void *state, double *stats, double *grad_norms, double *rel_updates) {
  int st;
  train_hdr *h = NULL;
  if ((st = state_of(state, &h)) || (st = gl_check_ptr("stats", stats))) return st;
  tview v;
  view_of(state, &v);
  const size_t L = (size_t)h->depth, es = (size_t)gl_dtype_size(h->dtype);
  const int f32 = h->dtype == GL_F32;
  /* zero-grad is implicit: the backward pass writes every gradient */
  forward(&v, (size_t)h->rows, v.x, MODE_TRAIN_UPDATE);
  cross_entropy(&v, 1, &stats[GL_TRAIN_LOSS], &stats[GL_TRAIN_ACCURACY]);
  if (f32)
    backward_f(&v);
  else
    backward_d(&v);
  if (grad_norms)
    for (size_t l = 0; l <= L + 1; l++)
      grad_norms[l] = sqrt(sumsq(h->dtype, lin_w_count(h, l), (char *)v.grad + lin_w_off(h, l) * es));
  const double total = sqrt(sumsq(h->dtype, h->nparam, v.grad));
  stats[GL_TRAIN_TOTAL_NORM] = total;
  int clipped = 0;
  if (h->clip == GL_CLIP_VALUE)
    clipped = gl_clip_grad_value(h->dtype, h->nparam, v.grad, h->clip_at);
  else if (h->clip == GL_CLIP_NORM)
    clipped = gl_clip_grad_norm(h->dtype, h->nparam, v.grad, h->clip_at, total);
  stats[GL_TRAIN_CLIPPED] = clipped;
  h->steps += 1;
  /* the update, tensor by tensor: each Linear's weight, then its bias; the
   * norms' γ and β as one block */
  for (size_t l = 0; l <= L + 1; l++) {
    double old2 = 0, b2 = 0;
    const double d2 = f32 ? update_f(&v, lin_w_off(h, l), lin_w_count(h, l), h->steps, &old2)
                          : update_d(&v, lin_w_off(h, l), lin_w_count(h, l), h->steps, &old2);
    if (f32)
      update_f(&v, lin_b_off(h, l), lin_b_count(h, l), h->steps, &b2);
    else
      update_d(&v, lin_b_off(h, l), lin_b_count(h, l), h->steps, &b2);
    if (rel_updates) rel_updates[l] = sqrt(d2) / sqrt(old2);
  }
  if (h->norm) {
    double g2 = 0;
    const size_t off = norm_off(h, 0), n = 2 * (size_t)h->width * L;
    if (f32)
      update_f(&v, off, n, h->steps, &g2);
    else
      update_d(&v, off, n, h->steps, &g2);
  }
  return GL_OK;
}

int gl_train_gradients(void *state, double *loss) {
  int st;
  train_hdr *h = NULL;
  double acc;
  if ((st = state_of(state, &h)) || (st = gl_check_ptr("loss", loss))) return st;
  tview v;
  view_of(state, &v);
  forward(&v, (size_t)h->rows, v.x, MODE_TRAIN);
  cross_entropy(&v, 1, loss, &acc);
  if (h->dtype == GL_F32)
    backward_f(&v);
  else
    backward_d(&v);
  return GL_OK;
}

int gl_train_evaluate(void *state, double *out) {
  int st;
  train_hdr *h = NULL;
  if ((st = state_of(state, &h)) || (st = gl_check_ptr("out", out))) return st;
  tview v;
  view_of(state, &v);
  forward(&v, (size_t)h->rows, v.x, MODE_TRAIN);
  cross_entropy(&v, 0, &out[0], &out[1]);
  return GL_OK;
}

int gl_train_predict(void *state, int m, const double *points, double *prob) {
  int st;
  train_hdr *h = NULL;
  if ((st = state_of(state, &h)) || (st = gl_check_count("m", m, 1, INT32_MAX)) ||
      (st = gl_check_ptr("points", points)) || (st = gl_check_ptr("prob", prob)))
    return st;
  tview v;
  view_of(state, &v);
  /* in chunks of the batch size, through the training caches (the next step
   * recomputes them) with the inputs in the gradient scratch dh */
  const size_t chunk = (size_t)h->rows;
  for (size_t at = 0; at < (size_t)m; at += chunk) {
    const size_t rows = (size_t)m - at < chunk ? (size_t)m - at : chunk;
    for (size_t i = 0; i < 2 * rows; i++) gl_set(h->dtype, v.dh, i, points[2 * at + i]);
    forward(&v, rows, v.dh, MODE_EVAL);
    for (size_t r = 0; r < rows; r++) {
      const double o0 = gl_get(h->dtype, v.logit, 2 * r), o1 = gl_get(h->dtype, v.logit, 2 * r + 1);
      /* softmax(o)[1] = 1/(1 + e^(o0 − o1)) */
      prob[at + r] = 1.0 / (1.0 + exp(o0 - o1));
    }
  }
  return GL_OK;
}

int gl_train_unit_spread(void *state, double *out) {
  int st;
  train_hdr *h = NULL;
  if ((st = state_of(state, &h)) || (st = gl_check_ptr("out", out))) return st;
  tview v;
  view_of(state, &v);
  const size_t n = (size_t)h->rows, W = (size_t)h->width;
  forward(&v, n, v.x, MODE_TRAIN);
  for (size_t l = 0; l <= (size_t)h->depth; l++) {
    const void *a = l == 0 ? v.h0 : hidden_out(&v, l - 1);
    out[l] = h->dtype == GL_F32 ? spread_f(n, W, a) : spread_d(n, W, a);
  }
  return GL_OK;
}

/* ---- tensors and data ------------------------------------------------------------ */

int gl_train_tensor_count(const void *state) {
  train_hdr *h = NULL;
  return state_of(state, &h) ? -1 : h->ntensor;
}

/* Where tensor t lives: name, shape, element offset in the parameter block
 * (or, for running statistics, in the running block: *running = 1). */
static int locate(const train_hdr *h, int t, char *name, size_t cap, int *shape, size_t *off,
                  int *running) {
  const size_t L = (size_t)h->depth, W = (size_t)h->width;
  const int per_norm = h->norm == GL_NORM_BATCH ? 4 : h->norm ? 2 : 0;
  if (t < 0 || t >= h->ntensor)
    return gl_fail(GL_EINVAL, "tensor index %d out of 0..%d", t, h->ntensor - 1);
  size_t u = (size_t)t;
  *running = 0;
  if (u < 2 + 2 * L) { /* stem, hidden */
    const size_t l = u / 2, bias = u % 2;
    if (l == 0)
      snprintf(name, cap, "stem.%s", bias ? "bias" : "weight");
    else
      snprintf(name, cap, "hidden.%zu.%s", l - 1, bias ? "bias" : "weight");
    shape[0] = (int)W;
    shape[1] = bias ? 0 : l == 0 ? 2 : (int)W;
    *off = bias ? lin_b_off(h, l) : lin_w_off(h, l);
    return GL_OK;
  }
  u -= 2 + 2 * L;
  if (u < (size_t)per_norm * L) {
    static const char *const what[4] = {"weight", "bias", "running_mean", "running_var"};
    const size_t l = u / (size_t)per_norm, k = u % (size_t)per_norm;
    snprintf(name, cap, "norms.%zu.%s", l, what[k]);
    shape[0] = (int)W;
    shape[1] = 0;
    *running = k >= 2;
    *off = k < 2 ? norm_off(h, l) + k * W : 2 * W * l + (k - 2) * W;
    return GL_OK;
  }
  u -= (size_t)per_norm * L;
  snprintf(name, cap, "head.%s", u ? "bias" : "weight");
  shape[0] = 2;
  shape[1] = u ? 0 : (int)W;
  *off = u ? lin_b_off(h, L + 1) : lin_w_off(h, L + 1);
  return GL_OK;
}

int gl_train_tensor_info(const void *state, int t, char *name, int cap, int *shape) {
  int st, running;
  train_hdr *h = NULL;
  size_t off;
  char tmp[48];
  if ((st = state_of(state, &h)) || (st = gl_check_ptr("name", name)) ||
      (st = gl_check_ptr("shape", shape)) || (st = gl_check_count("cap", cap, 32, INT_MAX)) ||
      (st = locate(h, t, tmp, sizeof tmp, shape, &off, &running)))
    return st;
  snprintf(name, (size_t)cap, "%s", tmp);
  return GL_OK;
}

/* Element pointer and count of tensor t. */
static int tensor_at(const void *state, int t, char **at, size_t *count) {
  int st, running, shape[2];
  train_hdr *h = NULL;
  size_t off;
  char name[48];
  if ((st = state_of(state, &h)) || (st = locate(h, t, name, sizeof name, shape, &off, &running)))
    return st;
  const size_t es = (size_t)gl_dtype_size(h->dtype);
  *at = (char *)(uintptr_t)state + (running ? h->off_run : h->off_param) + off * es;
  *count = (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1) * es;
  return GL_OK;
}

int gl_train_get(const void *state, int t, void *out) {
  int st;
  char *at;
  size_t bytes;
  if ((st = gl_check_ptr("out", out)) || (st = tensor_at(state, t, &at, &bytes))) return st;
  memcpy(out, at, bytes);
  return GL_OK;
}

int gl_train_set(void *state, int t, const void *in) {
  int st;
  char *at;
  size_t bytes;
  if ((st = gl_check_ptr("in", in)) || (st = tensor_at(state, t, &at, &bytes))) return st;
  memcpy(at, in, bytes);
  return GL_OK;
}

int gl_train_get_grad(const void *state, int t, void *out) {
  int st, running, shape[2];
  train_hdr *h = NULL;
  size_t off;
  char name[48];
  if ((st = state_of(state, &h)) || (st = gl_check_ptr("out", out)) ||
      (st = locate(h, t, name, sizeof name, shape, &off, &running)))
    return st;
  const size_t es = (size_t)gl_dtype_size(h->dtype),
               bytes = (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1) * es;
  if (running)
    memset(out, 0, bytes);
  else
    memcpy(out, (const char *)state + h->off_grad + off * es, bytes);
  return GL_OK;
}

int gl_train_data(const void *state, void *X, int32_t *y) {
  int st;
  train_hdr *h = NULL;
  if ((st = state_of(state, &h)) || (st = gl_check_ptr("X", X)) || (st = gl_check_ptr("y", y)))
    return st;
  const char *b = state;
  memcpy(X, b + h->off_x, (size_t)h->rows * 2 * (size_t)gl_dtype_size(h->dtype));
  memcpy(y, b + h->off_y, (size_t)h->rows * sizeof(int32_t));
  return GL_OK;
}

int gl_train_set_data(void *state, const void *X, const int32_t *y) {
  int st;
  train_hdr *h = NULL;
  if ((st = state_of(state, &h)) || (st = gl_check_ptr("X", X)) || (st = gl_check_ptr("y", y)))
    return st;
  for (int i = 0; i < h->rows; i++)
    if (y[i] != 0 && y[i] != 1) return gl_fail(GL_EINVAL, "y[%d] = %d is not a class (0 or 1)", i, y[i]);
  char *b = state;
  memcpy(b + h->off_x, X, (size_t)h->rows * 2 * (size_t)gl_dtype_size(h->dtype));
  memcpy(b + h->off_y, y, (size_t)h->rows * sizeof(int32_t));
  return GL_OK;
}

/* Where the optimizer keeps moment `which` of parameter tensor t. */
static int moment_at(const void *state, int t, int which, char **at, size_t *bytes) {
  int st, running, shape[2];
  train_hdr *h = NULL;
  size_t off;
  char name[48];
  if ((st = state_of(state, &h)) || (st = locate(h, t, name, sizeof name, shape, &off, &running)))
    return st;
  if (running) return gl_fail(GL_EINVAL, "%s is a running statistic: it has no optimizer state", name);
  if (which != 0 && which != 1) return gl_fail(GL_EINVAL, "moment must be 0 or 1, got %d", which);
  if (h->opt == GL_OPT_SGD || (which == 1 && h->opt != GL_OPT_ADAM))
    return gl_fail(GL_EINVAL, "this optimizer keeps no %s", which ? "exp_avg_sq" : "momentum or exp_avg");
  const size_t es = (size_t)gl_dtype_size(h->dtype);
  *at = (char *)(uintptr_t)state + (which ? h->off_v : h->off_m) + off * es;
  *bytes = (size_t)shape[0] * (size_t)(shape[1] ? shape[1] : 1) * es;
  return GL_OK;
}

int gl_train_get_moment(const void *state, int t, int which, void *out) {
  int st;
  char *at = NULL;
  size_t bytes = 0;
  if ((st = gl_check_ptr("out", out)) || (st = moment_at(state, t, which, &at, &bytes))) return st;
  memcpy(out, at, bytes);
  return GL_OK;
}

int gl_train_set_moment(void *state, int t, int which, const void *in) {
  int st;
  char *at = NULL;
  size_t bytes = 0;
  if ((st = gl_check_ptr("in", in)) || (st = moment_at(state, t, which, &at, &bytes))) return st;
  memcpy(at, in, bytes);
  return GL_OK;
}

int gl_train_get_steps(const void *state, double *steps) {
  int st;
  train_hdr *h = NULL;
  if ((st = state_of(state, &h)) || (st = gl_check_ptr("steps", steps))) return st;
  *steps = h->steps;
  return GL_OK;
}

int gl_train_set_steps(void *state, double steps) {
  int st;
  train_hdr *h = NULL;
  if ((st = state_of(state, &h))) return st;
  if (!(steps >= 0 && steps <= 9007199254740992.0 && steps == floor(steps)))
    return gl_fail(GL_EINVAL, "steps must be an integer in [0, 2^53], got %g", steps);
  h->steps = steps;
  return GL_OK;
}
