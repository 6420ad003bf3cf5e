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

/** The train workload: one step of the Training lesson's default lane, which
 *  is also the second lane of its `race` preset (ReLU + Kaiming normal, no
 *  remedy): depth 20 × width 32, 128 points per class (batch 256), float32,
 *  SGD lr 0.1 (web/lessons/train/presets.js).  A run is every RESTART steps
 *  started afresh (untimed), so each timed step is one of a race's 300. */
export const TRAIN = { preset: 'race', lane: 1, depth: 20, width: 32, rows: 256, restart: 300 };
/** Its matmul flops: per hidden block forward, ∂W and ∂h (2·rows·width² each);
 *  the stem's forward and ∂W (2·rows·2·width each); the head's forward, ∂W and ∂h. */
export const TRAIN_FLOP = 6 * TRAIN.rows * TRAIN.width ** 2 * TRAIN.depth + 2 * 2 * TRAIN.rows * 2 * TRAIN.width +
  3 * 2 * TRAIN.rows * 2 * TRAIN.width;
