/* test_torch_rng.c — PyTorch's CPU generator (src/torch_rng.c).  Known
 * answers: the MT19937 reference check (the 10000th output of the default
 * seed 5489 is 4123659995, as C++11 requires of std::mt19937), and numbers
 * torch 1.13 printed after torch.manual_seed(0) for each path of normal_ and
 * uniform_ (tests/node/torch-init.test.js compares whole networks with torch
 * itself). */
#include <float.h>
#include <math.h>
#include <stdint.h>

#include "check.h"
#include "internal.h"

TEST(mt19937_gives_the_cpp11_reference_output) {
  gl_torch_rng g;
  gl_torch_seed(&g, 5489);
  uint32_t x = 0;
  for (int i = 0; i < 10000; i++) x = gl_torch_random(&g);
  CHECK(x == 4123659995u);
}

TEST(only_the_low_32_bits_of_the_seed_count_as_in_torch) {
  gl_torch_rng a, b;
  gl_torch_seed(&a, 7);
  gl_torch_seed(&b, (UINT64_C(1) << 32) + 7);
  for (int i = 0; i < 1000; i++) CHECK(gl_torch_random(&a) == gl_torch_random(&b));
}

/* torch.manual_seed(0); torch.rand(4) */
TEST(uniform_01_is_24_bits_of_one_output) {
  gl_torch_rng g;
  gl_torch_seed(&g, 0);
  float u[4];
  gl_torch_uniform(&g, 4, 0.0, 1.0, u);
  const double want[4] = {0.49625658988952637, 0.7682217955589294, 0.08847743272781372,
                          0.13203048706054688};
  for (int i = 0; i < 4; i++) CHECK(u[i] == (float)want[i]);
}

/* torch.manual_seed(0); torch.empty(3).normal_(); torch.empty(3).normal_():
 * fewer than 16 values, double Box–Muller pairs, the second of the pair
 * carried into the next call. */
TEST(short_normals_keep_the_second_of_each_pair_for_the_next_call) {
  gl_torch_rng g;
  gl_torch_seed(&g, 0);
  float a[3], b[3];
  gl_torch_normal(&g, 3, 0.0, 1.0, a);
  gl_torch_normal(&g, 3, 0.0, 1.0, b);
  const double want[6] = {1.5409960746765137,  -0.293428897857666,  -2.1787893772125244,
                          0.5684312582015991, -1.0845223665237427, -1.3985954523086548};
  for (int i = 0; i < 3; i++) {
    CHECK(a[i] == (float)want[i]);
    CHECK(b[i] == (float)want[3 + i]);
  }
}

/* torch.manual_seed(0); torch.randn(20): 16 ∤ 20, so values 4..19 are drawn
 * again after the first block of 16 and transformed as a block of their own;
 * the avx_mathfun polynomials, value for value. */
TEST(long_normals_are_blocks_of_16_and_a_redrawn_last_block) {
  gl_torch_rng g;
  gl_torch_seed(&g, 0);
  float z[20];
  gl_torch_normal(&g, 20, 0.0, 1.0, z);
  const double want[20] = {
      -0x1.20370ap+0, -0x1.270114p+0, -0x1.0097acp-2, -0x1.bc4abap-2, 0x1.329b16p-1,
      -0x1.8e1ab6p+0, -0x1.5d8d94p-2, 0x1.da5e9cp+0,  0x1.df54aap-2,  -0x1.42febep-3,
      0x1.7193b6p+0,  0x1.106f42p-2,  0x1.63ad8p+0,   0x1.961ap+0,    0x1.e48138p-1,
      -0x1.aff666p-1, 0x1.dd186p-1,   0x1.424e6ep+0,  0x1.00a334p+1,  0x1.b83674p-5};
  for (int i = 0; i < 20; i++) CHECK(z[i] == (float)want[i]);
}

/* normal_(0, σ) scales the unit draw once, in float32: the lanes of one race
 * share their N(0, 1) draws. */
TEST(a_normal_of_std_sigma_is_the_unit_draw_times_sigma_rounded_once) {
  gl_torch_rng g;
  float one[64], small[64];
  gl_torch_seed(&g, 3);
  gl_torch_normal(&g, 64, 0.0, 1.0, one);
  gl_torch_seed(&g, 3);
  gl_torch_normal(&g, 64, 0.0, 0.01, small);
  for (int i = 0; i < 64; i++) CHECK(small[i] == one[i] * 0.01f);
}

/* torch.manual_seed(0); torch.rand(3, dtype=torch.float64): 53 bits of two
 * outputs, the first the high word. */
TEST(double_uniforms_are_53_bits_of_two_outputs) {
  gl_torch_rng g;
  gl_torch_seed(&g, 0);
  const double want[3] = {0x1.f0aac97c4aa2fp-1, 0x1.6a675d821ccc0p-1, 0x1.d6687b744a5f6p-2};
  for (int i = 0; i < 3; i++) CHECK(gl_torch_double(&g) == want[i]);
}

/* A refused orthogonal draw touches neither the weight nor the generator:
 * every check runs before the draw. */
TEST(a_refused_orthogonal_draw_leaves_weight_and_generator_alone) {
  gl_torch_rng g, fresh;
  gl_torch_seed(&g, 1);
  gl_torch_seed(&fresh, 1);
  float q[8 * 4];
  for (int i = 0; i < 32; i++) q[i] = 42.0f;
  CHECK(gl_torch_orthogonal(8, 4, INFINITY, GL_F32, &g, q) != GL_OK);
  CHECK(gl_torch_orthogonal(8, 4, 1.0, 7, &g, q) != GL_OK);
  CHECK(gl_torch_orthogonal(0, 4, 1.0, GL_F32, &g, q) != GL_OK);
  for (int i = 0; i < 32; i++) CHECK(q[i] == 42.0f);
  CHECK(gl_torch_random(&g) == gl_torch_random(&fresh));
  /* and a valid one gives orthonormal columns */
  CHECK(gl_torch_orthogonal(8, 4, 1.0, GL_F32, &g, q) == GL_OK);
  for (int a = 0; a < 4; a++)
    for (int b = 0; b < 4; b++) {
      double dot = 0;
      for (int i = 0; i < 8; i++) dot += (double)q[i * 4 + a] * q[i * 4 + b];
      CHECK_NEAR(dot, a == b ? 1.0 : 0.0, 1e-6);
    }
}

/* gl_init_fill_torch refuses, before drawing, what float32 cannot hold. */
TEST(torch_fills_refuse_weights_float32_cannot_hold) {
  gl_torch_rng g;
  gl_torch_seed(&g, 0);
  static double w[100];
  CHECK(gl_init_fill_torch(GL_INIT_UNIFORM, 10, 10, NAN, 2e38, 0, GL_F64, &g, w) != GL_OK);
  CHECK(gl_init_fill_torch(GL_INIT_NORMAL, 10, 10, NAN, 1e38, 0, GL_F64, &g, w) != GL_OK);
  CHECK(gl_init_fill_torch(GL_INIT_CONSTANT, 10, 10, NAN, 0, 1e39, GL_F64, &g, w) != GL_OK);
  CHECK(gl_init_fill_torch(GL_INIT_NORMAL, 10, 10, NAN, 1.0, 0, GL_F64, NULL, w) != GL_OK);
  gl_torch_rng fresh;
  gl_torch_seed(&fresh, 0);
  CHECK(gl_torch_random(&g) == gl_torch_random(&fresh));
  /* the largest accepted: every weight finite */
  CHECK(gl_init_fill_torch(GL_INIT_UNIFORM, 10, 10, NAN, 0.99 * FLT_MAX / 2 / sqrt(3.0), 0, GL_F64, &g, w) == GL_OK);
  for (int i = 0; i < 100; i++) CHECK(isfinite(w[i]));
  CHECK(gl_init_fill_torch(GL_INIT_NORMAL, 10, 10, NAN, 0.99 * FLT_MAX / 9, 0, GL_F64, &g, w) == GL_OK);
  for (int i = 0; i < 100; i++) CHECK(isfinite(w[i]));
}

int main(void) {
  RUN(mt19937_gives_the_cpp11_reference_output);
  RUN(only_the_low_32_bits_of_the_seed_count_as_in_torch);
  RUN(uniform_01_is_24_bits_of_one_output);
  RUN(short_normals_keep_the_second_of_each_pair_for_the_next_call);
  RUN(long_normals_are_blocks_of_16_and_a_redrawn_last_block);
  RUN(a_normal_of_std_sigma_is_the_unit_draw_times_sigma_rounded_once);
  RUN(double_uniforms_are_53_bits_of_two_outputs);
  RUN(a_refused_orthogonal_draw_leaves_weight_and_generator_alone);
  RUN(torch_fills_refuse_weights_float32_cannot_hold);
  return check_summary("torch_rng");
}
