/*
 * matmul.c — the matrix product every heavy computation of the core runs on:
 * C (m×n) = op(A)·op(B), row-major, in float32 or float64.
 *
 * Register-tile kernel.  B is packed into panels of NR columns (k×NR,
 * zero-padded) and A into panels of MR rows (k×MR); the micro-kernel keeps an
 * MR×NR tile of C in registers and streams both panels once, so each loaded
 * value is used NR (resp. MR) times.  Small operands (IN_PLACE_BYTES) are
 * read in place instead, in the panels where their layout allows it.  Under wasm with -msimd128 the
 * float32 micro-kernel is written with wasm_simd128.h intrinsics (5×8 tile:
 * 10 accumulators of f32x4); elsewhere a 4×8 tile is plain C that compilers
 * vectorise.
 *
 * Every entry of C is the sum over p = 0..k−1 of A(i,p)·B(p,j) accumulated in
 * that order, one multiply and one add per term (wasm has no FMA; a native
 * build whose compiler contracts them into FMAs, as GCC does with
 * -march=native, fuses each pair, still in order), whatever its position in a
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

/* Rows of the tile for each element type, and its columns.  Under V8 a 5×8
 * float32 tile (10 accumulators, 2 B vectors, 1 broadcast, 1 product = 14 of
 * the 16 x86-64 vector registers, one being V8's scratch) ran 15–18% faster
 * than 4×8 on its own and made whole products ~10% faster; 6×8 spills and
 * runs at 70%.  Unrolling the k loop also spills: LLVM
 * interleaves the two steps and V8 keeps every loaded value live. */
#ifdef __wasm_simd128__
#define MR_f 5
#else
#define MR_f 4
#endif
#define MR_d 4
#define MR_MAX (MR_f > MR_d ? MR_f : MR_d)
#define NR 8

/* Element (i, j) of a row-major matrix stored r×c, or of its transpose. */
#define ELEM(X, trans, i, j, ld) ((trans) ? (X)[(size_t)(j) * (ld) + (i)] : (X)[(size_t)(i) * (ld) + (j)])

#define DEFINE_MATMUL(T, SUF, MR)                                                                \
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
  /* Portable MR×NR micro-kernel: acc[r][j] = Σ_p A(r, p)·B(p, j), in order, with      \
   * A(r, p) = a[r·ars + p·aps] and B(p, j) = b[p·bps + j] (a packed panel or the       \
   * matrix itself). */                                                                         \
  static void tile_##SUF(size_t k, const T *a, size_t ars, size_t aps, const T *b, size_t bps,  \
                         T acc[MR][NR]) {                                                        \
    for (size_t r = 0; r < MR; r++)                                                              \
      for (size_t j = 0; j < NR; j++) acc[r][j] = 0;                                             \
    for (size_t p = 0; p < k; p++) {                                                             \
      const T *ap = a + p * aps, *bp = b + p * bps;                                              \
      for (size_t r = 0; r < MR; r++)                                                            \
        for (size_t j = 0; j < NR; j++) acc[r][j] += ap[r * ars] * bp[j];                        \
    }                                                                                            \
  }

DEFINE_MATMUL(float, f, MR_f)
DEFINE_MATMUL(double, d, MR_d)

#ifdef __wasm_simd128__
/* The float32 tile with wasm SIMD: 5 rows × 2 vectors of 4 = 10 accumulators.
 * wasm has no fused multiply-add, so this is the same mul-then-add per term
 * as the portable kernel, lane by lane.  The loop steps pointers rather than
 * an index (V8 then spends 2 adds a step on addresses instead of 6 shifts and
 * adds).  Its speed hangs on V8's register allocation: Chromium 156 keeps
 * the 10 accumulators in registers for every way of writing it we tried
 * (~46 GFLOP/s on the benchmark machine, 4×8: ~39), while Node 20's older V8
 * spilled them (~22) when the tile was inlined into the driver, given a row
 * stride for C, or merely had its wasm locals numbered differently.  This
 * form, out of line, is the one measured fast in both (`npm run bench`
 * prints the figure, so a regression shows). */
#define SPLAT(x) wasm_v128_load32_splat(x)
#define MUL_ADD(c, x, b) c = wasm_f32x4_add(c, wasm_f32x4_mul(x, b))
#define STORE_TILE(acc)                 \
  wasm_v128_store(acc, c00);            \
  wasm_v128_store(acc + 4, c01);        \
  wasm_v128_store(acc + 8, c10);        \
  wasm_v128_store(acc + 12, c11);       \
  wasm_v128_store(acc + 16, c20);       \
  wasm_v128_store(acc + 20, c21);       \
  wasm_v128_store(acc + 24, c30);       \
  wasm_v128_store(acc + 28, c31);       \
  wasm_v128_store(acc + 32, c40);       \
  wasm_v128_store(acc + 36, c41)
/* row r of the tile: broadcast A(r, p) into x (declared once, outside) and
 * add its products with the two B vectors */
#define ROW(r)                  \
  x = SPLAT(ap + (r));          \
  MUL_ADD(c##r##0, x, b0);      \
  MUL_ADD(c##r##1, x, b1)
/* the same with A's rows read in place: A(r, p) = a_r[p], a_r = a + r·lda */
#define ROW_OF(r)               \
  x = SPLAT(a##r);              \
  MUL_ADD(c##r##0, x, b0);      \
  MUL_ADD(c##r##1, x, b1);      \
  a##r++
/* The tile: 10 accumulators from 0, A's pointers set by SETUP_A, k steps of
 * B (stride bps), each adding the products of five A values (ROW_MACRO) with
 * two B vectors, then A's pointers moved by STEP_A; stored to acc (MR_f × NR
 * floats).  One body for both tiles, declared in the order measured fast. */
#define TILE_F_SIMD(ROW_MACRO, SETUP_A, STEP_A)                            \
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00; \
  v128_t c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00;            \
  SETUP_A;                                                                 \
  const float *end = bp + bps * k;                                         \
  while (bp != end) {                                                      \
    v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4), x;        \
    ROW_MACRO(0);                                                          \
    ROW_MACRO(1);                                                          \
    ROW_MACRO(2);                                                          \
    ROW_MACRO(3);                                                          \
    ROW_MACRO(4);                                                          \
    STEP_A;                                                                \
    bp += bps;                                                             \
  }                                                                        \
  STORE_TILE(acc)
/* A(r, p) = ap[r + p·aps]: a packed panel (aps = MR) or columns of a transposed A
 * read in place (aps = its row length); B(p, j) = bp[p·bps + j]. */
static void tile_f_simd(size_t k, const float *ap, size_t aps, const float *bp, size_t bps,
                        float *acc) {
  TILE_F_SIMD(ROW, (void)0, ap += aps);
}
/* A's rows read in place: A(r, p) = a[r·lda + p]. */
static void tile_f_simd_rows(size_t k, const float *a, size_t lda, const float *bp, size_t bps,
                             float *acc) {
  TILE_F_SIMD(ROW_OF, const float *a0 = a; const float *a1 = a0 + lda; const float *a2 = a1 + lda;
              const float *a3 = a2 + lda; const float *a4 = a3 + lda, (void)0);
}
/* A's rows in place at a row length LDA known when compiling: one pointer,
 * the rows at constant offsets, one increment a step instead of five (the
 * loop is bound by V8's instruction count: ~5% faster products at k = 32).
 * Made for the power-of-two widths of the lessons' networks. */
#define ROW_AT(r)              \
  x = SPLAT(a + (r) * LDA);    \
  MUL_ADD(c##r##0, x, b0);     \
  MUL_ADD(c##r##1, x, b1)
#define DEFINE_TILE_ROWS_AT(LDA_)                                                              \
  static void tile_f_simd_rows##LDA_(size_t k, const float *a, size_t lda, const float *bp,     \
                                     size_t bps, float *acc) {                                  \
    enum { LDA = LDA_ };                                                                        \
    (void)lda;                                                                                  \
    TILE_F_SIMD(ROW_AT, (void)0, a++);                                                          \
  }
DEFINE_TILE_ROWS_AT(16)
DEFINE_TILE_ROWS_AT(32)
DEFINE_TILE_ROWS_AT(64)
DEFINE_TILE_ROWS_AT(128)
#undef DEFINE_TILE_ROWS_AT
#undef ROW_AT
#undef SPLAT
#undef MUL_ADD
#undef ROW
#undef ROW_OF
#undef STORE_TILE
#undef TILE_F_SIMD
/* Called through volatile pointers: binaryen cannot see the targets, so it
 * cannot inline them (one indirect call per k-long tile costs nothing). */
typedef void tile_f_fn(size_t, const float *, size_t, const float *, size_t, float *);
static tile_f_fn *volatile const tile_f_out_of_line = tile_f_simd;
/* the rows tile for A's row length: [log2(lda) − 4] for 16…128, else the general one */
static tile_f_fn *volatile const tile_f_rows_out_of_line[5] = {
    tile_f_simd_rows16, tile_f_simd_rows32, tile_f_simd_rows64, tile_f_simd_rows128,
    tile_f_simd_rows};
static tile_f_fn *rows_tile_for(size_t lda) {
  const int at = lda == 16 ? 0 : lda == 32 ? 1 : lda == 64 ? 2 : lda == 128 ? 3 : 4;
  return tile_f_rows_out_of_line[at];
}
#define TILE_COLS_F(k, a, aps, b, bps, acc) tile_f_out_of_line(k, a, aps, b, bps, (float *)(acc))
#define TILE_ROWS_F(k, a, lda, b, bps, acc) rows_tile_for(lda)(k, a, lda, b, bps, (float *)(acc))
#else
#define TILE_COLS_F(k, a, aps, b, bps, acc) tile_f(k, a, 1, aps, b, bps, acc)
#define TILE_ROWS_F(k, a, lda, b, bps, acc) tile_f(k, a, lda, 1, b, bps, acc)
#endif
#define TILE_COLS_D(k, a, aps, b, bps, acc) tile_d(k, a, 1, aps, b, bps, acc)
#define TILE_ROWS_D(k, a, lda, b, bps, acc) tile_d(k, a, lda, 1, b, bps, acc)

size_t gl_matmul_pack_elems(size_t n, size_t k) {
  const size_t panels = n / NR + (n % NR != 0); /* ceil(n / NR) without n + NR − 1 wrapping */
  return gl_size_mul(gl_size_add(gl_size_mul(panels, NR), MR_MAX), k);
}

/* Operands up to this size are read in place, in full panels (B only when
 * not transposed): they stay in cache, and at the training sizes (m = 256,
 * n = k = 32) packing cost more than it saved — A was repacked on every call,
 * m·k values moved by a transposing scatter for 2·m·n·k flops.  Larger ones
 * are packed, so each panel is read from contiguous memory (mm512 ran 8%
 * slower with A's rows read in place). */
#define IN_PLACE_BYTES (64 * 1024)
/* Only the wasm float32 tiles read in place: the portable C tile, given
 * run-time strides, ran 3–4× slower natively (GCC 12, -O3 -march=native) at
 * these sizes, so float64 and native builds keep packing everything. */
#ifdef __wasm_simd128__
#define IN_PLACE_F IN_PLACE_BYTES
#else
#define IN_PLACE_F 0
#endif
#define IN_PLACE_D 0

/* The driver, once per element type: pack what is not read in place (op(B)
 * panel by panel; op(A) when it is large, and its edge panel when it has
 * fewer than MR rows), then for each MR-row panel of op(A) run the tile
 * against every B panel and store the part of the tile inside C. */
#define DEFINE_DRIVER(T, SUF, MR, TILE_COLS, TILE_ROWS, IN_PLACE)                             \
  static void matmul_##SUF(int ta, int tb, size_t m, size_t n, size_t k, const T *a,       \
                           const T *b, T *c, T *bp) {                                       \
    const size_t panels = (n + NR - 1) / NR, lda = ta ? m : k, ldb = tb ? k : n;           \
    const int b_in_place = !tb && k * n * sizeof(T) <= IN_PLACE;                           \
    const int a_in_place = m * k * sizeof(T) <= IN_PLACE;                                  \
    T *ap = bp + panels * NR * k, acc[MR][NR];                                              \
    for (size_t jb = 0; jb < panels; jb++)                                                  \
      if (!b_in_place || (jb + 1) * NR > n) pack_b_##SUF(tb, b, ldb, k, n, jb * NR, bp + jb * NR * k); \
    for (size_t i0 = 0; i0 < m; i0 += MR) {                                                 \
      const size_t rows = m - i0 < MR ? m - i0 : MR;                                        \
      /* an edge panel read in place is the last MR rows of op(A), its tile's first \
       * `skip` rows computed again (the same values) and not stored: no packing */  \
      const size_t skip = a_in_place && rows < MR && m >= MR ? MR - rows : 0;               \
      const size_t ia = i0 - skip;                                                          \
      const int a_here = a_in_place && (rows == MR || skip);                                \
      if (!a_here) pack_a_##SUF(ta, a, lda, m, k, i0, ap);                                  \
      for (size_t j0 = 0; j0 < n; j0 += NR) {                                               \
        const size_t cols = n - j0 < NR ? n - j0 : NR;                                      \
        const int b_here = b_in_place && cols == NR;                                        \
        const T *bj = b_here ? b + j0 : bp + j0 * k;                                        \
        const size_t bs = b_here ? ldb : NR;                                                \
        if (!a_here)                                                                        \
          TILE_COLS(k, ap, MR, bj, bs, acc);                                                \
        else if (ta)                                                                        \
          TILE_COLS(k, a + ia, lda, bj, bs, acc);                                           \
        else                                                                                \
          TILE_ROWS(k, a + ia * lda, lda, bj, bs, acc);                                     \
        /* LLVM merges the two copies into one memcpy of variable size, a call per \
         * row; written as vector stores, the full rows measured no faster */       \
        for (size_t r = 0; r < rows; r++)                                                   \
          if (cols == NR)                                                                   \
            memcpy(c + (i0 + r) * n + j0, acc[skip + r], NR * sizeof(T));                   \
          else                                                                              \
            memcpy(c + (i0 + r) * n + j0, acc[skip + r], cols * sizeof(T));                 \
      }                                                                                     \
    }                                                                                       \
  }

DEFINE_DRIVER(float, f, MR_f, TILE_COLS_F, TILE_ROWS_F, IN_PLACE_F)
DEFINE_DRIVER(double, d, MR_d, TILE_COLS_D, TILE_ROWS_D, IN_PLACE_D)

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
  if ((st = gl_check_dtype(dtype)) || (st = gl_check_count("m", m, 1, GL_MATMUL_MAX_DIM)) ||
      (st = gl_check_count("n", n, 1, GL_MATMUL_MAX_DIM)) ||
      (st = gl_check_count("k", k, 1, GL_MATMUL_MAX_DIM)) ||
      (st = gl_check_ptr("A", A)) || (st = gl_check_ptr("B", B)) || (st = gl_check_ptr("C", C)))
    return st;
  const size_t bytes = gl_size_mul(gl_matmul_pack_elems((size_t)n, (size_t)k), (size_t)gl_dtype_size(dtype));
  if ((st = gl_check_bytes((double)bytes, "the packing of matmul %dx%dx%d", m, k, n))) return st;
  void *pack = malloc(bytes);
  if (!pack) return gl_fail(GL_ENOMEM, "out of memory packing a %dx%d matrix", k, n);
  gl_matmul_packed(dtype, ta, tb, (size_t)m, (size_t)n, (size_t)k, A, B, C, pack);
  free(pack);
  return GL_OK;
}
