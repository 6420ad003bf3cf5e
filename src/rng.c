/*
 * rng.c — seeded pseudo-random numbers.
 * xoshiro256** (Blackman & Vigna, 2018) seeded through splitmix64; normals by
 * a ziggurat whose tables are committed as exact constants.  Almost every
 * normal is integer arithmetic and one multiplication, so native and wasm
 * builds give the same samples; only the rare wedge and tail values go
 * through libm (exp, log1p), whose last bit may differ between builds.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "ziggurat_tables.h"

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void gl_rng_init(gl_rng *r, uint64_t seed) {
  uint64_t x = seed;
  for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

/* One xoshiro256** step on a state held in four variables (so that bulk
 * loops keep it in registers). */
#define XOSHIRO_STEP(s0, s1, s2, s3, result)   \
  do {                                         \
    (result) = rotl((s1) * 5, 7) * 9;          \
    const uint64_t t_ = (s1) << 17;            \
    (s2) ^= (s0);                              \
    (s3) ^= (s1);                              \
    (s1) ^= (s2);                              \
    (s0) ^= (s3);                              \
    (s2) ^= t_;                                \
    (s3) = rotl((s3), 45);                     \
  } while (0)

uint64_t gl_rng_next(gl_rng *r) {
  uint64_t result;
  XOSHIRO_STEP(r->s[0], r->s[1], r->s[2], r->s[3], result);
  return result;
}

/* The integers converted here are below 2^53: through int64_t they convert
 * with one signed instruction (wasm's unsigned 64-bit conversion is a
 * multi-instruction sequence in V8); the value is the same. */
double gl_rng_uniform(gl_rng *r) { return (double)(int64_t)(gl_rng_next(r) >> 11) * 0x1.0p-53; }

float gl_rng_uniformf(gl_rng *r) { return (float)(int32_t)(gl_rng_next(r) >> 40) * 0x1.0p-24f; }

/* The 256-layer ziggurat (Marsaglia & Tsang 2000): one 64-bit draw gives the
 * layer (8 bits), the sign (1 bit) and a 52-bit uniform; 99% of normals are
 * accepted on the spot by an integer comparison, the rest go through the
 * wedge test (exp) or the tail (log1p).  About 4 times faster than the polar
 * method, which needed a log for every pair. */

/* The fast path: the normal that draw u gives if its layer's rectangle
 * accepts it (returns 1), else the magnitude in *x for the slow path. */
static inline int zig_rectangle(uint64_t u, double *x) {
  const int layer = (int)(u & 0xff);
  const uint64_t mag = (u >> 9) & 0x000fffffffffffffULL;
  *x = (double)(int64_t)mag * zig_wi[layer];
  if (mag >= zig_ki[layer]) return 0;
  /* the sign bit of the draw becomes the sign of x, without a branch that
   * would be mispredicted half of the time */
  uint64_t bits;
  memcpy(&bits, x, sizeof bits);
  bits ^= (u >> 8 & 1) << 63;
  memcpy(x, &bits, sizeof bits);
  return 1;
}

/* The slow path of draw u (rejected by its rectangle; x its magnitude): the
 * tail beyond r for layer 0, by Marsaglia's exponential method, else the
 * wedge between the rectangle and the curve.  Returns 1 with the normal in
 * *x, or 0 if the draw is rejected and a new one is needed. */
__attribute__((noinline)) static int zig_slow(gl_rng *r, uint64_t u, double *x) {
  const int layer = (int)(u & 0xff), negative = (int)((u >> 8) & 1);
  if (layer == 0) {
    for (;;) {
      const double xx = -log1p(-gl_rng_uniform(r)) / ZIG_R;
      const double yy = -log1p(-gl_rng_uniform(r));
      if (yy + yy > xx * xx) {
        *x = negative ? -(ZIG_R + xx) : ZIG_R + xx;
        return 1;
      }
    }
  }
  if ((zig_fi[layer - 1] - zig_fi[layer]) * gl_rng_uniform(r) + zig_fi[layer] <
      exp(-0.5 * *x * *x)) {
    if (negative) *x = -*x;
    return 1;
  }
  return 0;
}

double gl_rng_normal(gl_rng *r) {
  double x;
  for (;;) {
    const uint64_t u = gl_rng_next(r);
    if (zig_rectangle(u, &x) || zig_slow(r, u, &x)) return x;
  }
}

/* gl_rng_normal n times, scaled, into out (dtype): the same numbers, with the
 * state in registers and the rare slow path out of line (~3× faster). */
#define DEFINE_NORMAL_FILL(T, SUF)                                                        \
  static void normal_fill_##SUF(gl_rng *r, size_t n, double scale, T *out) {              \
    uint64_t s0 = r->s[0], s1 = r->s[1], s2 = r->s[2], s3 = r->s[3], u;                   \
    for (size_t i = 0; i < n; i++) {                                                      \
      double x;                                                                           \
      for (;;) {                                                                          \
        XOSHIRO_STEP(s0, s1, s2, s3, u);                                                  \
        if (zig_rectangle(u, &x)) break;                                                  \
        gl_rng g = {{s0, s1, s2, s3}};                                                    \
        const int ok = zig_slow(&g, u, &x);                                               \
        s0 = g.s[0], s1 = g.s[1], s2 = g.s[2], s3 = g.s[3];                               \
        if (ok) break;                                                                    \
      }                                                                                   \
      out[i] = (T)(scale * x);                                                            \
    }                                                                                     \
    r->s[0] = s0, r->s[1] = s1, r->s[2] = s2, r->s[3] = s3;                               \
  }
DEFINE_NORMAL_FILL(float, f)
DEFINE_NORMAL_FILL(double, d)

void gl_rng_normal_fill(gl_rng *r, int dtype, size_t n, double scale, void *out) {
  if (dtype == GL_F32)
    normal_fill_f(r, n, scale, out);
  else
    normal_fill_d(r, n, scale, out);
}

int gl_seed_from_double(double seed, uint64_t *out) {
  if (!isfinite(seed) || seed < 0 || seed > GL_MAX_SEED || seed != floor(seed))
    return gl_fail(GL_EINVAL, "seed must be an integer in [0, 2^53], got %.17g", seed);
  *out = (uint64_t)seed;
  return GL_OK;
}

int gl_sample(int dist, int dtype, double seed, double a, double b, int n, void *out) {
  uint64_t s = 0;
  int st;
  if ((st = gl_check_dtype(dtype)) || (st = gl_seed_from_double(seed, &s)) ||
      (st = gl_check_count("sample count", n, 1, GL_SAMPLE_MAX_COUNT)) ||
      (st = gl_check_finite("first parameter", a)) ||
      (st = gl_check_finite("second parameter", b)) || (st = gl_check_ptr("out", out)))
    return st;
  if (dist == GL_DIST_NORMAL && b < 0)
    return gl_fail(GL_EINVAL, "normal std must be >= 0, got %g", b);
  if (dist == GL_DIST_UNIFORM && !(a < b))
    return gl_fail(GL_EINVAL, "uniform needs low < high, got [%g, %g)", a, b);
  if (dist != GL_DIST_NORMAL && dist != GL_DIST_UNIFORM)
    return gl_fail(GL_EINVAL, "unknown distribution %d (0 normal, 1 uniform)", dist);
  gl_rng r;
  gl_rng_init(&r, s);
  /* U[a, b) must never give b, but a + (b − a)·u can round up to it (in
   * float64 when u is near 1, and more often when rounded to float32): such a
   * value becomes the largest number of the dtype below b. */
  const double top = dtype == GL_F32 ? (double)nextafterf((float)b, -INFINITY) : nextafter(b, -INFINITY);
  for (int i = 0; i < n; i++) {
    double x = dist == GL_DIST_NORMAL ? a + b * gl_rng_normal(&r)
                                      : a + (b - a) * gl_rng_uniform(&r);
    if (dist == GL_DIST_UNIFORM && (dtype == GL_F32 ? (double)(float)x >= b : x >= b)) x = top;
    gl_set(dtype, out, (size_t)i, x);
  }
  return GL_OK;
}
