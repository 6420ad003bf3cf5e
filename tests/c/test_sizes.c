/*
 * test_sizes.c — overflow-checked size arithmetic (internal.h's gl_size_mul
 * and gl_size_add): sizes that would wrap saturate at SIZE_MAX, which the
 * memory cap refuses, so no allocation is ever made from a wrapped size.
 * The wasm build (32-bit size_t) is tested through Node (sizes.test.js).
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "internal.h"

TEST(size_mul_and_add_are_exact_below_size_max) {
  CHECK(gl_size_mul(0, SIZE_MAX) == 0);
  CHECK(gl_size_mul(SIZE_MAX, 1) == SIZE_MAX);
  CHECK(gl_size_mul(3, 7) == 21);
  CHECK(gl_size_mul(SIZE_MAX / 2, 2) == SIZE_MAX - 1);
  CHECK(gl_size_add(SIZE_MAX - 5, 5) == SIZE_MAX);
  CHECK(gl_size_add(40, 2) == 42);
}

TEST(size_mul_and_add_saturate_instead_of_wrapping) {
  CHECK(gl_size_mul(SIZE_MAX / 2 + 1, 2) == SIZE_MAX);  /* would wrap to 0 */
  CHECK(gl_size_mul((size_t)1 << (sizeof(size_t) * 4), (size_t)1 << (sizeof(size_t) * 4)) == SIZE_MAX);
  CHECK(gl_size_add(SIZE_MAX, 1) == SIZE_MAX);           /* would wrap to 0 */
  CHECK(gl_size_add(SIZE_MAX - 1, SIZE_MAX - 1) == SIZE_MAX);
}

TEST(matmul_pack_elems_saturate_and_the_cap_refuses_them) {
  /* n·k elements beyond size_t: the count saturates rather than wrapping to a small one */
  CHECK(gl_matmul_pack_elems(SIZE_MAX, 2) == SIZE_MAX);
  CHECK(gl_matmul_pack_elems(SIZE_MAX / 4, 8) == SIZE_MAX);
  CHECK(gl_matmul_pack_elems(SIZE_MAX - 3, 1) == SIZE_MAX); /* ceil(n / NR) without n + NR − 1 */
  CHECK(gl_matmul_pack_elems(16, 3) >= 16 * 3);
  CHECK(gl_check_bytes((double)SIZE_MAX, "a saturated size") == GL_ERANGE);
  CHECK(strstr(gl_last_error(), "a saturated size needs more than") != NULL);
  CHECK(strstr(gl_last_error(), ", more than the 512 MiB cap") != NULL);
}

TEST(matmul_refuses_the_sizes_that_wrapped_in_wasm) {
  /* m,n,k = 1, 2^20, 2^12: 2^32 packing elements, 0 mod 2^32 in a 32-bit size_t */
  float x = 0;
  CHECK(gl_matmul(GL_F32, 0, 0, 1, 1 << 20, 1 << 12, &x, &x, &x) == GL_ERANGE);
  CHECK(strstr(gl_last_error(), "the packing of matmul 1x4096x1048576") != NULL);
  CHECK(gl_matmul(GL_F64, 1, 1, 1 << 20, 1 << 20, 1 << 20, &x, &x, &x) == GL_ERANGE);
}

int main(void) {
  RUN(size_mul_and_add_are_exact_below_size_max);
  RUN(size_mul_and_add_saturate_instead_of_wrapping);
  RUN(matmul_pack_elems_saturate_and_the_cap_refuses_them);
  RUN(matmul_refuses_the_sizes_that_wrapped_in_wasm);
  return check_summary("sizes");
}
