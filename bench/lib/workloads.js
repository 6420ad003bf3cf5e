// workloads.js — what bench/run.js times, defined once for every implementation.

/** The MLP workload: depth × width × batch, float32, xavier_normal, tanh. */
export const MLP = { depth: 50, width: 256, batch: 128 };
/** Its matmul flops: 3 matmuls a layer (forward, ∂W, ∂a_prev) of 2·batch·width² each. */
export const MLP_FLOP = 6 * MLP.batch * MLP.width * MLP.width * MLP.depth;
/** xavier_normal's standard deviation for a square layer, gain 1: √(2 / (fan_in + fan_out)). */
export const XAVIER_STD = Math.sqrt(2 / (MLP.width + MLP.width));
/** n of the mmN workloads (C = A·B, n×n float32, 2n³ flops). */
export const SIZES = [64, 256, 512];

/** Standard normals (× std) by Box–Muller from Math.random, into v. */
export function fillNormal(v, std = 1) {
  for (let i = 0; i < v.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - Math.random())) * std, t = 2 * Math.PI * Math.random();
    v[i] = r * Math.cos(t);
    if (i + 1 < v.length) v[i + 1] = r * Math.sin(t);
  }
  return v;
}

/** Two n×n standard-normal operands {a, b} of the mmN workload. */
export function mmInputs(n) {
  return { a: fillNormal(new Float32Array(n * n)), b: fillNormal(new Float32Array(n * n)) };
}
