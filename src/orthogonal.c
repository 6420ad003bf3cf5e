/*
 * orthogonal.c — Haar-random orthogonal matrices, as torch.nn.init.orthogonal_.
 *
 * Recipe: draw A (m×k, m = max(rows, cols), k = min) with i.i.d. N(0,1)
 * entries, factor A = QR by Householder reflections, and multiply column j of
 * the thin Q by sign(R_jj).  The QR factorisation is unique once diag(R) > 0
 * is imposed, and the Gaussian law of A is invariant under A ↦ OA for any
 * orthogonal O; so the Q with positive-diagonal R satisfies Q(OA) = O·Q(A) and
 * is uniform (Haar) on the Stiefel manifold.  Householder QR does not produce
 * a positive diagonal: it picks R_jj = −sign(a_jj)·‖a_j‖ to avoid
 * cancellation, so without the sign fix every draw would have
 * Q_00 = a_00 / R_00 = −|a_00|/‖a_0‖ ≤ 0 — a visibly biased "random" matrix.
 * Multiplying by sign(R_jj) (sign 0 taken as +1, a probability-zero event)
 * restores the positive-diagonal convention.  If rows < cols the m×k result
 * is transposed, giving orthonormal rows.
 *
 * Draw order: gl_random_orthogonal's m·k normals fill A row by row (A is
 * m×k), so a rows×cols call and a cols×rows call on the same stream return
 * transposes of each other; gl_torch_orthogonal draws as torch does (below).
 */
#include <math.h>
#include <stdlib.h>

#include "internal.h"

/* y ← (I − τ v vᵀ) y on `len` entries, v = (1, v[1..len−1]). */
static void apply_reflector(int len, const double *v, double tau, double *y) {
  double dot = y[0];
  for (int i = 1; i < len; i++) dot += v[i] * y[i];
  dot *= tau;
  y[0] -= dot;
  for (int i = 1; i < len; i++) y[i] -= dot * v[i];
}

/* The orthogonal matrix of a rows×cols draw, into q: fill(a, rows, cols,
 * ctx) writes the m×k Gaussian A column-major, A(i, j) = a[j·m + i]. */
typedef void (*gaussian_fill)(double *a, int rows, int cols, void *ctx);
static int orthogonal_of(int rows, int cols, double scale, int dtype, const void *rng, void *q,
                         gaussian_fill fill, void *ctx) {
  int st;
  if ((st = gl_check_count("rows", rows, 1, GL_ORTHO_MAX_SIDE)) ||
      (st = gl_check_count("cols", cols, 1, GL_ORTHO_MAX_SIDE)) ||
      (st = gl_check_finite("scale", scale)) || (st = gl_check_dtype(dtype)) ||
      (st = gl_check_ptr("rng", rng)) || (st = gl_check_ptr("q", q)))
    return st;
  const int m = rows > cols ? rows : cols, k = rows > cols ? cols : rows;
  const size_t mk = gl_size_mul((size_t)m, (size_t)k);
  /* Scratch: A (m·k, column-major, overwritten by the reflectors and then by
   * Q), τ_j (k) and sign(R_jj) (k). */
  const size_t bytes = gl_size_mul(gl_ortho_scratch_doubles((size_t)m, (size_t)k), sizeof(double));
  if ((st = gl_check_bytes((double)bytes, "the scratch of orthogonal %dx%d", rows, cols))) return st;
  double *a = malloc(bytes);
  if (!a)
    return gl_fail(GL_ENOMEM, "out of memory: orthogonal %dx%d needs %zu bytes", rows, cols,
                   bytes);
  double *tau = a + mk, *sgn = tau + k;

  fill(a, rows, cols, ctx);

  /* Householder QR (LAPACK dgeqr2/dlarfg): H_j = I − τ_j v_j v_jᵀ maps the
   * column x = A(j:m, j) to β e₁ with β = −sign(x₀)‖x‖; v_j (v₀ = 1) is
   * stored below the diagonal, β = R_jj on it. */
  for (int j = 0; j < k; j++) {
    double *x = a + (size_t)j * m + j;
    const int len = m - j;
    double tail = 0.0; /* Gaussian entries, m ≤ 4096: no overflow risk */
    for (int i = 1; i < len; i++) tail += x[i] * x[i];
    const double alpha = x[0];
    if (tail == 0.0) { /* already e₁-shaped: H_j = I, R_jj = α */
      tau[j] = 0.0;
      sgn[j] = alpha < 0 ? -1.0 : 1.0;
      continue;
    }
    const double beta = -copysign(sqrt(alpha * alpha + tail), alpha);
    tau[j] = (beta - alpha) / beta;
    const double inv = 1.0 / (alpha - beta);
    for (int i = 1; i < len; i++) x[i] *= inv;
    x[0] = beta;
    sgn[j] = beta < 0 ? -1.0 : 1.0;
    for (int c = j + 1; c < k; c++) apply_reflector(len, x, tau[j], a + (size_t)c * m + j);
  }

  /* Thin Q = H_0 H_1 … H_{k−1} [I_k; 0], accumulated in place backwards
   * (LAPACK dorg2r): when reflector j is reached, columns > j already hold
   * H_{j+1}…H_{k−1} e_c, and column j becomes H_j e_j = e_j − τ_j v_j. */
  for (int j = k - 1; j >= 0; j--) {
    double *v = a + (size_t)j * m + j;
    const int len = m - j;
    for (int c = j + 1; c < k; c++) apply_reflector(len, v, tau[j], a + (size_t)c * m + j);
    for (int i = 1; i < len; i++) v[i] *= -tau[j];
    v[0] = 1.0 - tau[j];
    for (int i = 0; i < j; i++) a[(size_t)j * m + i] = 0.0;
  }

  /* Q·diag(sign R)·scale, written row-major rows×cols (transposed if the
   * matrix is wide). */
  for (int j = 0; j < k; j++) {
    const double f = sgn[j] * scale;
    for (int i = 0; i < m; i++) {
      const double val = f * a[(size_t)j * m + i];
      const size_t at = rows >= cols ? (size_t)i * cols + j : (size_t)j * cols + i;
      gl_set(dtype, q, at, val);
    }
  }
  free(a);
  return GL_OK;
}

/* GradLab's stream fills A row by row. */
static void fill_rows(double *a, int rows, int cols, void *r) {
  const int m = rows > cols ? rows : cols, k = rows > cols ? cols : rows;
  for (int i = 0; i < m; i++)
    for (int j = 0; j < k; j++) a[(size_t)j * m + i] = gl_rng_normal(r);
}

int gl_random_orthogonal(int rows, int cols, double scale, int dtype, gl_rng *r, void *q) {
  return orthogonal_of(rows, cols, scale, dtype, r, q, fill_rows, r);
}

/* torch draws rows×cols float32 normals W row-major and factors A = W when
 * tall, A = Wᵀ when wide (whose column-major layout is W's row-major one).
 * The draws go to q (room for rows·cols floats whatever the dtype), after
 * every check and allocation, and from there into A before q is written. */
struct torch_fill {
  gl_torch_rng *g;
  float *w;
};
static void fill_torch(double *a, int rows, int cols, void *ctx) {
  const struct torch_fill *t = ctx;
  const size_t n = (size_t)rows * (size_t)cols;
  gl_torch_normal(t->g, n, 0.0, 1.0, t->w);
  if (rows < cols)
    for (size_t i = 0; i < n; i++) a[i] = t->w[i];
  else
    for (size_t i = 0; i < (size_t)rows; i++)
      for (size_t j = 0; j < (size_t)cols; j++) a[j * rows + i] = t->w[i * cols + j];
}

int gl_torch_orthogonal(int rows, int cols, double gain, int dtype, gl_torch_rng *g, void *q) {
  struct torch_fill t = {g, q};
  return orthogonal_of(rows, cols, gain, dtype, g, q, fill_torch, &t);
}
