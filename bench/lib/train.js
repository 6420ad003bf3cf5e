// train.js — the Training lesson's workloads: one step of its default lane
// (GradLab through the lesson's Trainer; TF.js doing the PyTorch-equivalent
// work) and the `race` preset trained as the lesson's worker trains it.
import { trainConfig } from '../../web/science.js';
import { trainLaneFrames } from '../../web/lessons/train/jobs.js';
import { globalsOf, lanesOf } from '../../web/lessons/train/presets.js';
import { TRAIN } from './workloads.js';

/** The trainer configs of the race preset's lanes, as the lesson makes them. */
export function raceConfigs() {
  const g = globalsOf(TRAIN.preset);
  return lanesOf(TRAIN.preset).map((lane) => ({ name: lane.name, cfg: trainConfig(g, lane), steps: g.steps }));
}

/**
 * The train workload in GradLab-wasm, for interleave(): each run is one
 * Trainer.step() of the default lane (the lesson's call, report copied out);
 * every TRAIN.restart steps a fresh trainer, made outside the timing.
 * Returns {impl, data: {X, y} of the lane (for the TF.js twin), free()}.
 */
export function gradlabTrain(core) {
  const { cfg } = raceConfigs()[TRAIN.lane];
  if (cfg.depth !== TRAIN.depth || cfg.width !== TRAIN.width || 2 * cfg.points !== TRAIN.rows) {
    throw new Error('bench/lib/workloads.js TRAIN no longer matches the race preset');
  }
  let tr = core.createTrainer(cfg), steps = 0;
  const data = tr.data();
  return {
    data,
    impl: async (reps) => {
      const ms = new Array(reps);
      for (let i = 0; i < reps; i++) {
        if (steps === TRAIN.restart) {
          tr.free();
          tr = core.createTrainer(cfg);
          steps = 0;
        }
        const t = process.hrtime.bigint();
        tr.step();
        ms[i] = Number(process.hrtime.bigint() - t) / 1e6;
        steps++;
      }
      return ms;
    },
    free: () => tr.free(),
  };
}

/**
 * The same step with TF.js on its current backend, the work PyTorch does for
 * it: Linear(2, W) → ReLU, depth × (Linear(W, W) → ReLU), Linear(W, 2);
 * softmax cross-entropy (mean); gradients by tf.variableGrads (inside
 * optimizer.minimize); SGD lr 0.1; the loss read back every step, as the
 * lesson reads it.  Weights Kaiming normal (std √(2/fan_in)) from
 * tf.randomNormal, biases 0; restored every TRAIN.restart steps, untimed.
 * No per-layer norms or relative updates (GradLab's step computes those too).
 * Returns {impl, dispose()}.
 */
export function tfTrain(tf, { X, y }) {
  const { depth, width, rows } = TRAIN;
  const fans = [[2, width], ...Array.from({ length: depth }, () => [width, width]), [width, 2]];
  const init = fans.map(([i, o]) => ({ w: tf.randomNormal([i, o], 0, Math.sqrt(2 / i)), b: tf.zeros([o]) }));
  const vars = init.map(({ w, b }) => ({ w: tf.variable(w), b: tf.variable(b) }));
  const x = tf.tensor2d(Float32Array.from(X), [rows, 2]);
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(y), 'int32'), 2));
  const sgd = tf.train.sgd(0.1);
  const loss = () => {
    let h = x;
    for (let l = 0; l <= depth; l++) h = tf.relu(tf.add(tf.matMul(h, vars[l].w), vars[l].b));
    const logits = tf.add(tf.matMul(h, vars[depth + 1].w), vars[depth + 1].b);
    return tf.losses.softmaxCrossEntropy(labels, logits);
  };
  let steps = 0;
  return {
    impl: async (reps) => {
      const ms = new Array(reps);
      for (let i = 0; i < reps; i++) {
        if (steps === TRAIN.restart) {
          vars.forEach((v, l) => { v.w.assign(init[l].w); v.b.assign(init[l].b); });
          steps = 0;
        }
        const t = process.hrtime.bigint();
        const l = sgd.minimize(loss, true);
        l.dataSync();
        l.dispose();
        ms[i] = Number(process.hrtime.bigint() - t) / 1e6;
        steps++;
      }
      return ms;
    },
    dispose: () => {
      sgd.dispose();
      tf.dispose([x, labels, ...init.flatMap(({ w, b }) => [w, b]), ...vars.flatMap(({ w, b }) => [w, b])]);
    },
  };
}

/**
 * One race: the preset's lanes one after the other, each through
 * trainLaneFrames with the real core, as the lesson's worker runs its lane
 * jobs (one worker, one job at a time; here in Node, without postMessage).
 * Returns {ms: the whole race, frames, maxGapMs: the longest time without
 * news — from the start to the first frame, between two frames, or from a
 * lane's last frame to its end (the job's result, drawn as a frame too)}.
 */
export function runRace(core, lanes = raceConfigs()) {
  const t0 = performance.now();
  let last = t0, maxGap = 0, frames = 0;
  const news = () => {
    const t = performance.now();
    maxGap = Math.max(maxGap, t - last);
    last = t;
  };
  for (const { cfg, steps } of lanes) {
    trainLaneFrames(core, { cfg, steps }, () => { frames++; news(); });
    news();
  }
  return { ms: performance.now() - t0, frames, maxGapMs: maxGap };
}
