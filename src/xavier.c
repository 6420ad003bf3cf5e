/*
 * xavier.c — d2l's derivation of Xavier initialization (zh 4.8.2.2), checked
 * by Monte-Carlo.
 *
 * The derivation: o_i = Σ_{j=1}^{n_in} w_ij x_j with w_ij zero-mean, variance
 * σ², x_j variance γ², all independent.  Then
 *   E[o_i]   = Σ_j E[w_ij] E[x_j] = 0,
 *   Var[o_i] = E[o_i²] − E[o_i]² = Σ_j E[w_ij²] E[x_j²] = n_in σ² γ²   (E[x_j] = 0),
 * so the forward pass keeps the variance iff n_in σ² = 1; the backward pass
 * ∂L/∂x_j = Σ_i w_ij ∂L/∂o_i keeps it iff n_out σ² = 1; Xavier takes
 * ½(n_in + n_out) σ² = 1, and U(−a, a), of variance a²/3, a = √(6/(n_in + n_out)).
 *
 * What the check adds: the exact second moment without those assumptions.
 * With E[w] = 0 and w independent of x,
 *   E[o²] = Σ_j Σ_k E[w_j w_k] E[x_j x_k]
 *         = n σ² E[x²] + n(n−1) · E[w_j w_k] · E[x_j x_k]      (j ≠ k),
 * and with a row of W repeated with probability ρ_w (else independent),
 * E[w_j w_k] = ρ_w σ²; with x repeated with probability ρ_x,
 * E[x_j x_k] = ρ_x Var[x] + E[x]².  So a non-zero mean of x (a ReLU's output)
 * changes γ² into E[x²] = γ² + μ²; correlated inputs alone change nothing
 * while the weights are independent and zero-mean; correlated weights add
 * n(n−1) ρ_w σ² (ρ_x Var[x] + E[x]²).
 */
#include <math.h>

#include "internal.h"

/* A family scaled to mean m and std s, and its exact moments. */
typedef struct {
  int dist;
  double m, s;
} family;

static double phi(double a) { return exp(-0.5 * a * a) * 0.39894228040143267794; /* 1/√(2π) */ }
static double Phi(double a) { return 0.5 * erfc(-a / sqrt(2.0)); }

/* E[x] and Var[x] of a family. */
static void moments(const family *f, double *mean, double *var) {
  if (f->dist != GL_XD_RELU_NORMAL) {
    *mean = f->m, *var = f->s * f->s;
    return;
  }
  /* x = max(0, z), z ~ N(μ, s²): E[x] = μΦ(a) + sφ(a), E[x²] = (μ² + s²)Φ(a) + μsφ(a), a = μ/s */
  const double mu = f->m, s = f->s;
  if (s == 0) {
    *mean = mu > 0 ? mu : 0, *var = 0;
    return;
  }
  const double a = mu / s, e1 = mu * Phi(a) + s * phi(a);
  const double e2 = (mu * mu + s * s) * Phi(a) + mu * s * phi(a);
  *mean = e1;
  *var = fmax(0.0, e2 - e1 * e1);
}

/* One draw from a family. */
static double draw(const family *f, gl_rng *r) {
  switch (f->dist) {
    case GL_XD_NORMAL: return f->m + f->s * gl_rng_normal(r);
    case GL_XD_UNIFORM: return f->m + f->s * sqrt(3.0) * (2.0 * gl_rng_uniform(r) - 1.0);
    case GL_XD_RADEMACHER: return (gl_rng_next(r) >> 63) ? f->m + f->s : f->m - f->s;
    case GL_XD_LAPLACE: {
      /* ± an exponential of mean b = s/√2 (variance 2b² = s²); 1 − u > 0 */
      const uint64_t u = gl_rng_next(r);
      const double e = -log1p(-(double)(int64_t)(u >> 11) * 0x1.0p-53) * (f->s / sqrt(2.0));
      return (u & 1) ? f->m + e : f->m - e;
    }
    default: { /* GL_XD_RELU_NORMAL */
      const double z = f->m + f->s * gl_rng_normal(r);
      return z > 0 ? z : 0;
    }
  }
}

/* Rounds to the dtype, as a tensor of that dtype holds the value. */
static double round_to(int dtype, double v) { return dtype == GL_F32 ? (double)(float)v : v; }

/* Power sums of shifted samples, for a mean, a variance and their errors. */
typedef struct {
  double n, s1, s2, s3, s4;
} moments4;

static void add(moments4 *a, double d) {
  const double d2 = d * d;
  a->n += 1, a->s1 += d, a->s2 += d2, a->s3 += d2 * d, a->s4 += d2 * d2;
}

/* Mean (+ shift), its SE, population variance and its SE √((m₄ − m₂²)/N). */
static void summarise(const moments4 *a, double shift, double *mean, double *mean_se, double *var,
                      double *var_se) {
  const double n = a->n, m1 = a->s1 / n, r2 = a->s2 / n, r3 = a->s3 / n, r4 = a->s4 / n;
  const double m2 = fmax(0.0, r2 - m1 * m1);
  const double m4 = fmax(0.0, r4 - 4 * m1 * r3 + 6 * m1 * m1 * r2 - 3 * m1 * m1 * m1 * m1);
  *mean = m1 + shift;
  if (mean_se) *mean_se = sqrt(m2 / n);
  if (var) *var = m2;
  if (var_se) *var_se = sqrt(fmax(0.0, m4 - m2 * m2) / n);
}

/* Σ_j w_j x_j over one trial, in dtype, with w and x rows that repeat one
 * draw with probability rho_w / rho_x.  Adds each trial's mean of w² and x
 * (and x²) to the per-trial accumulators when they are given. */
static double dot(int dtype, int n, const family *fw, const family *fx, double rho_w, double rho_x,
                  gl_rng *r, moments4 *w2, moments4 *x1, moments4 *x2) {
  const int tied_w = rho_w > 0 && gl_rng_uniform(r) < rho_w;
  const int tied_x = rho_x > 0 && gl_rng_uniform(r) < rho_x;
  const double cw = tied_w ? round_to(dtype, draw(fw, r)) : 0;
  const double cx = tied_x ? round_to(dtype, draw(fx, r)) : 0;
  double acc = 0, sw2 = 0, sx = 0, sx2 = 0;
  float accf = 0;
  for (int j = 0; j < n; j++) {
    const double w = tied_w ? cw : round_to(dtype, draw(fw, r));
    const double x = tied_x ? cx : round_to(dtype, draw(fx, r));
    if (dtype == GL_F32)
      accf += (float)w * (float)x; /* the float32 dot product torch would compute */
    else
      acc += w * x;
    sw2 += w * w, sx += x, sx2 += x * x;
  }
  if (w2) add(w2, sw2 / n);
  if (x1) add(x1, sx / n);
  if (x2) add(x2, sx2 / n);
  return dtype == GL_F32 ? (double)accf : acc;
}

static int check_cfg(const double *cfg, int *n_in, int *n_out, int *wd, int *xd, int *samples,
                     int *dtype, uint64_t *seed) {
  int st;
  if ((st = gl_check_ptr("cfg", cfg)) ||
      (st = gl_check_int("n_in", cfg[GL_XAVIER_CFG_N_IN], 1, GL_MAX_FAN, n_in)) ||
      (st = gl_check_int("n_out", cfg[GL_XAVIER_CFG_N_OUT], 1, GL_MAX_FAN, n_out)) ||
      (st = gl_check_int("weight distribution", cfg[GL_XAVIER_CFG_W_DIST], 0, GL_XD_DIST_COUNT - 1, wd)) ||
      (st = gl_check_int("input distribution", cfg[GL_XAVIER_CFG_X_DIST], 0, GL_XD_DIST_COUNT - 1, xd)) ||
      (st = gl_check_int("samples", cfg[GL_XAVIER_CFG_SAMPLES], 2, GL_XAVIER_MAX_SAMPLES, samples)) ||
      (st = gl_check_int("dtype", cfg[GL_XAVIER_CFG_DTYPE], 0, GL_DTYPE_COUNT - 1, dtype)) ||
      (st = gl_seed_from_double(cfg[GL_XAVIER_CFG_SEED], seed)))
    return st;
  if (*wd >= GL_XAVIER_WEIGHT_DISTS)
    return gl_fail(GL_EINVAL, "weights must be zero-mean: distribution %d (relu_normal) is for inputs only", *wd);
  const double sigma = cfg[GL_XAVIER_CFG_SIGMA];
  if (!isnan(sigma) && !(isfinite(sigma) && sigma >= 0))
    return gl_fail(GL_EINVAL, "sigma must be finite and >= 0 (NaN for Xavier's), got %g", sigma);
  if ((st = gl_check_finite("mu", cfg[GL_XAVIER_CFG_MU]))) return st;
  const struct { const char *name; int at; } nonneg[] = {{"gamma", GL_XAVIER_CFG_GAMMA}, {"delta", GL_XAVIER_CFG_DELTA}};
  for (int i = 0; i < 2; i++) {
    const double v = cfg[nonneg[i].at];
    if (!(isfinite(v) && v >= 0)) return gl_fail(GL_EINVAL, "%s must be finite and >= 0, got %g", nonneg[i].name, v);
  }
  const struct { const char *name; int at; } probs[] = {{"rho_w", GL_XAVIER_CFG_RHO_W}, {"rho_x", GL_XAVIER_CFG_RHO_X}};
  for (int i = 0; i < 2; i++) {
    const double v = cfg[probs[i].at];
    if (!(v >= 0 && v <= 1)) return gl_fail(GL_EINVAL, "%s must be in [0, 1], got %g", probs[i].name, v);
  }
  const double draws = (double)*samples * ((double)*n_in + (double)*n_out);
  if (draws > GL_XAVIER_MAX_DRAWS)
    return gl_fail(GL_ERANGE, "%d samples of n_in + n_out = %d need %.0f draws, more than the cap of %.0f",
                   *samples, *n_in + *n_out, draws, GL_XAVIER_MAX_DRAWS);
  return GL_OK;
}

int gl_xavier_check(const double *cfg, double *stats, int bins, double *hist, double *range) {
  int st, n_in = 0, n_out = 0, wd = 0, xd = 0, samples = 0, dtype = 0;
  uint64_t seed = 0;
  if ((st = check_cfg(cfg, &n_in, &n_out, &wd, &xd, &samples, &dtype, &seed)) ||
      (st = gl_check_ptr("stats", stats)) || (st = gl_check_count("bins", bins, 0, GL_MAX_BINS)))
    return st;
  if (bins > 0 && ((st = gl_check_ptr("hist", hist)) || (st = gl_check_ptr("range", range)))) return st;

  /* ---- the formulas ---------------------------------------------------- */
  const double ni = n_in, no = n_out;
  const double xavier = sqrt(2.0 / (ni + no));
  const double sigma = isnan(cfg[GL_XAVIER_CFG_SIGMA]) ? xavier : cfg[GL_XAVIER_CFG_SIGMA];
  const double rho_w = cfg[GL_XAVIER_CFG_RHO_W], rho_x = cfg[GL_XAVIER_CFG_RHO_X];
  const double delta = cfg[GL_XAVIER_CFG_DELTA];
  const family fw = {wd, 0.0, sigma}, fx = {xd, cfg[GL_XAVIER_CFG_MU], cfg[GL_XAVIER_CFG_GAMMA]};
  const family fg = {GL_XD_NORMAL, 0.0, delta};
  double xm, xv;
  moments(&fx, &xm, &xv);
  const double s2 = sigma * sigma, xsq = xv + xm * xm;
  double *S = stats;
  S[GL_XAVIER_SIGMA] = sigma;
  S[GL_XAVIER_TH_X_MEAN] = xm;
  S[GL_XAVIER_TH_X_VAR] = xv;
  S[GL_XAVIER_TH_X_SQ] = xsq;
  S[GL_XAVIER_TH_O_MEAN] = 0; /* n_in·E[w]·E[x], E[w] = 0 */
  S[GL_XAVIER_TH_O_VAR_D2L] = ni * s2 * xv;
  S[GL_XAVIER_TH_O_VAR_IND] = ni * s2 * xsq;
  S[GL_XAVIER_TH_O_VAR] = ni * s2 * xsq + ni * (ni - 1) * rho_w * s2 * (rho_x * xv + xm * xm);
  S[GL_XAVIER_TH_G_VAR] = no * s2 * delta * delta;
  S[GL_XAVIER_FWD_FACTOR] = ni * s2;
  S[GL_XAVIER_BWD_FACTOR] = no * s2;
  S[GL_XAVIER_XAVIER_SIGMA] = xavier;
  S[GL_XAVIER_XAVIER_BOUND] = sqrt(6.0 / (ni + no));

  double lo = 0, scale = 0;
  if (bins > 0) {
    const double sd = sqrt(S[GL_XAVIER_TH_O_VAR]), half = sd > 0 ? 4 * sd : 0.5;
    lo = -half;
    range[0] = -half, range[1] = half;
    scale = bins / (2 * half);
    for (int k = 0; k < bins; k++) hist[k] = 0;
  }

  /* ---- the Monte-Carlo ------------------------------------------------- */
  gl_rng r;
  gl_rng_init(&r, seed);
  moments4 o = {0}, g = {0}, w2 = {0}, x1 = {0}, x2 = {0};
  for (int t = 0; t < samples; t++) {
    const double v = dot(dtype, n_in, &fw, &fx, rho_w, rho_x, &r, &w2, &x1, &x2);
    add(&o, v); /* shifted by E[o] = 0 */
    if (bins > 0 && isfinite(v)) {
      const double u = (v - lo) * scale;
      hist[!(u >= 0) ? 0 : u >= bins ? bins - 1 : (int)u] += 1;
    }
  }
  /* backward: a column of W (entries of different rows: independent) and δ */
  for (int t = 0; t < samples; t++) add(&g, dot(dtype, n_out, &fw, &fg, 0, 0, &r, NULL, NULL, NULL));

  summarise(&o, 0, &S[GL_XAVIER_O_MEAN], &S[GL_XAVIER_O_MEAN_SE], &S[GL_XAVIER_O_VAR], &S[GL_XAVIER_O_VAR_SE]);
  summarise(&g, 0, &S[GL_XAVIER_G_MEAN], &S[GL_XAVIER_G_MEAN_SE], &S[GL_XAVIER_G_VAR], &S[GL_XAVIER_G_VAR_SE]);
  summarise(&w2, 0, &S[GL_XAVIER_W_VAR], &S[GL_XAVIER_W_VAR_SE], NULL, NULL);
  summarise(&x1, 0, &S[GL_XAVIER_X_MEAN], &S[GL_XAVIER_X_MEAN_SE], NULL, NULL);
  summarise(&x2, 0, &S[GL_XAVIER_X_SQ], &S[GL_XAVIER_X_SQ_SE], NULL, NULL);
  return GL_OK;
}
