/*
 * peak.c — the wasm SIMD multiply-add ceiling that `npm run bench` compares
 * the matmul kernel with.  Built by bench/run.js with emcc -O3 -msimd128 into
 * build/bench/peak.cjs; not part of the core.
 *
 * wasm has no fused multiply-add, so a "multiply-add" is an f32x4.mul followed
 * by an f32x4.add: 8 flops per pair (2 per lane), the same count as one term of
 * the matmul micro-kernel.  K independent chains acc_i ← acc_i·m + c hide the
 * latency of each pair; m < 1 makes every chain converge to c/(1 − m), so
 * nothing overflows or turns subnormal, and neither LLVM (no fast-math) nor V8
 * can fold the loop away.  Two widths are built: 8 chains (the matmul tile's
 * count) and 12 (close to the 16 vector registers of x86-64 once m and c are
 * held too); the bench reports the faster.
 */
#include <wasm_simd128.h>

#define CHAIN(i) acc##i = wasm_f32x4_add(wasm_f32x4_mul(acc##i, m), c)

/* Runs `iters` iterations of 8 chains: 64 flops an iteration.  Returns the
 * sum of the lanes so that the work is observable. */
float peak8(int iters) {
  const v128_t m = wasm_f32x4_splat(0.999f), c = wasm_f32x4_splat(1e-3f);
  v128_t acc0 = wasm_f32x4_make(0.1f, 0.2f, 0.3f, 0.4f), acc1 = wasm_f32x4_add(acc0, c);
  v128_t acc2 = wasm_f32x4_add(acc1, c), acc3 = wasm_f32x4_add(acc2, c);
  v128_t acc4 = wasm_f32x4_add(acc3, c), acc5 = wasm_f32x4_add(acc4, c);
  v128_t acc6 = wasm_f32x4_add(acc5, c), acc7 = wasm_f32x4_add(acc6, c);
  for (int i = 0; i < iters; i++) {
    CHAIN(0); CHAIN(1); CHAIN(2); CHAIN(3); CHAIN(4); CHAIN(5); CHAIN(6); CHAIN(7);
  }
  v128_t s = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(acc0, acc1), wasm_f32x4_add(acc2, acc3)),
                            wasm_f32x4_add(wasm_f32x4_add(acc4, acc5), wasm_f32x4_add(acc6, acc7)));
  return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1) +
         wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3);
}

/* The same with 12 chains: 96 flops an iteration. */
float peak12(int iters) {
  const v128_t m = wasm_f32x4_splat(0.999f), c = wasm_f32x4_splat(1e-3f);
  v128_t acc0 = wasm_f32x4_make(0.1f, 0.2f, 0.3f, 0.4f), acc1 = wasm_f32x4_add(acc0, c);
  v128_t acc2 = wasm_f32x4_add(acc1, c), acc3 = wasm_f32x4_add(acc2, c);
  v128_t acc4 = wasm_f32x4_add(acc3, c), acc5 = wasm_f32x4_add(acc4, c);
  v128_t acc6 = wasm_f32x4_add(acc5, c), acc7 = wasm_f32x4_add(acc6, c);
  v128_t acc8 = wasm_f32x4_add(acc7, c), acc9 = wasm_f32x4_add(acc8, c);
  v128_t acc10 = wasm_f32x4_add(acc9, c), acc11 = wasm_f32x4_add(acc10, c);
  for (int i = 0; i < iters; i++) {
    CHAIN(0); CHAIN(1); CHAIN(2); CHAIN(3); CHAIN(4); CHAIN(5);
    CHAIN(6); CHAIN(7); CHAIN(8); CHAIN(9); CHAIN(10); CHAIN(11);
  }
  v128_t s = wasm_f32x4_add(
      wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(acc0, acc1), wasm_f32x4_add(acc2, acc3)),
                     wasm_f32x4_add(wasm_f32x4_add(acc4, acc5), wasm_f32x4_add(acc6, acc7))),
      wasm_f32x4_add(wasm_f32x4_add(acc8, acc9), wasm_f32x4_add(acc10, acc11)));
  return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1) +
         wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3);
}
