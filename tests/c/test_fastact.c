/* test_fastact.c — the libm-free float32 tanh and sigmoid stay within 1 ulp
 * of the exact function, rounded to float32 from float64 libm, over a sweep
 * of the whole float32 line, and keep their special values. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "gradlab.h"
#include "internal.h"

/* Distance in ulps between two floats (their order in the integer line). */
static int64_t ulp_distance(float a, float b) {
  int32_t ia, ib;
  memcpy(&ia, &a, 4);
  memcpy(&ib, &b, 4);
  int64_t oa = ia < 0 ? (int64_t)INT32_MIN - ia : ia, ob = ib < 0 ? (int64_t)INT32_MIN - ib : ib;
  return oa > ob ? oa - ob : ob - oa;
}

static double exact_sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }

/* Sweeps every 389th float32 bit pattern (11 million values, every binade
 * and both signs) in blocks, returning the largest error in ulps. */
static int64_t sweep(void (*fast)(size_t, const float *, float *), double (*exact)(double),
                     float *where) {
  enum { N = 4096 };
  static float x[N], y[N];
  int64_t worst = 0;
  size_t k = 0;
  for (uint64_t u = 0; u < 0x100000000ull; u += 389) {
    uint32_t b = (uint32_t)u;
    float f;
    memcpy(&f, &b, 4);
    if (isnan(f)) continue;
    x[k++] = f;
    if (k == N || u + 389 >= 0x100000000ull) {
      fast(k, x, y);
      for (size_t i = 0; i < k; i++) {
        int64_t d = ulp_distance(y[i], (float)exact((double)x[i]));
        if (d > worst) worst = d, *where = x[i];
      }
      k = 0;
    }
  }
  return worst;
}

TEST(fast_tanh_is_within_one_ulp_over_the_whole_float32_line) {
  float where = 0;
  int64_t worst = sweep(gl_tanh_f32, tanh, &where);
  CHECK(worst <= 1);
  printf("  tanh: largest error %lld ulp (at %g)\n", (long long)worst, (double)where);
}

TEST(fast_sigmoid_is_within_one_ulp_over_the_whole_float32_line) {
  float where = 0;
  int64_t worst = sweep(gl_sigmoid_f32, exact_sigmoid, &where);
  CHECK(worst <= 1);
  printf("  sigmoid: largest error %lld ulp (at %g)\n", (long long)worst, (double)where);
}

TEST(fast_tanh_keeps_special_values) {
  const float x[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, 1000.0f, -1000.0f, 1e-30f, -1e-30f};
  float y[9];
  gl_tanh_f32(9, x, y);
  CHECK(y[0] == 0.0f && !signbit(y[0]));
  CHECK(y[1] == 0.0f);
  CHECK(y[2] == 1.0f && y[3] == -1.0f);
  CHECK(isnan(y[4]));
  CHECK(y[5] == 1.0f && y[6] == -1.0f);
  CHECK(y[7] == 1e-30f && y[8] == -1e-30f); /* tanh x = x to float precision near 0 */
}

TEST(fast_sigmoid_keeps_special_values_and_never_overflows) {
  const float x[] = {0.0f, INFINITY, -INFINITY, NAN, 1000.0f, -1000.0f, 88.8f, -88.8f, -103.0f};
  float y[9];
  gl_sigmoid_f32(9, x, y);
  CHECK(y[0] == 0.5f);
  CHECK(y[1] == 1.0f && y[2] == 0.0f);
  CHECK(isnan(y[3]));
  CHECK(y[4] == 1.0f && y[5] == 0.0f);
  CHECK(y[6] == 1.0f);
  /* σ(−88.8) ≈ 2.7e-39 is a float32 subnormal: its ulp is 1.4e-45 */
  CHECK_NEAR(y[7], (float)exact_sigmoid((double)x[7]), 1.5e-45);
  CHECK(y[8] > 0.0f && y[8] < 1e-44f); /* a subnormal, not 0 yet: e^-103 ≈ 1.4e-45 */
}

TEST(float32_forward_of_tanh_and_sigmoid_uses_the_fast_kernels) {
  float x[3] = {-2.5f, 0.25f, 7.0f}, y[3], z[3];
  CHECK(gl_act_forward(GL_TANH, GL_F32, 3, x, y) == GL_OK);
  gl_tanh_f32(3, x, z);
  CHECK(memcmp(y, z, sizeof y) == 0);
  CHECK(gl_act_forward(GL_SIGMOID, GL_F32, 3, x, y) == GL_OK);
  gl_sigmoid_f32(3, x, z);
  CHECK(memcmp(y, z, sizeof y) == 0);
}

int main(void) {
  RUN(fast_tanh_is_within_one_ulp_over_the_whole_float32_line);
  RUN(fast_sigmoid_is_within_one_ulp_over_the_whole_float32_line);
  RUN(fast_tanh_keeps_special_values);
  RUN(fast_sigmoid_keeps_special_values_and_never_overflows);
  RUN(float32_forward_of_tanh_and_sigmoid_uses_the_fast_kernels);
  return check_summary("fastact");
}
