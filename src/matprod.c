/*
 * matprod.c — products of random matrices, the Exploding panel.
 *
 * M_0 and every factor W_k are n×n with i.i.d. N(0, σ²) entries (or σ times a
 * Haar orthogonal matrix).  For any fixed row vector x, xW ~ N(0, σ²‖x‖² I),
 * so ‖xW‖²/‖x‖² = σ²χ²_n: each multiplication scales a row by an independent
 * factor, and ln‖M_k‖ performs a random walk with drift
 *   typical = E ln‖xW‖/‖x‖ = ln σ + ½(ln 2 + ψ(n/2))   per step,
 * while the mean square grows as E‖MW‖² = nσ²‖M‖² (rate ½ ln(nσ²) ≥ typical
 * by Jensen: the mean is carried by rare huge trajectories).  The Frobenius
 * norm follows the top row direction after a short transient, so its growth
 * rate is the top Lyapunov exponent (Newman 1986).
 *
 * Random-number order (shared by gl_matprod and gl_matprod_ensemble, so trial
 * 1 of an ensemble reproduces gl_matprod with the same seed): one gl_rng
 * seeded with `seed` draws M_0 first, then W_1, W_2, … each just before its
 * multiplication.  A Gaussian matrix takes n² normals in row-major order
 * (times σ); an orthogonal one is σ·gl_random_orthogonal(n, n).  Factors are
 * always drawn in float64 — float32 runs round them — so the float32 and
 * float64 trajectories of one seed share the same W_k up to rounding.  The
 * stream is one long sequence of normals across matrices and trials.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define LN2 0.69314718055994530942 /* ln 2 (M_LN2 is not ISO C) */

static int check_sigma(double sigma) {
  if (!isfinite(sigma) || !(sigma > 0))
    return gl_fail(GL_EINVAL, "sigma must be a finite number > 0, got %g", sigma);
  return GL_OK;
}

static int check_ensemble(int ensemble) {
  if (ensemble != GL_ENS_GAUSSIAN && ensemble != GL_ENS_ORTHOGONAL)
    return gl_fail(GL_EINVAL, "ensemble must be 0 (gaussian) or 1 (orthogonal), got %d",
                   ensemble);
  return GL_OK;
}

static int check_common(int n, int steps, double sigma, int ensemble) {
  int st;
  if ((st = gl_check_count("n", n, 1, GL_MATPROD_MAX_N)) ||
      (st = gl_check_count("steps", steps, 0, GL_MATPROD_MAX_STEPS)) || (st = check_sigma(sigma)) ||
      (st = check_ensemble(ensemble)))
    return st;
  return GL_OK;
}

/* The next n×n factor, float64, row-major: σ·Z or σ·Q. */
static int draw_factor(int n, double sigma, int ensemble, gl_rng *r, double *w) {
  if (ensemble == GL_ENS_ORTHOGONAL) return gl_random_orthogonal(n, n, sigma, GL_F64, r, w);
  const size_t nn = (size_t)n * (size_t)n;
  gl_rng_normal_fill(r, GL_F64, nn, sigma, w);
  return GL_OK;
}

/* Frobenius norm of len entries of dtype, in float64.  Squares of float32
 * entries cannot overflow a double, but float64 entries beyond ~1e154 (or
 * below ~1e-154) would: then, as LAPACK's dnrm2, scale by the largest |entry|,
 * so the norm is finite whenever every entry is.  Inf entries give Inf, NaN
 * entries NaN. */
static double frobenius(int dtype, const void *a, size_t len) {
  double ssq = 0.0;
  for (size_t i = 0; i < len; i++) {
    const double x = gl_get(dtype, a, i);
    ssq += x * x;
  }
  if (isnan(ssq)) return NAN;
  /* ssq ≥ 2^-960: the largest square is ≥ 2^-972, a normal number, so
   * underflow of smaller squares costs nothing visible.  A sum of 0 is not
   * trusted: nonzero entries below ~1e-162 square to 0 (float64 at σ = 0.25
   * reached them at k = 463 and reported a norm of 0); the scaled sum below
   * says 0 only when every entry is 0. */
  if (isfinite(ssq) && ssq >= 0x1p-960) return sqrt(ssq);
  double amax = 0.0;
  for (size_t i = 0; i < len; i++) {
    const double x = fabs(gl_get(dtype, a, i));
    if (x > amax) amax = x;
  }
  if (isinf(amax)) return INFINITY;
  if (amax == 0.0) return 0.0;
  ssq = 0.0;
  for (size_t i = 0; i < len; i++) {
    const double t = gl_get(dtype, a, i) / amax;
    ssq += t * t;
  }
  return amax * sqrt(ssq);
}

static int all_finite(int dtype, const void *a, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (!isfinite(gl_get(dtype, a, i))) return 0;
  return 1;
}

/* Copies the top-left block×block corner of the n×n matrix m to out. */
static void copy_corner(int dtype, int n, const void *m, int block, void *out) {
  for (int i = 0; i < block; i++)
    for (int j = 0; j < block; j++)
      gl_set(dtype, out, (size_t)i * block + j, gl_get(dtype, m, (size_t)i * n + j));
}

int gl_matprod(int n, int steps, double sigma, int ensemble, int dtype, double seed, int block,
               double *norms, void *first, void *last, void *traj, int *overflow_step) {
  uint64_t s = 0;
  int st;
  if ((st = check_common(n, steps, sigma, ensemble)) || (st = gl_check_dtype(dtype)) ||
      (st = gl_seed_from_double(seed, &s)) || (st = gl_check_count("block", block, 0, n)) ||
      (st = gl_check_ptr("norms", norms)) || (st = gl_check_ptr("overflow_step", overflow_step)))
    return st;
  const size_t nn = (size_t)n * (size_t)n, esz = (size_t)gl_dtype_size(dtype);
  /* Scratch (≤ 4·64² doubles = 128 KiB, too much for a wasm stack): the
   * float64 draw w, its dtype copy wt, the running product m and the next p. */
  const size_t pack = gl_matmul_pack_elems((size_t)n, (size_t)n);
  double *w = malloc(gl_size_mul(gl_size_add(gl_size_mul(4, nn), pack), sizeof(double)));
  if (!w) return gl_fail(GL_ENOMEM, "out of memory: matrix product scratch for n = %d", n);
  void *wt = w + nn, *m = w + 2 * nn, *p = w + 3 * nn, *packed = w + 4 * nn;
  gl_rng r;
  gl_rng_init(&r, s);
  *overflow_step = -1;

  for (int k = 0; k <= steps; k++) {
    if ((st = draw_factor(n, sigma, ensemble, &r, w))) goto done;
    if (k == 0) {
      for (size_t i = 0; i < nn; i++) gl_set(dtype, m, i, w[i]);
    } else {
      for (size_t i = 0; i < nn; i++) gl_set(dtype, wt, i, w[i]);
      /* p = m·w in the dtype's arithmetic, each entry summed in order: float32
       * products overflow as PyTorch's do. */
      gl_matmul_packed(dtype, 0, 0, (size_t)n, (size_t)n, (size_t)n, m, wt, p, packed);
      void *tmp = m;
      m = p;
      p = tmp;
    }
    /* Keep going after overflow: Inf and NaN propagating through the product
     * is exactly what the panel shows. */
    norms[k] = frobenius(dtype, m, nn);
    if (*overflow_step < 0 && !all_finite(dtype, m, nn)) *overflow_step = k;
    if (traj && block > 0)
      copy_corner(dtype, n, m, block, (char *)traj + (size_t)k * block * block * esz);
    if (k == 0 && first) memcpy(first, m, nn * esz);
  }
  if (last) memcpy(last, m, nn * esz);
  st = GL_OK;
done:
  free(w);
  return st;
}

int gl_matprod_ensemble(int n, int steps, double sigma, int ensemble, int trials, double seed,
                        double *mean_log, int fan_count, double *fan) {
  uint64_t s = 0;
  int st;
  if ((st = check_common(n, steps, sigma, ensemble)) ||
      (st = gl_check_count("trials", trials, 1, GL_ENSEMBLE_MAX_TRIALS)) ||
      (st = gl_seed_from_double(seed, &s)) ||
      (st = gl_check_count("fan_count", fan_count, 0, trials)) ||
      (st = gl_check_ptr("mean_log", mean_log)))
    return st;
  const size_t nn = (size_t)n * (size_t)n, len = (size_t)steps + 1;
  const size_t pack = gl_matmul_pack_elems((size_t)n, (size_t)n);
  double *w = malloc(gl_size_mul(gl_size_add(gl_size_mul(3, nn), pack), sizeof(double)));
  if (!w) return gl_fail(GL_ENOMEM, "out of memory: ensemble scratch for n = %d", n);
  double *m = w + nn, *p = w + 2 * nn, *packed = w + 3 * nn;
  gl_rng r;
  gl_rng_init(&r, s);
  const double log_sigma = log(sigma);
  for (size_t k = 0; k < len; k++) mean_log[k] = 0.0;

  for (int t = 0; t < trials; t++) {
    double *row = fan && t < fan_count ? fan + (size_t)t * len : NULL;
    double log_norm = 0.0;
    for (int k = 0; k <= steps; k++) {
      /* σ·W is drawn as W and ln σ added to the log: the renormalised product
       * does not depend on σ, and σ near DBL_MAX (or subnormal) no longer
       * overflows (underflows) a draw into ln‖M‖ = ±Inf (found by fuzz_matprod) */
      if ((st = draw_factor(n, 1.0, ensemble, &r, w))) goto done;
      double *next = w;
      if (k > 0) {
        gl_matmul_packed(GL_F64, 0, 0, (size_t)n, (size_t)n, (size_t)n, m, w, p, packed);
        next = p;
      }
      /* Renormalise: M is stored as M_k/‖M_k‖ and ln‖M_k‖ is accumulated,
       * so no entry ever overflows or underflows, however many steps. */
      const double nrm = frobenius(GL_F64, next, nn);
      log_norm += log(nrm) + log_sigma;
      const double inv = nrm > 0 && isfinite(nrm) ? 1.0 / nrm : 1.0;
      for (size_t i = 0; i < nn; i++) m[i] = next[i] * inv;
      mean_log[k] += log_norm;
      if (row) row[k] = log_norm;
    }
  }
  for (size_t k = 0; k < len; k++) mean_log[k] /= trials;
  st = GL_OK;
done:
  free(w);
  return st;
}

int gl_matprod_theory(int n, double sigma, int ensemble, double *typical, double *rms,
                      double *critical_sigma) {
  int st;
  if ((st = gl_check_count("n", n, 1, GL_THEORY_MAX_N)) || (st = check_sigma(sigma)) ||
      (st = check_ensemble(ensemble)) || (st = gl_check_ptr("typical", typical)) ||
      (st = gl_check_ptr("rms", rms)) || (st = gl_check_ptr("critical_sigma", critical_sigma)))
    return st;
  if (ensemble == GL_ENS_ORTHOGONAL) { /* ‖MQ‖ = ‖M‖ exactly: every trajectory is flat at σ = 1 */
    *typical = *rms = log(sigma);
    *critical_sigma = 1.0;
    return GL_OK;
  }
  /* ½E[ln χ²_n] = ½(ln 2 + ψ(n/2)); the critical σ cancels it. */
  const double drift = 0.5 * (LN2 + gl_digamma(0.5 * n));
  *typical = log(sigma) + drift;
  *rms = 0.5 * log((double)n) + log(sigma); /* = ½ ln(nσ²) without overflowing σ² */
  *critical_sigma = exp(-drift);
  return GL_OK;
}
