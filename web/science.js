// science.js — the science the page and the CLI share, with no DOM: which
// parameters an init scheme reads, and one initialized network measured next
// to its mean-field theory.  Every number comes from the core (web/core.js);
// this module only decides what to ask it and how the answers fit together.
import { INIT_USES } from './core.js';

/**
 * The parameters a scheme actually uses, from the core's INIT_USES: each of
 * gain, sigma, value is null when the scheme ignores it, else the given value
 * or its default (sigma 1, value 0; gain NaN, the core's "the scheme's own
 * gain": √2 for kaiming_*, else 1).
 */
export function initParams(init, { gain, sigma, value } = {}) {
  const uses = INIT_USES[init];
  if (!uses) throw new RangeError(`unknown init '${init}'`);
  return {
    gain: uses.gain ? (gain ?? NaN) : null,
    sigma: uses.sigma ? (sigma ?? 1) : null,
    value: uses.value ? (value ?? 0) : null,
  };
}

/** initParams with a default gain (NaN) replaced by the number the core uses. */
export function usedParams(core, init, given) {
  const p = initParams(init, given);
  if (p.gain !== null && Number.isNaN(p.gain)) p.gain = core.defaultGain(init);
  return p;
}

/** The core's arguments for params: it skips what a scheme ignores, so any number will do there. */
export function coreInitArgs(p) {
  return { gain: p.gain ?? NaN, sigma: p.sigma ?? 1, value: p.value ?? 0 };
}

/**
 * Mean-field theory assumes i.i.d. zero-mean weights, so that z is Gaussian
 * with σ_w² = width·Var(W).  A constant init breaks it: every unit of a layer
 * gets the same weights, so the units are identical, not independent.
 */
export const hasMeanField = (init) => init !== 'constant';

/**
 * One network of the Initialization lesson: a bias-free MLP of `depth` square
 * layers under an init scheme, measured by the core, next to its theory.
 * Returns {params (usedParams), th: {std, bound} of the scheme for a
 * width × width weight, stats (core.mlpStats: layers, and hists at every layer
 * when bins > 0, over quantile ranges with histTail > 0), sw2 = width·std² (the mean-field σ_w²), theory: null when
 * hasMeanField(init) is false, else core.meanfield({act, sw2, qx: 1, gVar: 1,
 * depth}) = {zVar, gradZVar} for inputs and an upstream gradient of variance 1}.
 */
export function initNetwork(core, { init, gain, sigma, value, act, depth, width, batch, dtype = 'float32', seed = 0, bins = 0, histTail = 0 }) {
  const params = usedParams(core, init, { gain, sigma, value });
  const args = coreInitArgs(params);
  const stats = core.mlpStats({ init, ...args, act, depth, width, batch, dtype, seed, bins, histTail });
  const th = core.initTheory({ init, fanIn: width, fanOut: width, ...args });
  const sw2 = width * th.std * th.std;
  const theory = hasMeanField(init) ? core.meanfield({ act, sw2, qx: 1, gVar: 1, depth }) : null;
  return { params, th, stats, sw2, theory };
}

// ---- training races (the Remedies lesson, `gradlab train`) ---------------------

/** The loss below which a lane counts as trained (the race's 0.1 line). */
export const TRAINED_LOSS = 0.1;

/**
 * The core's trainer config (core.createTrainer) of one lane: the race's
 * globals (shaped as web/lessons/train/presets.js DEFAULTS) and the lane's
 * settings (LANE_DEFAULTS' shape; null gain/sigma/value = the scheme's own or unused).
 */
export function trainConfig(g, lane) {
  return {
    depth: g.depth, width: g.width, points: g.points, turns: g.turns, noise: g.noise, lr: g.lr,
    optimizer: g.optimizer, seed: g.seed, dataSeed: g.dataSeed, dtype: g.dtype,
    act: lane.act, init: lane.init, ...coreInitArgs(initParams(lane.init, lane)),
    residual: !!lane.residual, norm: lane.norm, clip: lane.clip, clipAt: lane.clip === 'none' ? NaN : lane.clipAt,
  };
}

/**
 * Trains one lane for `steps` steps and returns the series a race shows:
 * loss and accuracy (steps + 1 entries: step k's training-mode forward pass,
 * before its update, then the pass after the last update), totalNorm and
 * clipped (steps entries), gradNormStep0 (‖∂L/∂W_l‖ per Linear at step 0),
 * relUpdate (with heatmap: per step, ‖ΔW_l‖/‖W_l‖ per Linear), nonfiniteStep
 * (the first k whose loss is not finite, else null), stepsToTrained (the first
 * k with loss < TRAINED_LOSS, else null) and finalLoss (the last loss computed).
 * A lane whose loss turns non-finite stops there: its later entries are null.
 * Hooks, for a caller that shows the run as it goes (the lesson's worker
 * job): before(trainer) runs after init and before the first step;
 * onStep(k, report, trainer) after each step k with its report (trainer.step()'s);
 * after(trainer, result) once the run is over, before the trainer is freed.
 */
export function trainLane(core, cfg, steps, { heatmap = false, before, onStep, after } = {}) {
  const tr = core.createTrainer(cfg);
  try {
    if (before) before(tr);
    const loss = new Array(steps + 1).fill(null), accuracy = new Array(steps + 1).fill(null);
    const totalNorm = new Array(steps).fill(null), clipped = new Array(steps).fill(null);
    const relUpdate = heatmap ? new Array(steps).fill(null) : null;
    let gradNormStep0 = null, nonfiniteStep = null;
    for (let k = 0; k < steps; k++) {
      const r = tr.step();
      loss[k] = r.loss;
      accuracy[k] = r.accuracy;
      totalNorm[k] = r.totalNorm;
      clipped[k] = r.clipped;
      if (k === 0) gradNormStep0 = Array.from(r.gradNorms);
      if (heatmap) relUpdate[k] = Array.from(r.relUpdates);
      if (onStep) onStep(k, r, tr);
      if (!Number.isFinite(r.loss)) { nonfiniteStep = k; break; }
    }
    if (nonfiniteStep === null) {
      const e = tr.evaluate();
      loss[steps] = e.loss;
      accuracy[steps] = e.accuracy;
      if (!Number.isFinite(e.loss)) nonfiniteStep = steps;
    }
    const trained = loss.findIndex((v) => v !== null && v < TRAINED_LOSS);
    const result = {
      loss, accuracy, totalNorm, clipped, gradNormStep0, relUpdate, nonfiniteStep,
      stepsToTrained: trained < 0 ? null : trained, finalLoss: loss[nonfiniteStep ?? steps],
    };
    if (after) after(tr, result);
    return result;
  } finally {
    tr.free();
  }
}
