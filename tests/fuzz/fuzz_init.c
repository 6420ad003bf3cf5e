/* fuzz_init.c — the init schemes (gl_init_theory, gl_init_sample, gl_init_fill,
 * gl_random_orthogonal), the samplers and statistics (gl_sample, gl_stats,
 * gl_histogram), the generator (gl_seed_from_double, gl_rng_*) and
 * gl_init_default_gain/gl_init_uses: hostile gains, sigmas, values and fans. */
#include "fuzz.h"

enum { F = 24, BINS = 16 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz f = {data, size};
  const int init = fz_size(&f, 0, GL_INIT_COUNT - 1), dtype = fz_size(&f, 0, 1);
  const int fi = fz_size(&f, 1, F), fo = fz_size(&f, 1, F);
  const double gain = fz_byte(&f) < 64 ? NAN : fz_double(&f, 0, 4);
  const double sigma = fz_double(&f, 0, 2), value = fz_double(&f, -2, 2), seed = fz_double(&f, 0, 1e9);
  (void)gl_init_default_gain(init);
  (void)gl_init_uses(init);
  const int small = fi >= 1 && fi <= F && fo >= 1 && fo <= F;
  double std = -1, bound = -1;
  const int th = FZ(gl_init_theory(init, fi, fo, gain, sigma, value, &std, &bound));
  if (th == GL_OK) { /* issue 14, item 5: a std or bound the draws cannot reach is refused */
    FZ_CHECK(isfinite(std) && std >= 0);
    FZ_CHECK(isnan(bound) || (isfinite(bound) && bound >= 0 && isfinite(2 * bound)));
  }
  double w[F * F], stats[5];
  if (small) {
    const int st = FZ(gl_init_sample(init, fi, fo, gain, sigma, value, dtype, seed, w, stats));
    if (st == GL_OK) {
      FZ_CHECK(th == GL_OK && stats[0] == (double)fi * fo);
      /* U(−b, b): finite, inside; float32 samples are the float64 ones rounded,
       * so one float32 step past a b that float32 cannot hold (b < 1.4e-45) */
      const double b32 = dtype == GL_F32 ? (double)nextafterf((float)bound, INFINITY) : bound;
      if (!isnan(bound)) FZ_CHECK(stats[3] >= -b32 && stats[4] <= b32);
    }
    gl_rng r;
    gl_rng_init(&r, (uint64_t)fz_u64(&f));
    if (FZ(gl_init_fill(init, fi, fo, gain, sigma, value, dtype, &r, w)) == GL_OK) FZ_CHECK(th == GL_OK);
    const double scale = fz_double(&f, -2, 2);
    if (FZ(gl_random_orthogonal(fo, fi, scale, dtype, &r, w)) == GL_OK) FZ_CHECK(isfinite(scale));
  } else {
    FZ_CHECK(th != GL_OK || FZ(gl_init_sample(init, fi, fo, gain, sigma, value, dtype, seed, NULL, NULL)) != GL_OK);
  }
  /* the samplers and the statistics of what they drew */
  const int dist = fz_size(&f, 0, 1), n = fz_size(&f, 1, F * F);
  const double a = fz_double(&f, -3, 3), b = fz_double(&f, -3, 3);
  if (n >= 1 && n <= F * F) {
    if (FZ(gl_sample(dist, dtype, seed, a, b, n, w)) == GL_OK) {
      FZ(gl_stats(dtype, n, w, stats));
      double counts[BINS], range[2] = {fz_double(&f, -3, 3), fz_double(&f, -3, 3)};
      const int bins = fz_size(&f, 1, BINS);
      if (FZ(gl_histogram(dtype, n, w, bins >= 1 && bins <= BINS ? bins : bins, bins >= 1 && bins <= BINS ? counts : NULL, range)) == GL_OK) {
        double total = 0;
        for (int k = 0; k < bins; k++) total += counts[k];
        FZ_CHECK(total <= n && range[0] < range[1]);
      }
    }
  } else {
    FZ_CHECK(FZ(gl_sample(dist, dtype, seed, a, b, n, NULL)) != GL_OK);
  }
  uint64_t s;
  if (FZ(gl_seed_from_double(seed, &s)) == GL_OK) FZ_CHECK(seed >= 0 && seed <= GL_MAX_SEED && (double)s == seed);
  return 0;
}
