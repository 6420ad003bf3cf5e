// plainjs.js — the workloads in plain JavaScript: loops over Float32Array,
// the baseline a hand-written page would have without the core.
import { MLP, XAVIER_STD, fillNormal } from './workloads.js';

/** C (m×n) = A (m×k) · B (k×n), row-major Float32Arrays, i-k-j loop order. */
export function jsMatmul(A, B, C, m, n, k) {
  C.fill(0);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const aip = A[i * k + p], bp = p * n;
      for (let j = 0; j < n; j++) C[ci + j] += aip * B[bp + j];
    }
  }
  return C;
}

/** T (c×r) = Xᵀ for X (r×c). */
function jsTranspose(X, T, r, c) {
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) T[j * r + i] = X[i * c + j];
  return T;
}

/** Population mean and variance of a typed array, accumulated in float64 (two passes). */
function moments(v) {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  const mean = s / v.length;
  let q = 0;
  for (let i = 0; i < v.length; i++) q += (v[i] - mean) ** 2;
  return [mean, q / v.length];
}

/** The MLP workload in plain JS; returns the per-layer statistics (layer-major, 8 a layer). */
export function jsMlp() {
  const { depth: L, width: W, batch: B } = MLP;
  const bw = B * W;
  const a = [fillNormal(new Float32Array(bw))];
  const Ws = [];
  for (let l = 0; l < L; l++) Ws.push(fillNormal(new Float32Array(W * W), XAVIER_STD));
  let ga = fillNormal(new Float32Array(bw));
  const z = [];
  const stats = new Float64Array(L * 8);
  const wt = new Float32Array(W * W), gzt = new Float32Array(bw), gw = new Float32Array(W * W);
  for (let l = 1; l <= L; l++) {
    const zl = jsMatmul(a[l - 1], jsTranspose(Ws[l - 1], wt, W, W), new Float32Array(bw), B, W, W); // z = a·Wᵀ
    const al = new Float32Array(bw);
    for (let i = 0; i < bw; i++) al[i] = Math.tanh(zl[i]);
    z.push(zl);
    a.push(al);
    const o = (l - 1) * 8;
    [stats[o], stats[o + 1]] = moments(zl);
    [stats[o + 2], stats[o + 3]] = moments(al);
    let spread = 0; // max over rows of (max − min over units)
    for (let r = 0; r < B; r++) {
      let lo = Infinity, hi = -Infinity;
      for (let j = 0; j < W; j++) { const x = al[r * W + j]; if (x < lo) lo = x; if (x > hi) hi = x; }
      spread = Math.max(spread, hi - lo);
    }
    stats[o + 7] = spread;
  }
  const gz = new Float32Array(bw), next = new Float32Array(bw);
  for (let l = L; l >= 1; l--) {
    const al = a[l], o = (l - 1) * 8;
    for (let i = 0; i < bw; i++) gz[i] = ga[i] * (1 - al[i] * al[i]); // ∂z = ∂a ⊙ (1 − a²)
    jsMatmul(jsTranspose(gz, gzt, B, W), a[l - 1], gw, W, W, B); // ∂W = ∂zᵀ·a_prev
    stats[o + 4] = moments(ga)[1];
    stats[o + 5] = moments(gz)[1];
    stats[o + 6] = moments(gw)[1];
    jsMatmul(gz, Ws[l - 1], next, B, W, W); // ∂a_prev = ∂z·W
    ga = next.slice();
  }
  return stats;
}
