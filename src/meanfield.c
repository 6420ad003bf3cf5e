/*
 * meanfield.c — the infinite-width theory of signal propagation (Poole et al.
 * 2016; Schoenholz et al. 2017).  At infinite width every z_l is Gaussian with
 * variance q_l, and one layer maps q to σ_w²·E[φ(√q Z)²]; the backward pass
 * multiplies the gradient variance by σ_w²·E[φ'(√q Z)²] per layer.  So the
 * whole theory reduces to two Gaussian expectations.
 *
 * Quadrature.  Plain Gauss–Hermite in z fails here: for large q the integrand
 * f(√q·z) has a feature of width 1/√q at z = 0 (tanh' is a bump, relu a kink)
 * that a few dozen Hermite nodes, spaced ~0.3 apart near 0, do not resolve —
 * E[tanh'²] at q = 25 is 14% off even with 128 nodes.  Instead we integrate
 * f(√q·z)·N(z) over z with composite Gauss–Legendre on panels of width
 * min(1, 1/√q) — at most 1 in both z and u = √q·z, so both the Gaussian and φ
 * are smooth on every panel; tanh's nearest poles (±iπ/2) then give errors
 * ~6^−20 per panel — with a panel edge at z = 0 so relu's kink is exact.
 * Every φ here has reached its asymptotic form (0, 1, u or k·u, to double
 * precision) at |u| = 40, so the integral beyond u = ±40 is done in closed form
 * (Gaussian tail mass and tail second moment), and the panels cover
 * |z| ≤ min(10, 40/√q): at most 80 panels of NODES points, whatever q.
 */
#include <math.h>

#include "internal.h"

#define NODES 10         /* Gauss–Legendre points per panel */
#define U_SAT 40.0       /* |u| beyond which φ is in its asymptotic form */
#define Z_MAX 10.0       /* N(0,1) mass beyond |z| = 10 is 1.5e-23: dropped */
#define MAX_SIDE 40      /* panels on each side of 0 */
#define INV_SQRT_2PI 0.39894228040143267794
#define INV_SQRT2 0.70710678118654752440

/* Gauss–Legendre nodes and weights on [−1, 1], by Newton's method on P_n. */
typedef struct rule {
  double x[NODES], w[NODES];
} rule;

static void gauss_legendre(rule *g) {
  const int n = NODES;
  for (int i = 0; i < (n + 1) / 2; i++) {
    double z = cos(3.14159265358979323846 * (i + 0.75) / (n + 0.5)), z1, pp = 1;
    for (int it = 0; it < 100; it++) {
      double p1 = 1, p2 = 0, p3;
      for (int j = 1; j <= n; j++) { /* Bonnet's recurrence for P_j(z) */
        p3 = p2;
        p2 = p1;
        p1 = ((2.0 * j - 1.0) * z * p2 - (j - 1.0) * p3) / j;
      }
      pp = n * (z * p1 - p2) / (z * z - 1.0); /* P_n'(z) */
      z1 = z;
      z = z1 - p1 / pp;
      if (fabs(z - z1) <= 1e-16) break;
    }
    g->x[i] = -z;
    g->x[n - 1 - i] = z;
    g->w[i] = g->w[n - 1 - i] = 2.0 / ((1.0 - z * z) * pp * pp);
  }
}

/* E[φ(√q Z)²] → *e2 and E[φ'(√q Z)²] → *d2, for q ≥ 0 (q = +∞: the limits). */
static void expect_both(int act, double q, const rule *g, double *e2, double *d2) {
  const double k2 = GL_LEAKY_SLOPE * GL_LEAKY_SLOPE;
  if (isinf(q)) {
    static const double phi2_inf[GL_ACT_COUNT] = {0.5, 1.0, INFINITY, INFINITY, INFINITY, INFINITY};
    static const double dphi2_inf[GL_ACT_COUNT] = {0.0, 0.0, 0.5, 0.5 * (1 + k2), 0.5, 1.0};
    *e2 = phi2_inf[act];
    *d2 = dphi2_inf[act];
    return;
  }
  if (q == 0) { /* Z·0 = 0: just f(0)² (relu'(0) = 0, as PyTorch) */
    double u0 = 0, y0, one = 1, d0;
    gl_act_forward(act, GL_F64, 1, &u0, &y0);
    gl_act_backward(act, GL_F64, 1, &u0, &y0, &one, &d0);
    *e2 = y0 * y0;
    *d2 = d0 * d0;
    return;
  }
  const double s = sqrt(q);
  const double zc = s * Z_MAX > U_SAT ? U_SAT / s : Z_MAX;
  const int m = s <= 1 ? (int)Z_MAX : (int)fmin(ceil(zc * s), MAX_SIDE);
  const double h = zc / m;
  double se = 0, sd = 0;
  for (int p = -m; p < m; p++) { /* panel [p·h, (p+1)·h] in z */
    double u[NODES], wt[NODES], y[NODES], d[NODES], ones[NODES];
    for (int j = 0; j < NODES; j++) {
      double z = h * (p + 0.5 * (g->x[j] + 1.0));
      u[j] = s * z;
      wt[j] = 0.5 * h * g->w[j] * INV_SQRT_2PI * exp(-0.5 * z * z);
      ones[j] = 1.0;
    }
    gl_act_forward(act, GL_F64, NODES, u, y);
    gl_act_backward(act, GL_F64, NODES, u, y, ones, d);
    for (int j = 0; j < NODES; j++) {
      se += wt[j] * y[j] * y[j];
      sd += wt[j] * d[j] * d[j];
    }
  }
  if (s * Z_MAX > U_SAT) {
    /* Tails |u| > U_SAT in closed form: with t = U_SAT/√q,
     * P(Z > t) = ½erfc(t/√2) and E[U²; U > U_SAT] = q·(t·N(t) + P(Z > t)). */
    const double t = U_SAT / s, tail = 0.5 * erfc(t * INV_SQRT2);
    const double m2 = q * (t * INV_SQRT_2PI * exp(-0.5 * t * t) + tail);
    switch (act) {
      case GL_SIGMOID: se += tail; break;      /* φ → 1 on the right, 0 on the left */
      case GL_TANH: se += 2 * tail; break;     /* φ² → 1 both sides, φ' → 0 */
      case GL_RELU:                            /* φ = u, φ' = 1 on the right only */
      case GL_GELU: se += m2, sd += tail; break; /* u·Φ(u) → u, 0 */
      case GL_LEAKY_RELU: se += (1 + k2) * m2, sd += (1 + k2) * tail; break;
      default: se += 2 * m2, sd += 2 * tail; break; /* linear */
    }
  }
  *e2 = se;
  *d2 = sd;
}

double gl_gauss_expect(int act, int which, double q) {
  if (gl_check_act(act)) return NAN;
  if (which != 0 && which != 1) {
    gl_fail(GL_EINVAL, "which must be 0 (phi^2) or 1 (phi'^2), got %d", which);
    return NAN;
  }
  if (!(q >= 0)) {
    gl_fail(GL_EINVAL, "variance q must be >= 0, got %g", q);
    return NAN;
  }
  rule g;
  gauss_legendre(&g);
  double e2, d2;
  expect_both(act, q, &g, &e2, &d2);
  return which == 0 ? e2 : d2;
}

int gl_meanfield(int act, double sw2, double q_x, double g_var, int depth, double *z_var,
                 double *grad_z_var) {
  int st;
  if ((st = gl_check_act(act)) || (st = gl_check_count("depth", depth, 1, GL_MEANFIELD_MAX_DEPTH)) ||
      (st = gl_check_ptr("z_var", z_var)) || (st = gl_check_ptr("grad_z_var", grad_z_var)))
    return st;
  if (!(isfinite(sw2) && sw2 >= 0))
    return gl_fail(GL_EINVAL, "sw2 = width*Var(W) must be finite and >= 0, got %g", sw2);
  if (!(isfinite(q_x) && q_x >= 0))
    return gl_fail(GL_EINVAL, "input variance q_x must be finite and >= 0, got %g", q_x);
  if (!(isfinite(g_var) && g_var >= 0))
    return gl_fail(GL_EINVAL, "upstream gradient variance must be finite and >= 0, got %g", g_var);
  rule g;
  gauss_legendre(&g);
  /* Forward: q_1 = σ_w²·q_x (a_0 = X is not passed through φ), then the
   * variance map.  grad_z_var[l] holds E[φ'(z_l)²] until the backward sweep. */
  double q = sw2 * q_x, last_q = NAN, e2 = 0, d2 = 0;
  for (int l = 0; l < depth; l++) {
    z_var[l] = q;
    if (q != last_q) expect_both(act, q, &g, &e2, &d2); /* at a fixed point, reuse */
    last_q = q;
    grad_z_var[l] = d2;
    q = sw2 * e2;
  }
  /* Backward: ∂z_L = ∂a_L ⊙ φ'(z_L); ∂a_{l} = ∂z_{l+1}·W sums width terms of
   * variance Var(W)·Var(∂z_{l+1}), i.e. σ_w²·Var(∂z_{l+1}). */
  double v = g_var;
  for (int l = depth - 1; l >= 0; l--) {
    /* a zero E[φ'²] (φ saturated at q = +Inf) makes every earlier variance 0,
     * not Inf·0 = NaN (found by fuzz_meanfield) */
    v = grad_z_var[l] == 0 ? 0 : v * grad_z_var[l];
    grad_z_var[l] = v;
    v *= sw2;
  }
  return GL_OK;
}
