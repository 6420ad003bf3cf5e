/*
 * init.c — weight initialization with the semantics of torch.nn.init: the
 * gain table, each scheme's theoretical std and uniform bound, and filling a
 * (fan_out × fan_in) matrix laid out as nn.Linear.weight.
 *
 * Why the formulas: a unit z = Σ_k w_k a_k of a layer with fan_in inputs has
 * Var(z) = fan_in·Var(w)·E[a²], so Var(w) = 1/fan_in keeps the forward signal
 * (LeCun); the backward pass sums over fan_out units, so Var(w) = 1/fan_out
 * keeps the gradient; Xavier compromises with 2/(fan_in + fan_out).  The gain
 * compensates what φ does to E[a²] (relu halves it: gain √2, He/Kaiming).
 * A uniform U(−b, b) has variance b²/3, hence bound = std·√3.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"


static const char *const init_names[GL_INIT_COUNT] = {
    "normal",          "uniform",        "xavier_uniform", "xavier_normal", "kaiming_uniform",
    "kaiming_normal",  "lecun_normal",   "orthogonal",     "torch_default", "constant"};

const char *gl_init_name(int init) {
  return init >= 0 && init < GL_INIT_COUNT ? init_names[init] : NULL;
}

int gl_init_from_name(const char *name) {
  for (int i = 0; name && i < GL_INIT_COUNT; i++)
    if (strcmp(name, init_names[i]) == 0) return i;
  return -1;
}

double gl_calculate_gain(int act) {
  switch (act) {
    case GL_SIGMOID: return 1.0;
    case GL_TANH: return 5.0 / 3.0; /* empirical: keeps E[tanh(z)²] ≈ Var(z) stable */
    case GL_RELU: return sqrt(2.0); /* relu keeps half of E[z²] */
    case GL_LEAKY_RELU: return sqrt(2.0 / (1.0 + GL_LEAKY_SLOPE * GL_LEAKY_SLOPE));
    case GL_GELU: /* torch 1.13 raises ValueError: "Unsupported nonlinearity gelu" */
      gl_fail(GL_EINVAL, "unsupported nonlinearity gelu: torch.nn.init.calculate_gain has no gain for it");
      return NAN;
    case GL_LINEAR: return 1.0;
    default: gl_fail(GL_EINVAL, "unknown activation %d", act); return NAN;
  }
}

double gl_init_default_gain(int init) {
  if (init < 0 || init >= GL_INIT_COUNT) {
    gl_fail(GL_EINVAL, "unknown init scheme %d", init);
    return NAN;
  }
  /* torch's kaiming_* default to a = 0, nonlinearity = 'leaky_relu': gain √2. */
  return init == GL_INIT_KAIMING_UNIFORM || init == GL_INIT_KAIMING_NORMAL ? sqrt(2.0) : 1.0;
}

/* The parameters each scheme reads: only those are validated, so a caller may
 * pass anything (e.g. NaN) for the parameters a scheme ignores. */
int gl_init_uses(int init) {
  switch (init) {
    case GL_INIT_NORMAL:
    case GL_INIT_UNIFORM: return GL_USES_SIGMA;
    case GL_INIT_XAVIER_UNIFORM:
    case GL_INIT_XAVIER_NORMAL:
    case GL_INIT_KAIMING_UNIFORM:
    case GL_INIT_KAIMING_NORMAL:
    case GL_INIT_ORTHOGONAL: return GL_USES_GAIN;
    case GL_INIT_CONSTANT: return GL_USES_VALUE;
    default: return 0; /* lecun_normal, torch_default: fixed by the fans */
  }
}
static int is_uniform(int init) {
  return init == GL_INIT_UNIFORM || init == GL_INIT_XAVIER_UNIFORM ||
         init == GL_INIT_KAIMING_UNIFORM || init == GL_INIT_TORCH_DEFAULT;
}

/* Validates every parameter of a scheme for a (fan_out × fan_in) weight. */
static int check_params(int init, int fan_in, int fan_out, double gain, double sigma,
                        double value) {
  int st;
  if (init < 0 || init >= GL_INIT_COUNT)
    return gl_fail(GL_EINVAL, "unknown init scheme %d (valid: 0..%d)", init, GL_INIT_COUNT - 1);
  if ((st = gl_check_count("fan_in", fan_in, 1, GL_MAX_FAN)) ||
      (st = gl_check_count("fan_out", fan_out, 1, GL_MAX_FAN)) ||
      (st = gl_check_bytes((double)fan_in * (double)fan_out * 8.0, "a %d x %d weight as float64",
                           fan_out, fan_in)))
    return st;
  if (init == GL_INIT_ORTHOGONAL && (fan_in > GL_ORTHO_MAX_SIDE || fan_out > GL_ORTHO_MAX_SIDE))
    return gl_fail(GL_ERANGE, "orthogonal init supports fans up to %d, got %d x %d",
                   GL_ORTHO_MAX_SIDE, fan_out, fan_in);
  const int uses = gl_init_uses(init);
  if ((uses & GL_USES_GAIN) && !isnan(gain) && !(isfinite(gain) && gain >= 0))
    return gl_fail(GL_EINVAL, "gain must be finite and >= 0 (NaN for the default), got %g", gain);
  if ((uses & GL_USES_SIGMA) && !(isfinite(sigma) && sigma >= 0))
    return gl_fail(GL_EINVAL, "sigma must be finite and >= 0, got %g", sigma);
  if ((uses & GL_USES_VALUE) && (st = gl_check_finite("value", value))) return st;
  return GL_OK;
}

/* std and bound of a validated scheme; gain is NaN for "default". */
static void theory(int init, int fan_in, int fan_out, double gain, double sigma, double *std,
                   double *bound) {
  const double g = isnan(gain) ? gl_init_default_gain(init) : gain;
  const double fi = fan_in, fo = fan_out, sqrt3 = sqrt(3.0);
  double s = 0, b = NAN;
  switch (init) {
    case GL_INIT_NORMAL: s = sigma; break;
    case GL_INIT_UNIFORM: b = sigma * sqrt3, s = sigma; break;
    /* The bounds are computed as torch.nn.init computes them (std first,
     * then √3·std), so that they round as torch's do: the training core
     * draws torch's very weights (gl_init_fill_torch). */
    case GL_INIT_XAVIER_UNIFORM: s = g * sqrt(2.0 / (fi + fo)), b = sqrt3 * s; break;
    case GL_INIT_XAVIER_NORMAL: s = g * sqrt(2.0 / (fi + fo)); break;
    case GL_INIT_KAIMING_UNIFORM: s = g / sqrt(fi), b = sqrt3 * s; break;
    case GL_INIT_KAIMING_NORMAL: s = g / sqrt(fi); break;
    case GL_INIT_LECUN_NORMAL: s = 1.0 / sqrt(fi); break;
    /* Orthonormal rows (or columns) of a rows×cols matrix: Σq² = min(rows,
     * cols), spread over rows·cols entries, so E[q²] = 1/max(fan_in, fan_out). */
    case GL_INIT_ORTHOGONAL: s = g / sqrt(fi > fo ? fi : fo); break;
    /* nn.Linear.reset_parameters: kaiming_uniform_(a=√5), gain √(2/(1+a²)),
     * bound = √3·gain/√fan_in = 1/√fan_in (a² rounds to 5 + 2⁻⁵⁰, as in torch). */
    case GL_INIT_TORCH_DEFAULT: {
      const double a = sqrt(5.0);
      s = sqrt(2.0 / (1.0 + a * a)) / sqrt(fi), b = sqrt3 * s;
      break;
    }
    default: s = 0; break; /* constant */
  }
  *std = s;
  *bound = b;
}

/* The parameter a scheme's size scales with, for a message: "sigma", "gain"
 * or "value", and its value (the default gain when NaN). */
static const char *size_param(int init, double gain, double sigma, double value, double *v) {
  const int uses = gl_init_uses(init);
  if (uses & GL_USES_SIGMA) return *v = sigma, "sigma";
  if (uses & GL_USES_VALUE) return *v = value, "value";
  *v = isnan(gain) ? gl_init_default_gain(init) : gain;
  return "gain";
}

/* x rounded down to 3 significant digits, so a message's "use … <= x" is accepted. */
static double floor3(double x) {
  if (!(x > 0) || !isfinite(x)) return x;
  const double unit = pow(10.0, floor(log10(x)) - 2);
  const double r = floor(x / unit) * unit;
  return r <= x ? r : x;
}

int gl_init_check_size(int init, double gain, double sigma, double value, double got, double limit,
                       int power, const char *what) {
  if (isfinite(got) && fabs(got) <= limit) return GL_OK;
  double v;
  const char *name = size_param(init, gain, sigma, value, &v);
  /* got is proportional to the parameter (the caller passes p-th roots) */
  const double largest = isfinite(got) && got != 0 ? floor3(fabs(v) * (limit / fabs(got))) : 0;
  return gl_fail(GL_ERANGE, "%s with %s = %g: %s would be more than %.4g; use %s <= %g",
                 gl_init_name(init), name, v, what, power == 2 ? limit * limit : limit, name, largest);
}

/* A uniform scheme draws −b + 2b·u in double: 2b must be finite, so b ≤
 * DBL_MAX/2; and the std finite. */
static int check_theory(int init, double gain, double sigma, double value, double std, double bound) {
  int st;
  if ((st = gl_init_check_size(init, gain, sigma, value, std, DBL_MAX, 1, "the std")) ||
      (!isnan(bound) &&
       (st = gl_init_check_size(init, gain, sigma, value, bound, DBL_MAX / 2, 1,
                                "the bound b of U(-b, b), drawn as -b + 2b*u,"))))
    return st;
  return GL_OK;
}

/* The weights must be finite numbers of the dtype: in float32 a uniform bound
 * or a constant past FLT_MAX would round to ±Inf. */
static int check_dtype_range(int init, int dtype, double gain, double sigma, double value,
                             double bound) {
  if (dtype != GL_F32) return GL_OK;
  if (init == GL_INIT_CONSTANT)
    return gl_init_check_size(init, gain, sigma, value, value, FLT_MAX, 1, "a float32 weight");
  if (!isnan(bound))
    return gl_init_check_size(init, gain, sigma, value, bound, FLT_MAX, 1,
                              "the bound b of U(-b, b) in float32");
  return GL_OK;
}

int gl_init_theory(int init, int fan_in, int fan_out, double gain, double sigma, double value,
                   double *std, double *bound) {
  int st;
  if ((st = check_params(init, fan_in, fan_out, gain, sigma, value)) ||
      (st = gl_check_ptr("std", std)) || (st = gl_check_ptr("bound", bound)))
    return st;
  double s, b;
  theory(init, fan_in, fan_out, gain, sigma, &s, &b);
  if ((st = check_theory(init, gain, sigma, value, s, b))) return st;
  *std = s;
  *bound = b;
  return GL_OK;
}

int gl_init_check_weights(int init, int fan_in, int fan_out, double gain, double sigma,
                          double value, int dtype) {
  int st;
  double s, b;
  if ((st = gl_init_theory(init, fan_in, fan_out, gain, sigma, value, &s, &b)) ||
      (st = gl_check_dtype(dtype)) || (st = check_dtype_range(init, dtype, gain, sigma, value, b)))
    return st;
  return GL_OK;
}

static double gain_or_default(int init, double gain) {
  return isnan(gain) ? gl_init_default_gain(init) : gain;
}

int gl_init_fill(int init, int fan_in, int fan_out, double gain, double sigma, double value,
                 int dtype, gl_rng *r, void *w) {
  int st;
  if ((st = check_params(init, fan_in, fan_out, gain, sigma, value)) ||
      (st = gl_check_dtype(dtype)) || (st = gl_check_ptr("rng", r)) || (st = gl_check_ptr("w", w)))
    return st;
  double s, b;
  theory(init, fan_in, fan_out, gain, sigma, &s, &b);
  if ((st = check_theory(init, gain, sigma, value, s, b)) ||
      (st = check_dtype_range(init, dtype, gain, sigma, value, b)))
    return st;
  const size_t n = (size_t)fan_in * (size_t)fan_out;
  if (init == GL_INIT_ORTHOGONAL)
    return gl_random_orthogonal(fan_out, fan_in, gain_or_default(init, gain), dtype, r, w);
  if (init == GL_INIT_CONSTANT) {
    for (size_t i = 0; i < n; i++) gl_set(dtype, w, i, value);
  } else if (is_uniform(init)) {
    /* torch's uniform_(−b, b): −b + (b − (−b))·u, u ∈ [0, 1). */
    for (size_t i = 0; i < n; i++) gl_set(dtype, w, i, -b + 2.0 * b * gl_rng_uniform(r));
  } else {
    gl_rng_normal_fill(r, dtype, n, s, w);
  }
  return GL_OK;
}

/* The largest |z| of torch's unit normals: √(−2 ln u) with u ≥ 2⁻²⁴ (float
 * uniforms) or 2⁻⁵³ (the double path for fewer than 16 values): < 8.6. */
#define TORCH_MAX_Z 9.0

/* gl_init_check_torch, giving the scheme's std and bound to a caller that draws. */
static int check_torch(int init, int fan_in, int fan_out, double gain, double sigma, double value,
                       double *s, double *b) {
  int st;
  if ((st = gl_init_check_weights(init, fan_in, fan_out, gain, sigma, value, GL_F32))) return st;
  theory(init, fan_in, fan_out, gain, sigma, s, b);
  if (init == GL_INIT_CONSTANT) return GL_OK;
  /* torch's uniform_ computes to − from = 2b in float32 (and refuses it past
   * FLT_MAX); a normal's draws reach TORCH_MAX_Z·std */
  if (!isnan(*b))
    return gl_init_check_size(init, gain, sigma, value, *b, FLT_MAX / 2, 1,
                              "the bound b of U(-b, b), whose width 2b torch takes in float32,");
  return gl_init_check_size(init, gain, sigma, value, *s, FLT_MAX / TORCH_MAX_Z, 1,
                            "the std of float32 draws, which reach 9 std,");
}

int gl_init_check_torch(int init, int fan_in, int fan_out, double gain, double sigma,
                        double value) {
  double s, b;
  return check_torch(init, fan_in, fan_out, gain, sigma, value, &s, &b);
}

int gl_init_fill_torch(int init, int fan_in, int fan_out, double gain, double sigma, double value,
                       int dtype, gl_torch_rng *g, void *w) {
  int st;
  double s, b;
  if ((st = check_torch(init, fan_in, fan_out, gain, sigma, value, &s, &b)) ||
      (st = gl_check_dtype(dtype)) || (st = gl_check_ptr("rng", g)) || (st = gl_check_ptr("w", w)))
    return st;
  const size_t n = (size_t)fan_in * (size_t)fan_out;
  /* float32 values, widened in place for float64: the n floats go to the
   * second half of w's 8n bytes, and double i (floats 2i and 2i + 1) is
   * written after float n + i was read, over floats that were all read. */
  float *f = dtype == GL_F32 ? w : (float *)w + n;
  if (init == GL_INIT_ORTHOGONAL) {
    if ((st = gl_torch_orthogonal(fan_out, fan_in, gain_or_default(init, gain), GL_F32, g, f)))
      return st;
  } else if (init == GL_INIT_CONSTANT) {
    for (size_t i = 0; i < n; i++) f[i] = (float)value;
  } else if (is_uniform(init)) {
    gl_torch_uniform(g, n, -b, b, f);
  } else {
    gl_torch_normal(g, n, 0.0, s, f);
  }
  if (dtype != GL_F32)
    for (size_t i = 0; i < n; i++) ((double *)w)[i] = f[i];
  return GL_OK;
}

int gl_init_sample(int init, int fan_in, int fan_out, double gain, double sigma, double value,
                   int dtype, double seed, void *w, double *stats) {
  int st;
  uint64_t s = 0;
  double std, bound;
  if ((st = gl_init_theory(init, fan_in, fan_out, gain, sigma, value, &std, &bound)) ||
      (st = gl_check_dtype(dtype)) ||
      (st = check_dtype_range(init, dtype, gain, sigma, value, bound)) ||
      (st = gl_seed_from_double(seed, &s)) || (st = gl_check_ptr("stats", stats)))
    return st;
  const size_t n = gl_size_mul((size_t)fan_in, (size_t)fan_out), es = (size_t)gl_dtype_size(dtype);
  /* Peak internal memory: our scratch (if w is NULL) plus the orthogonal
   * init's float64 QR scratch. */
  size_t peak = w ? 0 : gl_size_mul(n, es);
  if (init == GL_INIT_ORTHOGONAL)
    peak = gl_size_add(peak, gl_size_mul(gl_ortho_scratch_doubles((size_t)fan_out, (size_t)fan_in), sizeof(double)));
  if ((st = gl_check_bytes((double)peak, "the scratch of a %d x %d sample", fan_out, fan_in)))
    return st;
  void *buf = NULL;
  if (!w && !(w = buf = malloc(n * es)))
    return gl_fail(GL_ENOMEM, "out of memory for a %d x %d weight", fan_out, fan_in);
  gl_rng r;
  gl_rng_init(&r, s);
  if (!(st = gl_init_fill(init, fan_in, fan_out, gain, sigma, value, dtype, &r, w)))
    st = gl_stats(dtype, (int)n, w, stats);
  free(buf);
  return st;
}
