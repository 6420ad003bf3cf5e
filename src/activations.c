/*
 * activations.c — φ and its vector–Jacobian product for the six activations,
 * the Vanishing panel's curve (x = arange, y = φ(x), grad = d(Σy)/dx) and the
 * chain of stacked activations whose gradient is a product of φ' factors.
 * float32 tensors are computed in float arithmetic (erff for GELU), except
 * tanh and sigmoid, which fastact.c computes within 1 ulp without libm;
 * float64 in double with libm.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define INV_SQRT2 0.70710678118654752440
#define INV_SQRT_2PI 0.39894228040143267794

static const char *const act_names[GL_ACT_COUNT] = {"sigmoid",    "tanh", "relu",
                                                    "leaky_relu", "gelu", "linear"};

const char *gl_act_name(int act) {
  return act >= 0 && act < GL_ACT_COUNT ? act_names[act] : NULL;
}

int gl_act_from_name(const char *name) {
  for (int i = 0; name && i < GL_ACT_COUNT; i++)
    if (strcmp(name, act_names[i]) == 0) return i;
  return -1;
}

/* Sigmoid without overflow: for x < 0 use e^x/(1+e^x), so exp never sees a
 * large positive argument; σ(±1000) is exactly 1 and 0, never NaN. */
static double sigmoid_d(double x) {
  if (x >= 0) return 1.0 / (1.0 + exp(-x));
  double e = exp(x);
  return e / (1.0 + e);
}
static float sigmoid_f(float x) {
  if (x >= 0) return 1.0f / (1.0f + expf(-x));
  float e = expf(x);
  return e / (1.0f + e);
}

static double fwd_d(int act, double x) {
  switch (act) {
    case GL_SIGMOID: return sigmoid_d(x);
    case GL_TANH: return tanh(x);
    case GL_RELU: return !(x <= 0) ? x : 0.0; /* NaN stays NaN, as torch.relu */
    case GL_LEAKY_RELU: return x > 0 ? x : GL_LEAKY_SLOPE * x;
    case GL_GELU: return 0.5 * x * (1.0 + erf(x * INV_SQRT2));
    default: return x;
  }
}
static float fwd_f(int act, float x) {
  switch (act) {
    case GL_SIGMOID: return sigmoid_f(x);
    case GL_TANH: return tanhf(x);
    case GL_RELU: return !(x <= 0) ? x : 0.0f;
    case GL_LEAKY_RELU: return x > 0 ? x : (float)GL_LEAKY_SLOPE * x;
    case GL_GELU: return 0.5f * x * (1.0f + erff(x * (float)INV_SQRT2));
    default: return x;
  }
}

/* φ'(x) given x and the saved output y. */
static double dphi_d(int act, double x, double y) {
  switch (act) {
    case GL_SIGMOID: return y * (1.0 - y);
    case GL_TANH: return 1.0 - y * y;
    case GL_RELU: return x > 0 ? 1.0 : 0.0;
    case GL_LEAKY_RELU: return x > 0 ? 1.0 : GL_LEAKY_SLOPE;
    case GL_GELU: /* Φ(x) + x·φ(x) */
      return 0.5 * (1.0 + erf(x * INV_SQRT2)) + x * INV_SQRT_2PI * exp(-0.5 * x * x);
    default: return 1.0;
  }
}
static float dphi_f(int act, float x, float y) {
  switch (act) {
    case GL_SIGMOID: return y * (1.0f - y);
    case GL_TANH: return 1.0f - y * y;
    case GL_RELU: return x > 0 ? 1.0f : 0.0f;
    case GL_LEAKY_RELU: return x > 0 ? 1.0f : (float)GL_LEAKY_SLOPE;
    case GL_GELU:
      return 0.5f * (1.0f + erff(x * (float)INV_SQRT2)) +
             x * (float)INV_SQRT_2PI * expf(-0.5f * x * x);
    default: return 1.0f;
  }
}

int gl_act_forward(int act, int dtype, int n, const void *x, void *y) {
  int st;
  if ((st = gl_check_act(act)) || (st = gl_check_dtype(dtype)) ||
      (st = gl_check_count("n", n, 1, INT32_MAX)) || (st = gl_check_ptr("x", x)) ||
      (st = gl_check_ptr("y", y)))
    return st;
  if (dtype == GL_F32) {
    const float *xs = x;
    float *ys = y;
    if (act == GL_TANH)
      gl_tanh_f32((size_t)n, xs, ys);
    else if (act == GL_SIGMOID)
      gl_sigmoid_f32((size_t)n, xs, ys);
    else if (act == GL_RELU) /* a loop of its own vectorises (training runs it on every block) */
      for (int i = 0; i < n; i++) ys[i] = !(xs[i] <= 0) ? xs[i] : 0.0f; /* NaN stays NaN */
    else
      for (int i = 0; i < n; i++) ys[i] = fwd_f(act, xs[i]);
  } else {
    const double *xs = x;
    double *ys = y;
    for (int i = 0; i < n; i++) ys[i] = fwd_d(act, xs[i]);
  }
  return GL_OK;
}

int gl_act_backward(int act, int dtype, int n, const void *x, const void *y, const void *g,
                    void *dx) {
  int st;
  if ((st = gl_check_act(act)) || (st = gl_check_dtype(dtype)) ||
      (st = gl_check_count("n", n, 1, INT32_MAX)) || (st = gl_check_ptr("x", x)) ||
      (st = gl_check_ptr("y", y)) || (st = gl_check_ptr("g", g)) || (st = gl_check_ptr("dx", dx)))
    return st;
  if (dtype == GL_F32) {
    const float *xs = x, *ys = y, *gs = g;
    float *d = dx;
    /* The two saturating activations get loops of their own, which vectorise
     * (the deep-MLP backward pass runs them on every layer). */
    if (act == GL_TANH)
      for (int i = 0; i < n; i++) d[i] = gs[i] * (1.0f - ys[i] * ys[i]);
    else if (act == GL_SIGMOID)
      for (int i = 0; i < n; i++) d[i] = gs[i] * (ys[i] * (1.0f - ys[i]));
    else if (act == GL_RELU) /* torch's threshold_backward: a select, not g·0 (see below) */
      for (int i = 0; i < n; i++) {
        /* g is read whatever x is: a load under the condition cannot be
         * speculated, so it became a branch per value, mispredicted half the
         * time (12% of a training step); an unconditional one is a select */
        const float gi = gs[i];
        d[i] = xs[i] <= 0 ? 0.0f : gi;
      }
    else
      for (int i = 0; i < n; i++) d[i] = gs[i] * dphi_f(act, xs[i], ys[i]);
  } else {
    const double *xs = x, *ys = y, *gs = g;
    double *d = dx;
    /* ReLU passes g where the unit is on and exactly 0 where it is off, as
     * torch's threshold_backward (where(x <= 0, 0, g)): a NaN arriving at a
     * dead unit stops there (g·0 would be NaN), and relu'(NaN) passes g. */
    if (act == GL_RELU)
      for (int i = 0; i < n; i++) {
        const double gi = gs[i]; /* read unconditionally: a select, not a branch (above) */
        d[i] = xs[i] <= 0 ? 0.0 : gi;
      }
    else
      for (int i = 0; i < n; i++) d[i] = gs[i] * dphi_d(act, xs[i], ys[i]);
  }
  return GL_OK;
}

int gl_arange_count(double from, double to, double step, int *n) {
  int st;
  if ((st = gl_check_finite("from", from)) || (st = gl_check_finite("to", to)) ||
      (st = gl_check_finite("step", step)) || (st = gl_check_ptr("n", n)))
    return st;
  if (step == 0) return gl_fail(GL_EINVAL, "step must not be zero");
  /* torch.arange: size = ceil((end − start) / step), computed in double.  The
   * span overflows when from and to are huge and of opposite signs
   * (arange(-1e308, 1e308, 1e308) has 2 points, not inf): then the same
   * quotient is end/step − start/step, each term finite. */
  double span = to - from;
  double count = isfinite(span) ? ceil(span / step) : ceil(to / step - from / step);
  if (!(count >= 1))
    return gl_fail(GL_EINVAL, "arange(%g, %g, %g) is empty: step has the wrong sign or from = to",
                   from, to, step);
  if (count > GL_MAX_POINTS && isfinite(count))
    return gl_fail(GL_ERANGE, "arange(%g, %g, %g) has %.0f points, more than %d", from, to, step,
                   count, GL_MAX_POINTS);
  if (count > GL_MAX_POINTS) /* a count past DBL_MAX: there is no number to print */
    return gl_fail(GL_ERANGE, "arange(%g, %g, %g) has more than %d points", from, to, step,
                   GL_MAX_POINTS);
  *n = (int)count;
  return GL_OK;
}

int gl_activation_curve(int act, int dtype, double from, double to, double step, int n, void *x,
                        void *y, void *grad, int *argmax) {
  int st, count = 0;
  if ((st = gl_check_act(act)) || (st = gl_check_dtype(dtype)) ||
      (st = gl_arange_count(from, to, step, &count)))
    return st;
  if (n != count)
    return gl_fail(GL_EINVAL, "buffers hold %d points but arange gives %d", n, count);
  if ((st = gl_check_ptr("x", x)) || (st = gl_check_ptr("y", y)) ||
      (st = gl_check_ptr("grad", grad)) || (st = gl_check_ptr("argmax", argmax)))
    return st;
  for (int i = 0; i < n; i++) gl_set(dtype, x, (size_t)i, from + (double)i * step);
  gl_act_forward(act, dtype, n, x, y);
  /* y.backward(torch.ones_like(y)): upstream gradient of Σy is all ones. */
  for (int i = 0; i < n; i++) gl_set(dtype, grad, (size_t)i, 1.0);
  gl_act_backward(act, dtype, n, x, y, grad, grad);
  int best = 0;
  for (int i = 1; i < n; i++)
    if (gl_get(dtype, grad, (size_t)i) > gl_get(dtype, grad, (size_t)best)) best = i;
  *argmax = best;
  return GL_OK;
}

double gl_act_max_grad(int act) {
  switch (act) {
    case GL_SIGMOID: return 0.25; /* σ' = σ(1−σ) ≤ ¼, equality at σ = ½, x = 0 */
    case GL_TANH:
    case GL_RELU:
    case GL_LEAKY_RELU:
    case GL_LINEAR: return 1.0;
    case GL_GELU: /* (Φ + xφ)' = φ(x)(2 − x²) vanishes at x = √2 */
      return dphi_d(GL_GELU, sqrt(2.0), 0.0);
    default: return NAN;
  }
}

/* Puts the element of rank k (0-based) of v[0..n) at v[k], smaller ones
 * before it and larger ones after (Wirth's selection, "Algorithms + Data
 * Structures = Programs"): O(n) on average, where sorting every layer's
 * gradients cost O(n log n).  v holds no NaN (|gradients| of finite inputs;
 * a NaN could only make the median wrong, never an index go out of range,
 * since each scan stops at the pivot's own slot). */
static void select_rank(double *v, ptrdiff_t n, ptrdiff_t k) {
  ptrdiff_t lo = 0, hi = n - 1;
  while (lo < hi) {
    const double pivot = v[k];
    ptrdiff_t i = lo, j = hi;
    do {
      while (v[i] < pivot) i++;
      while (pivot < v[j]) j--;
      if (i <= j) {
        const double t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) lo = i;
    if (k < i) hi = j;
  }
}

/* The median of v[0..n) (reorders v): the middle value, or the mean of the
 * two middle values when n is even, exactly as sorting would give. */
static double median_of(double *v, size_t n) {
  const size_t k = n / 2;
  select_rank(v, (ptrdiff_t)n, (ptrdiff_t)k);
  if (n % 2) return v[k];
  double below = v[0]; /* the largest of the k values before the middle */
  for (size_t i = 1; i < k; i++) below = v[i] > below ? v[i] : below;
  return 0.5 * (below + v[k]);
}

int gl_chain_grad(int act, int dtype, int dist, double a, double b, int depth, int samples,
                  double seed, double *bound, double *mean, double *median, double *zero) {
  int st;
  if ((st = gl_check_act(act)) || (st = gl_check_dtype(dtype)) ||
      (st = gl_check_count("depth", depth, 1, GL_CHAIN_MAX_DEPTH)) ||
      (st = gl_check_count("samples", samples, 1, GL_CHAIN_MAX_SAMPLES)) || (st = gl_check_ptr("bound", bound)) ||
      (st = gl_check_ptr("mean", mean)) || (st = gl_check_ptr("median", median)) ||
      (st = gl_check_ptr("zero", zero)))
    return st;
  size_t es = (size_t)gl_dtype_size(dtype), ns = (size_t)samples;
  /* x (layer input), y (layer output), g (running gradient), plus a double
   * scratch for the median. */
  unsigned char *buf = malloc(gl_size_mul(ns, 3 * es + sizeof(double)));
  if (!buf) return gl_fail(GL_ENOMEM, "out of memory for %d samples", samples);
  double *sorted = (double *)buf; /* |g| for the median; first, so it stays 8-byte aligned */
  void *x = buf + ns * sizeof(double), *y = (char *)x + ns * es, *g = (char *)y + ns * es;
  if ((st = gl_sample(dist, dtype, seed, a, b, samples, x))) goto done;
  for (size_t i = 0; i < ns; i++) gl_set(dtype, g, i, 1.0);
  const double m = gl_act_max_grad(act);
  for (int l = 0; l < depth; l++) {
    gl_act_forward(act, dtype, samples, x, y);
    /* Chain rule through one more layer: g ← g ⊙ φ'(x_l).  For a scalar chain
     * the VJP factors commute, so this equals the backward pass of the whole
     * l-layer composition with upstream gradient 1. */
    gl_act_backward(act, dtype, samples, x, y, g, g);
    double sum = 0;
    int zeros = 0;
    for (size_t i = 0; i < ns; i++) {
      double v = fabs(gl_get(dtype, g, i));
      sorted[i] = v;
      sum += v;
      zeros += v == 0.0;
    }
    bound[l] = pow(m, l + 1);
    mean[l] = sum / samples;
    median[l] = median_of(sorted, ns);
    zero[l] = (double)zeros / samples;
    memcpy(x, y, ns * es); /* this layer's output is the next one's input */
  }
done:
  free(buf);
  return st;
}
