/*
 * torch_rng.c — PyTorch's CPU generator, so that GradLab's seed s draws the
 * weights `torch.manual_seed(s)` draws.
 *
 * torch.manual_seed(s) seeds a 32-bit Mersenne Twister (MT19937, Matsumoto &
 * Nishimura 1998) with the low 32 bits of s.  normal_ and uniform_ on a
 * contiguous float32 tensor then turn its outputs into numbers like this
 * (ATen 1.13 on an AVX2 CPU; tests/node/torch-init.test.js holds every
 * scheme to torch value for value):
 *  - a float uniform is the low 24 bits of one output times 2⁻²⁴;
 *    uniform_(from, to) returns u·(to − from) + from in float32, the product
 *    and the sum fused (the AVX2 build contracts them);
 *  - normal_ on 16 values or more first fills the tensor with uniforms, then
 *    transforms each block of 16 by Box–Muller: u1 = 1 − data[j],
 *    u2 = data[j + 8], r = √(−2 ln u1), θ = 2π·u2, data[j] = r cos θ·std + mean,
 *    data[j + 8] = r sin θ·std + mean; when 16 does not divide the size, the
 *    last 16 values are drawn again and transformed as one more block.  ln,
 *    sin and cos are avx_mathfun's cephes polynomials, reproduced here
 *    operation for operation with the fused multiply-adds the compiler made;
 *  - normal_ on fewer than 16 values draws double normals one at a time by
 *    Box–Muller from two double uniforms (53 bits of two outputs, the first
 *    the high word), keeping r sin θ for the next call (the generator's
 *    cache, cleared by a new seed), each rounded to float;
 *  - torch.rand(…, dtype=torch.float64) is that double uniform, one per value.
 * Everything but the short normal path is exact IEEE arithmetic, so native
 * and wasm builds give torch's bits; that path's libm (log, sin, cos in
 * double) may differ from glibc's in a last bit before the rounding to float.
 * torch takes the polynomial path in its AVX2 kernels, the ones it runs on
 * these machines (torch.backends.cpu.get_cpu_capability() = AVX2); other
 * builds (AVX-512, ARM) may use libm's logf/cosf/sinf there instead, whose
 * last bits may differ from these.
 */
#include <math.h>
#include <string.h>

#include "internal.h"

/* ---- MT19937 ------------------------------------------------------------------ */

enum { MT_N = 624, MT_M = 397 };

void gl_torch_seed(gl_torch_rng *g, uint64_t seed) {
  g->mt[0] = (uint32_t)seed; /* at::mt19937 keeps the low 32 bits */
  for (int i = 1; i < MT_N; i++)
    g->mt[i] = 1812433253u * (g->mt[i - 1] ^ (g->mt[i - 1] >> 30)) + (uint32_t)i;
  g->next = MT_N;
  g->has_normal = 0;
  g->normal = 0;
}

static void mt_twist(uint32_t *mt) {
  for (int i = 0; i < MT_N; i++) {
    const uint32_t y = (mt[i] & 0x80000000u) | (mt[(i + 1) % MT_N] & 0x7fffffffu);
    mt[i] = mt[(i + MT_M) % MT_N] ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
  }
}

uint32_t gl_torch_random(gl_torch_rng *g) {
  if (g->next >= MT_N) {
    mt_twist(g->mt);
    g->next = 0;
  }
  uint32_t y = g->mt[g->next++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  return y ^ (y >> 18);
}

static uint64_t random64(gl_torch_rng *g) {
  const uint64_t hi = gl_torch_random(g);
  return hi << 32 | gl_torch_random(g);
}

static float uniform01f(gl_torch_rng *g) { return (float)(gl_torch_random(g) & 0xffffffu) * 0x1p-24f; }
double gl_torch_double(gl_torch_rng *g) {
  return (double)(int64_t)(random64(g) & 0x1fffffffffffffull) * 0x1p-53;
}

/* ---- float32 ln, sin and cos as avx_mathfun computes them ---------------------------- */

static float bits_f(uint32_t u) {
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}
static uint32_t f_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}

/* Cephes logf: x = m·2^e with m ∈ [√½, √2), ln x = ln m + e·ln 2, ln 2 split
 * in two (q2 + q1) so that e·q2 is exact.  x > 0 here (u1 ∈ (0, 1]). */
static float cephes_logf(float x) {
  const uint32_t u = f_bits(x);
  float e = (float)((int32_t)(u >> 23) - 0x7f) + 1.0f;
  float m = bits_f((u & ~0x7f800000u) | f_bits(0.5f)); /* ∈ [0.5, 1) */
  if (m < 0.707106781186547524f) {
    e -= 1.0f;
    m = (m - 1.0f) + m;
  } else {
    m = m - 1.0f;
  }
  const float z = m * m;
  float y = fmaf(7.0376836292e-2f, m, -1.1514610310e-1f);
  y = fmaf(y, m, 1.1676998740e-1f);
  y = fmaf(y, m, -1.2420140846e-1f);
  y = fmaf(y, m, 1.4249322787e-1f);
  y = fmaf(y, m, -1.6668057665e-1f);
  y = fmaf(y, m, 2.0000714765e-1f);
  y = fmaf(y, m, -2.4999993993e-1f);
  y = fmaf(y, m, 3.3333331174e-1f);
  y = y * m;
  y = fmaf(y, z, e * -2.12194440e-4f);
  y = fmaf(-z, 0.5f, y);
  return fmaf(e, 0.693359375f, m + y);
}

/* Cephes sincosf for θ ∈ [0, 2π): j = the octant rounded up to even, x
 * reduced by j·π/4 in three parts, one polynomial for sin and one for cos on
 * [−π/4, π/4], swapped and signed by j. */
static void cephes_sincosf(float theta, float *s, float *c) {
  const float x0 = fabsf(theta);
  const int32_t j = ((int32_t)(x0 * 1.27323954473516f) + 1) & ~1;
  const float y = (float)j;
  float x = fmaf(y, -0.78515625f, x0);
  x = fmaf(y, -2.4187564849853515625e-4f, x);
  x = fmaf(y, -3.77489497744594108e-8f, x);
  const float z = x * x;
  float pc = fmaf(2.443315711809948e-5f, z, -1.388731625493765e-3f);
  pc = fmaf(pc, z, 4.166664568298827e-2f);
  pc = pc * z;
  pc = fmaf(pc, z, -(z * 0.5f));
  pc = pc + 1.0f;
  float ps = fmaf(-1.9515295891e-4f, z, 8.3321608736e-3f);
  ps = fmaf(ps, z, -1.6666654611e-1f);
  ps = ps * z;
  ps = fmaf(ps, x, x);
  const int swap = (j & 2) != 0; /* octants 2–5 (mod 8): sin takes the cos polynomial */
  float sv = swap ? pc : ps, cv = swap ? ps : pc;
  if ((j & 4) != (signbit(theta) ? 4 : 0)) sv = -sv;
  if (((j - 2) & 4) == 0) cv = -cv;
  *s = sv;
  *c = cv;
}

/* ---- tensor.normal_ and tensor.uniform_ on float32 ----------------------------------- */

/* One block of 16 as torch's AVX2 normal_fill_16. */
static void box_muller16(float *d, float mean, float std) {
  for (int j = 0; j < 8; j++) {
    const float u1 = 1.0f - d[j], u2 = d[j + 8];
    const float radius = sqrtf(-2.0f * cephes_logf(u1));
    float s, c;
    cephes_sincosf((float)(2.0 * 3.14159265358979323846) * u2, &s, &c);
    d[j] = fmaf(radius * c, std, mean);
    d[j + 8] = fmaf(radius * s, std, mean);
  }
}

/* at::normal_distribution<double>: one normal, the second of each pair kept. */
static double normal_one(gl_torch_rng *g, double mean, double std) {
  if (g->has_normal) {
    g->has_normal = 0;
    return fma(g->normal, std, mean);
  }
  const double u1 = gl_torch_double(g), u2 = gl_torch_double(g);
  const double r = sqrt(-2.0 * log(1.0 - u2)), theta = 2.0 * 3.14159265358979323846 * u1;
  g->normal = r * sin(theta);
  g->has_normal = 1;
  return fma(r * cos(theta), std, mean);
}

void gl_torch_normal(gl_torch_rng *g, size_t n, double mean, double std, float *out) {
  if (n < 16) { /* torch's serial path: double normals, rounded */
    for (size_t i = 0; i < n; i++) out[i] = (float)normal_one(g, mean, std);
    return;
  }
  const float m = (float)mean, s = (float)std;
  for (size_t i = 0; i < n; i++) out[i] = uniform01f(g);
  for (size_t i = 0; i + 16 <= n; i += 16) box_muller16(out + i, m, s);
  if (n % 16) {
    for (size_t i = n - 16; i < n; i++) out[i] = uniform01f(g);
    box_muller16(out + n - 16, m, s);
  }
}

void gl_torch_uniform(gl_torch_rng *g, size_t n, double from, double to, float *out) {
  const float a = (float)from, w = (float)to - a;
  for (size_t i = 0; i < n; i++) out[i] = fmaf(uniform01f(g), w, a);
}
