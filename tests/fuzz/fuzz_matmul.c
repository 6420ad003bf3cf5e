/* fuzz_matmul.c — gl_matmul: every transpose and dtype at small sizes, checked
 * against a naive product, and hostile sizes (which must be refused before
 * any buffer is touched: they come with NULL buffers). */
#include "fuzz.h"

enum { M = 24 };

static double get(int dtype, const void *p, size_t i) {
  return dtype == GL_F32 ? ((const float *)p)[i] : ((const double *)p)[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz f = {data, size};
  const int dtype = fz_range(&f, 0, 1), ta = fz_range(&f, 0, 1), tb = fz_range(&f, 0, 1);
  if (fz_byte(&f) < 32) { /* hostile sizes: refused, never dereferenced */
    const int m = fz_size(&f, -4, 1 << 21), n = fz_size(&f, -4, 1 << 21), k = fz_size(&f, -4, 1 << 21);
    int st = FZ(gl_matmul(dtype, ta, tb, m, n, k, NULL, NULL, NULL));
    FZ_CHECK(st != GL_OK);
    return 0;
  }
  const int m = fz_range(&f, 1, M), n = fz_range(&f, 1, M), k = fz_range(&f, 1, M);
  double A[M * M], B[M * M], C[M * M];
  for (int i = 0; i < M * M; i++) A[i] = fz_double(&f, -3, 3), B[i] = fz_double(&f, -3, 3);
  if (dtype == GL_F32)
    for (int i = 0; i < M * M; i++) ((float *)A)[i] = (float)A[i], ((float *)B)[i] = (float)B[i];
  if (FZ(gl_matmul(dtype, ta, tb, m, n, k, A, B, C)) != GL_OK) FZ_FAIL("valid matmul refused: %s", gl_last_error());
  /* compare with the naive sum over k in order, where every input is finite and modest */
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) {
      double ref = 0, mag = 0;
      int finite = 1;
      for (int t = 0; t < k; t++) {
        const double a = get(dtype, A, ta ? (size_t)t * m + i : (size_t)i * k + t);
        const double b = get(dtype, B, tb ? (size_t)j * k + t : (size_t)t * n + j);
        finite &= isfinite(a) && isfinite(b) && fabs(a) < 1e10 && fabs(b) < 1e10;
        ref += a * b;
        mag += fabs(a * b);
      }
      const double c = get(dtype, C, (size_t)i * n + j);
      if (finite) FZ_CHECK(fabs(c - ref) <= (dtype == GL_F32 ? 1e-4 : 1e-12) * (mag + 1e-30) * k);
    }
  return 0;
}
