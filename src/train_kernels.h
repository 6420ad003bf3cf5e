/*
 * train_kernels.h — the element-type-dependent half of train.c, included
 * twice by it: with T = float, F(x) = x##_f, DT = GL_F32 and with T = double,
 * F(x) = x##_d, DT = GL_F64, and SIMD_T 1 where the float32 column
 * reductions have wasm SIMD forms (train.c).  Arithmetic on tensors is in T, as PyTorch's
 * kernels; reductions (bias gradients, norm statistics and their backward
 * sums, the loss) are accumulated in double and rounded once.
 * Not a header of the API: it has no include guard on purpose.
 */

/* z[r, j] += b[j] for a rows × cols z. */
static void F(add_bias)(size_t rows, size_t cols, T *z, const T *b) {
  for (size_t r = 0; r < rows; r++) {
    T *row = z + r * cols;
    for (size_t j = 0; j < cols; j++) row[j] += b[j];
  }
}

#if SIMD_T
/* acc[j] = Σ_r TERM(g[r, j]) in double for cols % 4 == 0, TERM(v, at) the
 * terms of a float64 pair v of columns at, at + 1: blocks of 8 columns (then
 * one of 4), their sums in registers down the rows (in memory, each row's
 * adds waited on the previous row's stores). */
#define COL_SUMS(TERM)                                                           \
  do {                                                                           \
    size_t j = 0;                                                                \
    for (; j + 8 <= cols; j += 8) {                                              \
      v128_t s0 = wasm_f64x2_splat(0), s1 = s0, s2 = s0, s3 = s0;                \
      for (const T *p = g + j, *end = p + rows * cols; p != end; p += cols) {    \
        const v128_t x = wasm_v128_load(p), y = wasm_v128_load(p + 4);           \
        s0 = wasm_f64x2_add(s0, TERM(lo_f64(x), j));                             \
        s1 = wasm_f64x2_add(s1, TERM(hi_f64(x), j + 2));                         \
        s2 = wasm_f64x2_add(s2, TERM(lo_f64(y), j + 4));                         \
        s3 = wasm_f64x2_add(s3, TERM(hi_f64(y), j + 6));                         \
      }                                                                          \
      store8(acc + j, s0, s1, s2, s3);                                           \
    }                                                                            \
    if (j < cols) {                                                              \
      v128_t s0 = wasm_f64x2_splat(0), s1 = s0;                                  \
      for (const T *p = g + j, *end = p + rows * cols; p != end; p += cols) {    \
        const v128_t x = wasm_v128_load(p);                                      \
        s0 = wasm_f64x2_add(s0, TERM(lo_f64(x), j));                             \
        s1 = wasm_f64x2_add(s1, TERM(hi_f64(x), j + 2));                         \
      }                                                                          \
      wasm_v128_store(acc + j, s0);                                              \
      wasm_v128_store(acc + j + 2, s1);                                          \
    }                                                                            \
  } while (0)
#define VALUE(v, at) (v)
/* (v − mean)², the mean's loads invariant in the loop */
#define SQDEV(v, at) sq_f64(wasm_f64x2_sub(v, wasm_v128_load(mean + (at))))
#endif

/* acc[j] = Σ_r g[r, j] in double, over the rows in order. */
static void F(col_acc)(size_t rows, size_t cols, const T *g, double *acc) {
#if SIMD_T
  if (cols % 4 == 0) {
    COL_SUMS(VALUE);
    return;
  }
#endif
  for (size_t j = 0; j < cols; j++) acc[j] = 0;
  for (size_t r = 0; r < rows; r++) {
    const T *row = g + r * cols;
    for (size_t j = 0; j < cols; j++) acc[j] += (double)row[j];
  }
}

/* out[j] = Σ_r g[r, j] in double, rounded once (a bias gradient). */
static void F(col_sum)(size_t rows, size_t cols, const T *g, T *out, double *acc) {
  F(col_acc)(rows, cols, g, acc);
  for (size_t j = 0; j < cols; j++) out[j] = (T)acc[j];
}

/* acc[j] = Σ_r (g[r, j] − mean[j])² in double. */
static void F(col_sqdev)(size_t rows, size_t cols, const T *g, const double *mean, double *acc) {
#if SIMD_T
  if (cols % 4 == 0) {
    COL_SUMS(SQDEV);
    return;
  }
#endif
  for (size_t j = 0; j < cols; j++) acc[j] = 0;
  for (size_t r = 0; r < rows; r++)
    for (size_t j = 0; j < cols; j++) {
      const double d = (double)g[r * cols + j] - mean[j];
      acc[j] += d * d;
    }
}
#if SIMD_T
#undef COL_SUMS
#undef VALUE
#undef SQDEV
#endif

/* BatchNorm's normalisation, per unit j of a rows × W y, in place:
 * x̂ = (y − mean[j])·inv[j] in double rounded once, then p = γ·x̂ + β. */
static void F(bn_apply)(size_t rows, size_t W, T *y, T *p, const double *mean, const double *inv,
                        const T *gam, const T *bet) {
#if SIMD_T
  if (W % 4 == 0) {
    for (size_t r = 0; r < rows; r++)
      for (size_t j = 0; j < W; j += 4) {
        T *yi = y + r * W + j;
        const v128_t x = wasm_v128_load(yi);
        const v128_t lo = wasm_f64x2_mul(wasm_f64x2_sub(lo_f64(x), wasm_v128_load(mean + j)),
                                         wasm_v128_load(inv + j));
        const v128_t hi = wasm_f64x2_mul(wasm_f64x2_sub(hi_f64(x), wasm_v128_load(mean + j + 2)),
                                         wasm_v128_load(inv + j + 2));
        const v128_t xh = to_f32(lo, hi);
        wasm_v128_store(yi, xh);
        wasm_v128_store(p + r * W + j, wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(gam + j), xh),
                                                      wasm_v128_load(bet + j)));
      }
    return;
  }
#endif
  for (size_t r = 0; r < rows; r++)
    for (size_t j = 0; j < W; j++) {
      const size_t i = r * W + j;
      y[i] = (T)(((double)y[i] - mean[j]) * inv[j]);
      p[i] = gam[j] * y[i] + bet[j];
    }
}

/* BatchNorm1d forward on y (rows × W) in place → x̂, then p = γ·x̂ + β.
 * Training mode: batch mean and biased variance (eps 1e-5); with `update`
 * the running mean/var move by momentum 0.1 towards the batch mean and the
 * UNBIASED variance, as torch.  Eval mode: the running statistics. */
static void F(batchnorm_fwd)(const tview *v, size_t l, size_t rows, T *y, T *p, int mode) {
  const size_t W = (size_t)v->h->width;
  const T *gam = (const T *)v->param + norm_off(v->h, l), *bet = gam + W;
  T *rm = (T *)v->run + 2 * W * l, *rv = rm + W;
  double *mean = v->sum, *var = v->sum + W, *inv = v->invstd + l * v->h->invstd_stride;
  if (mode == MODE_EVAL) {
    for (size_t j = 0; j < W; j++) {
      mean[j] = (double)rm[j];
      inv[j] = 1.0 / sqrt((double)rv[j] + BN_EPS);
    }
    F(bn_apply)(rows, W, y, p, mean, inv, gam, bet);
    return;
  }
  F(col_acc)(rows, W, y, mean);
  for (size_t j = 0; j < W; j++) mean[j] /= (double)rows;
  F(col_sqdev)(rows, W, y, mean, var);
  for (size_t j = 0; j < W; j++) {
    inv[j] = 1.0 / sqrt(var[j] / (double)rows + BN_EPS);
    if (mode == MODE_TRAIN_UPDATE) {
      rm[j] = (T)(BN_MOMENTUM * mean[j] + (1 - BN_MOMENTUM) * (double)rm[j]);
      rv[j] = (T)(BN_MOMENTUM * var[j] / (double)(rows - 1) + (1 - BN_MOMENTUM) * (double)rv[j]);
    }
  }
  F(bn_apply)(rows, W, y, p, mean, inv, gam, bet);
}

/* LayerNorm(W) forward on y (rows × W) in place → x̂, p = γ·x̂ + β: per row
 * mean and biased variance over the units, eps 1e-5 (same in every mode). */
static void F(layernorm_fwd)(const tview *v, size_t l, size_t rows, T *y, T *p) {
  const size_t W = (size_t)v->h->width;
  const T *gam = (const T *)v->param + norm_off(v->h, l), *bet = gam + W;
  double *inv = v->invstd + l * v->h->invstd_stride;
  for (size_t r = 0; r < rows; r++) {
    T *row = y + r * W, *out = p + r * W;
    double m = 0, s = 0;
    for (size_t j = 0; j < W; j++) m += (double)row[j];
    m /= (double)W;
    for (size_t j = 0; j < W; j++) s += ((double)row[j] - m) * ((double)row[j] - m);
    inv[r] = 1.0 / sqrt(s / (double)W + LN_EPS);
    for (size_t j = 0; j < W; j++) {
      row[j] = (T)(((double)row[j] - m) * inv[r]);
      out[j] = gam[j] * row[j] + bet[j];
    }
  }
}

/* The forward pass on `rows` inputs xin (rows × 2) into the state's caches
 * and logits.  Stem z_0 = x·W_0ᵀ + b_0, h_0 = φ(z_0); block l: y = h·W_lᵀ + b_l
 * (kept as x̂ when normalised), p = Norm(y) or y, a = φ(p), h ← h + a or a;
 * logits = h_L·W_headᵀ + b_head. */
static void F(forward)(const tview *v, size_t rows, const T *xin, int mode) {
  const train_hdr *h = v->h;
  const size_t W = (size_t)h->width, L = (size_t)h->depth, nw = rows * W;
  const T *P = v->param;
  T *z0 = v->z0, *h0 = v->h0;
  gl_matmul_packed(DT, 0, 1, rows, W, 2, xin, P + lin_w_off(h, 0), z0, v->pack);
  F(add_bias)(rows, W, z0, P + lin_b_off(h, 0));
  gl_act_forward(h->act, DT, (int)nw, z0, h0);
  const T *hin = h0;
  for (size_t l = 0; l < L; l++) {
    T *p = blk(v, l, BLK_P), *a = blk(v, l, BLK_A), *y = h->norm ? blk(v, l, BLK_XHAT) : p;
    gl_matmul_packed(DT, 0, 1, rows, W, W, hin, P + lin_w_off(h, l + 1), y, v->pack);
    F(add_bias)(rows, W, y, P + lin_b_off(h, l + 1));
    if (h->norm == GL_NORM_BATCH)
      F(batchnorm_fwd)(v, l, rows, y, p, mode);
    else if (h->norm == GL_NORM_LAYER)
      F(layernorm_fwd)(v, l, rows, y, p);
    gl_act_forward(h->act, DT, (int)nw, p, a);
    if (h->residual) {
      T *hout = blk(v, l, BLK_H);
      for (size_t i = 0; i < nw; i++) hout[i] = hin[i] + a[i];
      hin = hout;
    } else {
      hin = a;
    }
  }
  T *logit = v->logit;
  gl_matmul_packed(DT, 0, 1, rows, 2, W, hin, P + lin_w_off(h, L + 1), logit, v->pack);
  F(add_bias)(rows, 2, logit, P + lin_b_off(h, L + 1));
}

/* Mean softmax cross-entropy of the logits against y over rows (in double),
 * accuracy, and with `grad` ∂loss/∂logits = (softmax − onehot)/rows.  The
 * log-probabilities are (o − m) − log Σ e^(o − m), as torch's log_softmax: a
 * tie o₀ = o₁ then gives p = ½ exactly, so the two classes' gradients cancel
 * exactly (as torch's do) when the head's rows are equal (a constant init). */
static void F(cross_entropy)(const tview *v, size_t rows, int grad, double *loss, double *acc) {
  const T *o = v->logit;
  T *d = v->dlogit;
  double sum = 0, hits = 0;
  for (size_t r = 0; r < rows; r++) {
    const double o0 = (double)o[2 * r], o1 = (double)o[2 * r + 1];
    const double m = o0 > o1 ? o0 : o1, ls = log(exp(o0 - m) + exp(o1 - m));
    const double l0 = (o0 - m) - ls, l1 = (o1 - m) - ls; /* log-probabilities */
    const int c = v->y[r];
    sum -= c ? l1 : l0;
    hits += (o1 > o0 ? 1 : 0) == c;
    if (grad) {
      const double p1 = exp(l1), p0 = exp(l0);
      d[2 * r] = (T)((p0 - (c == 0)) / (double)rows);
      d[2 * r + 1] = (T)((p1 - (c == 1)) / (double)rows);
    }
  }
  *loss = sum / (double)rows;
  *acc = hits / (double)rows;
}

/* Norm backward in place: dp (rows × W, ∂loss/∂p) → ∂loss/∂y, writing
 * ∂γ = Σ dp·x̂ and ∂β = Σ dp into the gradients.  With dx̂ = γ·dp:
 *   BatchNorm (per unit, over the batch): dy = inv/n·(n·dx̂ − Σdx̂ − x̂·Σdx̂·x̂)
 *   LayerNorm (per row, over the units):  dy = inv/W·(W·dx̂ − Σdx̂ − x̂·Σdx̂·x̂) */
static void F(norm_bwd)(const tview *v, size_t l, size_t rows, T *dp) {
  const train_hdr *h = v->h;
  const size_t W = (size_t)h->width;
  const T *xh = blk(v, l, BLK_XHAT), *gam = (const T *)v->param + norm_off(h, l);
  T *dgam = (T *)v->grad + norm_off(h, l), *dbet = dgam + W;
  const double *inv = v->invstd + l * h->invstd_stride;
  double *sg = v->sum, *sb = v->sum + W;
#if SIMD_T
  if (W % 4 == 0)
    /* 4 columns at a time, the sums in registers (as col_acc) */
    for (size_t j = 0; j < W; j += 4) {
      v128_t g0 = wasm_f64x2_splat(0), g1 = g0, b0 = g0, b1 = g0;
      for (size_t i = j, end = j + rows * W; i != end; i += W) {
        const v128_t d = wasm_v128_load(dp + i), x = wasm_v128_load(xh + i);
        const v128_t dlo = lo_f64(d), dhi = hi_f64(d);
        g0 = wasm_f64x2_add(g0, wasm_f64x2_mul(dlo, lo_f64(x)));
        g1 = wasm_f64x2_add(g1, wasm_f64x2_mul(dhi, hi_f64(x)));
        b0 = wasm_f64x2_add(b0, dlo);
        b1 = wasm_f64x2_add(b1, dhi);
      }
      wasm_v128_store(sg + j, g0);
      wasm_v128_store(sg + j + 2, g1);
      wasm_v128_store(sb + j, b0);
      wasm_v128_store(sb + j + 2, b1);
    }
  else
#endif
  {
    for (size_t j = 0; j < W; j++) sg[j] = sb[j] = 0;
    for (size_t r = 0; r < rows; r++)
      for (size_t j = 0; j < W; j++) {
        const size_t i = r * W + j;
        sg[j] += (double)dp[i] * (double)xh[i];
        sb[j] += (double)dp[i];
      }
  }
  for (size_t j = 0; j < W; j++) dgam[j] = (T)sg[j], dbet[j] = (T)sb[j];
  if (h->norm == GL_NORM_BATCH) {
    /* Σdx̂ = γ·Σdp = γ·∂β, Σdx̂·x̂ = γ·∂γ; from here sb, sg hold their means */
    const double n = (double)rows;
    for (size_t j = 0; j < W; j++) sb[j] /= n, sg[j] /= n;
#if SIMD_T
    if (W % 4 == 0) {
      for (size_t r = 0; r < rows; r++)
        for (size_t j = 0; j < W; j += 4) {
          T *di = dp + r * W + j;
          const v128_t d = wasm_v128_load(di), x = wasm_v128_load(xh + r * W + j),
                       g = wasm_v128_load(gam + j);
          const v128_t lo = wasm_f64x2_mul(
              wasm_f64x2_mul(lo_f64(g), wasm_v128_load(inv + j)),
              wasm_f64x2_sub(wasm_f64x2_sub(lo_f64(d), wasm_v128_load(sb + j)),
                             wasm_f64x2_mul(lo_f64(x), wasm_v128_load(sg + j))));
          const v128_t hi = wasm_f64x2_mul(
              wasm_f64x2_mul(hi_f64(g), wasm_v128_load(inv + j + 2)),
              wasm_f64x2_sub(wasm_f64x2_sub(hi_f64(d), wasm_v128_load(sb + j + 2)),
                             wasm_f64x2_mul(hi_f64(x), wasm_v128_load(sg + j + 2))));
          wasm_v128_store(di, to_f32(lo, hi));
        }
      return;
    }
#endif
    for (size_t r = 0; r < rows; r++)
      for (size_t j = 0; j < W; j++) {
        const size_t i = r * W + j;
        const double g = (double)gam[j];
        dp[i] = (T)(g * inv[j] * ((double)dp[i] - sb[j] - (double)xh[i] * sg[j]));
      }
  } else {
    const double n = (double)W;
    for (size_t r = 0; r < rows; r++) {
      T *d = dp + r * W;
      const T *x = xh + r * W;
      double A = 0, B = 0;
      for (size_t j = 0; j < W; j++) {
        const double dx = (double)gam[j] * (double)d[j];
        A += dx;
        B += dx * (double)x[j];
      }
      for (size_t j = 0; j < W; j++)
        d[j] = (T)(inv[r] * ((double)gam[j] * (double)d[j] - A / n - (double)x[j] * B / n));
    }
  }
}

/* Backward pass after F(forward) on the data and F(cross_entropy) with grad:
 * every parameter gradient into v->grad. */
static void F(backward)(const tview *v) {
  const train_hdr *h = v->h;
  const size_t W = (size_t)h->width, L = (size_t)h->depth, n = (size_t)h->rows, nw = n * W;
  const T *P = v->param;
  T *G = v->grad, *dh = v->dh, *dp = v->dp, *tmp = v->tmp;
  const T *hL = L ? hidden_out(v, L - 1) : v->h0;
  /* head: ∂W = ∂oᵀ·h_L, ∂b = Σ ∂o, ∂h_L = ∂o·W */
  gl_matmul_packed(DT, 1, 0, 2, W, n, v->dlogit, hL, G + lin_w_off(h, L + 1), v->pack);
  F(col_sum)(n, 2, v->dlogit, G + lin_b_off(h, L + 1), v->sum);
  gl_matmul_packed(DT, 0, 0, n, W, 2, v->dlogit, P + lin_w_off(h, L + 1), dh, v->pack);
  for (size_t l = L; l-- > 0;) {
    const T *hin = l ? hidden_out(v, l - 1) : v->h0;
    /* ∂p = ∂a ⊙ φ'(p): the factor by which each block can shrink a gradient */
    gl_act_backward(h->act, DT, (int)nw, blk(v, l, BLK_P), blk(v, l, BLK_A), dh, dp);
    if (h->norm) F(norm_bwd)(v, l, n, dp);
    gl_matmul_packed(DT, 1, 0, W, W, n, dp, hin, G + lin_w_off(h, l + 1), v->pack);
    F(col_sum)(n, W, dp, G + lin_b_off(h, l + 1), v->sum);
    if (h->residual) {
      /* h_l = h_{l−1} + a_l: the identity path carries ∂h past the block */
      gl_matmul_packed(DT, 0, 0, n, W, W, dp, P + lin_w_off(h, l + 1), tmp, v->pack);
      for (size_t i = 0; i < nw; i++) dh[i] += tmp[i];
    } else {
      gl_matmul_packed(DT, 0, 0, n, W, W, dp, P + lin_w_off(h, l + 1), dh, v->pack);
    }
  }
  gl_act_backward(h->act, DT, (int)nw, v->z0, v->h0, dh, dp);
  gl_matmul_packed(DT, 1, 0, W, 2, n, dp, v->x, G + lin_w_off(h, 0), v->pack);
  F(col_sum)(n, W, dp, G + lin_b_off(h, 0), v->sum);
}

/* Σ x² over n entries, in double. */
static double F(sumsq)(size_t n, const T *x) {
  double s = 0;
  for (size_t i = 0; i < n; i++) s += (double)x[i] * (double)x[i];
  return s;
}

/* clip_grad_value_: clamp to [−c, c] (NaN stays NaN); 1 if an entry moved. */
static int F(clip_value)(size_t n, T *g, double c) {
  const T hi = (T)c, lo = -hi;
  int acted = 0;
  for (size_t i = 0; i < n; i++) {
    if (g[i] > hi) g[i] = hi, acted = 1;
    else if (g[i] < lo) g[i] = lo, acted = 1;
  }
  return acted;
}

/* clip_grad_norm_ as torch 1.13: coef = c/(total + 1e-6) in the dtype,
 * clamped to ≤ 1 (NaN stays NaN) and multiplied into every gradient, also
 * when it is 1; an infinite total gives coef 0 and ∞·0 = NaN entries. */
static int F(clip_norm)(size_t n, T *g, double c, double total) {
  const T coef_raw = (T)c / ((T)total + (T)1e-6);
  const T coef = coef_raw > (T)1 ? (T)1 : coef_raw;
  for (size_t i = 0; i < n; i++) g[i] *= coef;
  return coef < (T)1;
}

/* The optimizer on one tensor (n entries at offset off), step count k ≥ 1
 * (after increment).  SGD: p −= lr·g.  Momentum 0.9 (dampening 0): buf = g at
 * the first step, then buf = 0.9·buf + g; p −= lr·buf.  Adam (torch 1.13,
 * single-tensor): m = 0.9·m + 0.1·g, v = 0.999·v + 0.001·g², denom =
 * √v/√(1 − 0.999^k) + 1e-8, p −= (lr/(1 − 0.9^k))·m/denom.  Scalars are
 * rounded to the dtype as PyTorch's kernels do.  Returns Σ(p_new − p_old)²
 * and adds Σ p_old² to *old2, both from the stored values. */
static double F(update)(const tview *v, size_t off, size_t n, double k, double *old2) {
  const train_hdr *h = v->h;
  T *p = (T *)v->param + off, *g = (T *)v->grad + off, *m = (T *)v->m + off, *s = (T *)v->v + off;
  double d2 = 0, o2 = 0;
  if (h->opt == GL_OPT_SGD) {
    const T a = (T)(-h->lr);
    for (size_t i = 0; i < n; i++) {
      const T old = p[i];
      p[i] = old + a * g[i];
      d2 += ((double)p[i] - (double)old) * ((double)p[i] - (double)old);
      o2 += (double)old * (double)old;
    }
  } else if (h->opt == GL_OPT_MOMENTUM) {
    const T a = (T)(-h->lr), mu = (T)0.9;
    for (size_t i = 0; i < n; i++) {
      const T old = p[i];
      m[i] = k == 1 ? g[i] : m[i] * mu + g[i];
      p[i] = old + a * m[i];
      d2 += ((double)p[i] - (double)old) * ((double)p[i] - (double)old);
      o2 += (double)old * (double)old;
    }
  } else {
    const double b1 = 0.9, b2 = 0.999;
    const double bc1 = 1 - pow(b1, k), bc2s = sqrt(1 - pow(b2, k));
    const T tb1 = (T)b1, tb2 = (T)b2, a1 = (T)(1 - b1), a2 = (T)(1 - b2), tbc2s = (T)bc2s,
            eps = (T)1e-8, step = (T)(-(h->lr / bc1));
    for (size_t i = 0; i < n; i++) {
      const T old = p[i];
      m[i] = m[i] * tb1 + a1 * g[i];
      s[i] = s[i] * tb2 + a2 * (g[i] * g[i]);
      const T denom = (T)sqrt(s[i]) / tbc2s + eps;
      p[i] = old + step * (m[i] / denom);
      d2 += ((double)p[i] - (double)old) * ((double)p[i] - (double)old);
      o2 += (double)old * (double)old;
    }
  }
  *old2 += o2;
  return d2;
}

/* max over rows of (max − min over units) of a rows × W tensor; NaN propagates. */
static double F(spread)(size_t rows, size_t W, const T *a) {
  double worst = 0;
  for (size_t r = 0; r < rows; r++) {
    const T *row = a + r * W;
    T lo = row[0], hi = row[0];
    int nan = 0;
    for (size_t j = 0; j < W; j++) {
      nan |= row[j] != row[j];
      lo = row[j] < lo ? row[j] : lo;
      hi = row[j] > hi ? row[j] : hi;
    }
    const double d = nan ? NAN : (double)hi - (double)lo;
    if (isnan(d) || isnan(worst))
      worst = NAN;
    else if (d > worst)
      worst = d;
  }
  return worst;
}
