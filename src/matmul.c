/*
 * matmul.c — the matrix product every heavy computation of the core runs on:
 * C (m×n) = op(A)·op(B), row-major, in float32 or float64.
 *
 * Packed register-tile kernel.  B is packed into panels of NR columns
 * (k×NR, zero-padded) and A into panels of MR rows (k×MR); the micro-kernel
 * keeps an MR×NR tile of C in registers and streams both panels once, so each
 * loaded value is used NR (resp. MR) times.  Under wasm with -msimd128 the
 * float32 micro-kernel is written with wasm_simd128.h intrinsics (4×8 tile:
 * 8 accumulators of f32x4); elsewhere the same tile is plain C that compilers
 * vectorise.
 *
 * Every entry of C is the sum over p = 0..k−1 of A(i,p)·B(p,j) accumulated in
 * that order, one multiply and one add per term, whatever its position in a
 * tile or at an edge.  So identical rows give bit-identical outputs (constant
 * initialisation keeps all units exactly equal) and the result does not
 * depend on the tile size.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define MR 4
#define NR 8

/* Element (i, j) of a row-major matrix stored r×c, or of its transpose. */
#define ELEM(X, trans, i, j, ld) ((trans) ? (X)[(size_t)(j) * (ld) + (i)] : (X)[(size_t)(i) * (ld) + (j)])

#define DEFINE_MATMUL(T, SUF)                                                                  \
  /* Packs columns j0..j0+NR of op(B) (k×n) into bp[p·NR + c], zero-padded.  Full  \
   * panels take the direct paths: contiguous rows of B, or rows of Bᵀ read in order. */       \
  static void pack_b_##SUF(int tb, const T *B, size_t ldb, size_t k, size_t n, size_t j0,       \
                           T *bp) {                                                              \
    if (j0 + NR <= n) {                                                                          \
      if (!tb)                                                                                   \
        for (size_t p = 0; p < k; p++) memcpy(bp + p * NR, B + p * ldb + j0, NR * sizeof(T));    \
      else                                                                                       \
        for (size_t c = 0; c < NR; c++) {                                                        \
          const T *row = B + (j0 + c) * ldb;                                                     \
          for (size_t p = 0; p < k; p++) bp[p * NR + c] = row[p];                                \
        }                                                                                        \
      return;                                                                                    \
    }                                                                                            \
    for (size_t p = 0; p < k; p++)                                                               \
      for (size_t c = 0; c < NR; c++)                                                            \
        bp[p * NR + c] = j0 + c < n ? ELEM(B, tb, p, j0 + c, ldb) : (T)0;                        \
  }                                                                                              \
  /* Packs rows i0..i0+MR of op(A) (m×k) into ap[p·MR + r], zero-padded, with the   \
   * same direct paths for full panels. */                                                      \
  static void pack_a_##SUF(int ta, const T *A, size_t lda, size_t m, size_t k, size_t i0,       \
                           T *ap) {                                                              \
    if (i0 + MR <= m) {                                                                          \
      if (ta)                                                                                    \
        for (size_t p = 0; p < k; p++) memcpy(ap + p * MR, A + p * lda + i0, MR * sizeof(T));    \
      else                                                                                       \
        for (size_t r = 0; r < MR; r++) {                                                        \
          const T *row = A + (i0 + r) * lda;                                                     \
          for (size_t p = 0; p < k; p++) ap[p * MR + r] = row[p];                                \
        }                                                                                        \
      return;                                                                                    \
    }                                                                                            \
    for (size_t p = 0; p < k; p++)                                                               \
      for (size_t r = 0; r < MR; r++)                                                            \
        ap[p * MR + r] = i0 + r < m ? ELEM(A, ta, i0 + r, p, lda) : (T)0;                        \
  }                                                                                              \
  /* Portable MR×NR micro-kernel: acc[r][c] = Σ_p ap[p][r]·bp[p][c], in order. */             \
  static void tile_##SUF(size_t k, const T *ap, const T *bp, T acc[MR][NR]) {                  \
    for (size_t r = 0; r < MR; r++)                                                              \
      for (size_t c = 0; c < NR; c++) acc[r][c] = 0;                                             \
    for (size_t p = 0; p < k; p++) {                                                             \
      const T *a = ap + p * MR, *b = bp + p * NR;                                                \
      for (size_t r = 0; r < MR; r++)                                                            \
        for (size_t c = 0; c < NR; c++) acc[r][c] += a[r] * b[c];                                \
    }                                                                                            \
  }

DEFINE_MATMUL(float, f)
DEFINE_MATMUL(double, d)

#ifdef __wasm_simd128__
/* The float32 tile with wasm SIMD: 4 rows × 2 vectors of 4 = 8 accumulators.
 * wasm has no fused multiply-add, so this is the same mul-then-add per term
 * as the portable kernel, lane by lane. */
static void tile_f_simd(size_t k, const float *ap, const float *bp, float acc[MR][NR]) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00;
  v128_t c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (size_t p = 0; p < k; p++) {
    const float *a = ap + p * MR;
    const v128_t b0 = wasm_v128_load(bp + p * NR), b1 = wasm_v128_load(bp + p * NR + 4);
    const v128_t a0 = wasm_v128_load32_splat(a), a1 = wasm_v128_load32_splat(a + 1);
    const v128_t a2 = wasm_v128_load32_splat(a + 2), a3 = wasm_v128_load32_splat(a + 3);
    c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(a0, b0));
    c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(a0, b1));
    c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(a1, b0));
    c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(a1, b1));
    c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(a2, b0));
    c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(a2, b1));
    c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(a3, b0));
    c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(a3, b1));
  }
  wasm_v128_store(&acc[0][0], c00);
  wasm_v128_store(&acc[0][4], c01);
  wasm_v128_store(&acc[1][0], c10);
  wasm_v128_store(&acc[1][4], c11);
  wasm_v128_store(&acc[2][0], c20);
  wasm_v128_store(&acc[2][4], c21);
  wasm_v128_store(&acc[3][0], c30);
  wasm_v128_store(&acc[3][4], c31);
}
#define TILE_F tile_f_simd
#else
#define TILE_F tile_f
#endif

size_t gl_matmul_pack_elems(size_t n, size_t k) { return (((n + NR - 1) / NR) * NR + MR) * k; }

/* The driver, once per element type: pack op(B) panel by panel, then for each
 * MR-row panel of op(A) run the tile against every B panel and store the
 * part of the tile inside C. */
#define DEFINE_DRIVER(T, SUF, TILE)                                                        \
  static void matmul_##SUF(int ta, int tb, size_t m, size_t n, size_t k, const T *a,       \
                           const T *b, T *c, T *bp) {                                       \
    const size_t panels = (n + NR - 1) / NR, lda = ta ? m : k, ldb = tb ? k : n;           \
    T *ap = bp + panels * NR * k, acc[MR][NR];                                              \
    for (size_t jb = 0; jb < panels; jb++) pack_b_##SUF(tb, b, ldb, k, n, jb * NR, bp + jb * NR * k); \
    for (size_t i0 = 0; i0 < m; i0 += MR) {                                                 \
      pack_a_##SUF(ta, a, lda, m, k, i0, ap);                                               \
      for (size_t jb = 0; jb < panels; jb++) {                                              \
        TILE(k, ap, bp + jb * NR * k, acc);                                                 \
        for (size_t r = 0; r < MR && i0 + r < m; r++)                                       \
          for (size_t cc = 0; cc < NR && jb * NR + cc < n; cc++)                            \
            c[(i0 + r) * n + jb * NR + cc] = acc[r][cc];                                    \
      }                                                                                     \
    }                                                                                       \
  }

DEFINE_DRIVER(float, f, TILE_F)
DEFINE_DRIVER(double, d, tile_d)

void gl_matmul_packed(int dtype, int ta, int tb, size_t m, size_t n, size_t k, const void *A,
                      const void *B, void *C, void *pack) {
  if (dtype == GL_F32)
    matmul_f(ta, tb, m, n, k, A, B, C, pack);
  else
    matmul_d(ta, tb, m, n, k, A, B, C, pack);
}

int gl_matmul(int dtype, int ta, int tb, int m, int n, int k, const void *A, const void *B,
              void *C) {
  int st;
  if ((st = gl_check_dtype(dtype)) || (st = gl_check_count("m", m, 1, 1 << 20)) ||
      (st = gl_check_count("n", n, 1, 1 << 20)) || (st = gl_check_count("k", k, 1, 1 << 20)) ||
      (st = gl_check_ptr("A", A)) || (st = gl_check_ptr("B", B)) || (st = gl_check_ptr("C", C)))
    return st;
  const double bytes = (double)gl_matmul_pack_elems((size_t)n, (size_t)k) * gl_dtype_size(dtype);
  if (bytes > (double)GL_MAX_BYTES)
    return gl_fail(GL_ERANGE, "matmul %dx%dx%d needs %.1f MiB of packing, more than %zu MiB", m, k,
                   n, bytes / (1 << 20), GL_MAX_BYTES >> 20);
  void *pack = malloc((size_t)bytes);
  if (!pack) return gl_fail(GL_ENOMEM, "out of memory packing a %dx%d matrix", k, n);
  gl_matmul_packed(dtype, ta, tb, (size_t)m, (size_t)n, (size_t)k, A, B, C, pack);
  free(pack);
  return GL_OK;
}
