/*
 * mlp_internal.h — the forward and backward pass of the bias-free MLP behind
 * gl_mlp_stats, on caller-owned buffers, so the tests can check the gradients
 * against finite differences.  Not part of the API; sizes are not validated
 * (gl_mlp_stats validates them before allocating).
 */
#ifndef GRADLAB_MLP_INTERNAL_H
#define GRADLAB_MLP_INTERNAL_H

#include "gradlab.h"

/* Supplies W_l (width × width, dtype) for layer l = 1..depth: the forward pass
 * asks for l = 1, 2, …, depth and the backward pass for depth, …, 1.  The
 * pointer need only stay valid until the next call. */
typedef const void *(*gl_mlp_weight)(void *wctx, int layer);

/* A depth-layer net of square (width × width) layers on a batch, all tensors
 * row-major of the given dtype and owned by the caller. */
typedef struct gl_mlp_net {
  int act, depth, width, batch, dtype;
  const void *w; /* depth·width·width: W_l (fan_out × fan_in, as nn.Linear) at offset (l−1)·width²;
                    NULL when `weight` supplies them */
  void *a;       /* (depth+1)·batch·width: a_0 = X (set by the caller), a_1..a_L (forward) */
  void *z;       /* depth·batch·width: z_1..z_L (forward) */
  void *scratch; /* width·width: ∂ℓ/∂W_l during backward */
  void *pack;    /* gl_matmul_pack_elems(width, max(width, batch)): matmul packing space */
  gl_mlp_weight weight; /* used when w is NULL */
  void *wctx;
} gl_mlp_net;

/* z_l = a_{l−1}·W_lᵀ and a_l = φ(z_l) for l = 1..depth, in the dtype's arithmetic. */
void gl_mlp_forward(const gl_mlp_net *net);

/* Called by the backward pass once per layer, l = depth..1, with ∂ℓ/∂a_l and
 * ∂ℓ/∂z_l (batch × width) and ∂ℓ/∂W_l (width × width); valid only during the call. */
typedef void (*gl_mlp_visit)(void *ctx, int layer, const void *grad_a, const void *grad_z,
                             const void *grad_w);

/* Backward pass after gl_mlp_forward: ga (batch × width) holds ∂ℓ/∂a_L on
 * entry and ∂ℓ/∂a_0 = ∂ℓ/∂X on exit; gz (batch × width) is scratch.  Per layer:
 * ∂z_l = ∂a_l ⊙ φ'(z_l), ∂W_l = ∂z_lᵀ·a_{l−1}, ∂a_{l−1} = ∂z_l·W_l.  visit may be NULL. */
void gl_mlp_backward(const gl_mlp_net *net, void *ga, void *gz, gl_mlp_visit visit, void *ctx);

/* gl_mlp_stats keeping the weights for the backward pass only while they take
 * at most cache_bytes (else each is drawn again); the results are the same. */
int gl_mlp_stats_cache(const double *cfg, double *stats, double *hist, double *hist_range,
                       double cache_bytes);

#endif
