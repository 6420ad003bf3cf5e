// jobs.js — the Training lesson's computations: each lane trains its own
// network in the C core (one job per lane, so changing one lane reruns that
// lane only) and reports a frame every FRAME_EVERY steps while it runs.
import { trainConfig, trainLane } from '../../science.js';
import { DEFAULTS } from './presets.js';
import { trainFlops } from '../../budget.js';

export const LANES = [1, 2, 3, 4];
/** Steps between two frames sent while a lane trains. */
export const FRAME_EVERY = 10;
/** Steps between two snapshots of the decision regions. */
export const REGION_EVERY = 25;
/** The decision-region grid: GRID × GRID points over [−EXTENT, EXTENT]². */
export const GRID = 48;
export const EXTENT = 1.2;

/** The grid's points, row by row from the top (x1 = +EXTENT) down, as (x0, x1) pairs. */
export function gridPoints() {
  const p = new Float64Array(2 * GRID * GRID);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      p[2 * (r * GRID + c)] = -EXTENT + (2 * EXTENT * (c + 0.5)) / GRID;
      p[2 * (r * GRID + c) + 1] = EXTENT - (2 * EXTENT * (r + 0.5)) / GRID;
    }
  }
  return p;
}

/** The keys every lane reads, and lane k's own. */
const GLOBAL = ['lanes', 'depth', 'width', 'points', 'turns', 'noise', 'lr', 'optimizer', 'steps', 'seed', 'dtype'];
export const laneKeys = (k) => ['act', 'init', 'sigma', 'gdef', 'gain', 'value', 'res', 'norm', 'clip', 'clipat'].map((x) => `${x}${k}`);

/**
 * What lane k trains, from the lesson's state: {cfg (the core's trainer
 * config, through science.js trainConfig as the CLI makes it), steps}, or
 * {off: true} for a lane not shown.  The data seed stays the CLI's default, so
 * every seed trains on the same spiral.
 */
export function laneRun(s, k) {
  if (k > s.lanes) return { off: true };
  const g = { ...DEFAULTS, depth: s.depth, width: s.width, points: s.points, turns: s.turns, noise: s.noise, lr: s.lr,
    optimizer: s.optimizer, seed: s.seed, dtype: s.dtype };
  const lane = {
    act: s[`act${k}`], init: s[`init${k}`], gain: s[`gdef${k}`] ? null : s[`gain${k}`], sigma: s[`sigma${k}`],
    value: s[`value${k}`], residual: s[`res${k}`], norm: s[`norm${k}`], clip: s[`clip${k}`], clipAt: s[`clipat${k}`],
  };
  return { cfg: trainConfig(g, lane), steps: s.steps };
}

/**
 * Trains one lane (science.js trainLane, as `gradlab train` does) and keeps
 * what the view draws in typed arrays: per step the loss, accuracy, total
 * norm, clipping, and per Linear the gradient norm and relative update; the
 * decision regions every REGION_EVERY steps; reports a frame (the slices
 * since the last one) every FRAME_EVERY steps.
 */
export function trainLaneFrames(core, { cfg, steps }, frame = () => {}) {
  const nlin = cfg.depth + 2;
  const h = {
    steps, nlin, cfg,
    loss: new Float64Array(steps + 1).fill(NaN), accuracy: new Float64Array(steps + 1).fill(NaN),
    totalNorm: new Float64Array(steps).fill(NaN), clipped: new Uint8Array(steps),
    gradNorms: new Float64Array(steps * nlin).fill(NaN), relUpdates: new Float64Array(steps * nlin).fill(NaN),
    nonfinite: null, regions: [],
  };
  const grid = gridPoints();
  const snap = (tr, step) => h.regions.push({ step, prob: Float32Array.from(tr.predict(grid)) });
  let sent = 0;
  let sentRegions = 0;
  const send = (to) => {
    frame({
      from: sent, to, steps, nlin,
      loss: h.loss.slice(sent, to), accuracy: h.accuracy.slice(sent, to), totalNorm: h.totalNorm.slice(sent, to),
      clipped: h.clipped.slice(sent, to), gradNorms: h.gradNorms.slice(sent * nlin, to * nlin),
      relUpdates: h.relUpdates.slice(sent * nlin, to * nlin), regions: h.regions.slice(sentRegions),
    });
    sent = to;
    sentRegions = h.regions.length;
  };
  const run = trainLane(core, cfg, steps, {
    before: (tr) => snap(tr, 0),
    onStep(t, r, tr) {
      h.loss[t] = r.loss;
      h.accuracy[t] = r.accuracy;
      h.totalNorm[t] = r.totalNorm;
      h.clipped[t] = r.clipped ? 1 : 0;
      h.gradNorms.set(r.gradNorms, t * nlin);
      h.relUpdates.set(r.relUpdates, t * nlin);
      if (!Number.isFinite(r.loss)) return;
      if ((t + 1) % REGION_EVERY === 0) snap(tr, t + 1);
      if ((t + 1) % FRAME_EVERY === 0) send(t + 1);
    },
    after(tr, res) {
      if (res.nonfiniteStep === null && steps % REGION_EVERY) snap(tr, steps);
      const data = tr.data();
      h.X = Float64Array.from(data.X);
      h.y = data.y;
      h.spread = tr.unitSpread();
    },
  });
  h.nonfinite = run.nonfiniteStep;
  if (run.nonfiniteStep === null || run.nonfiniteStep === steps) {
    h.loss[steps] = run.loss[steps];
    h.accuracy[steps] = run.accuracy[steps];
  }
  return h;
}

/** The job of lane k. */
export function laneJob(k) {
  return {
    inputs: [...GLOBAL, ...laneKeys(k)],
    relevant: (s) => laneRun(s, k),
    flops: (input) => (input.off ? 0 : trainFlops({ ...input.cfg, steps: input.steps })),
    run: (core, input, frame) => (input.off ? { off: true } : trainLaneFrames(core, input, frame)),
  };
}

export const LANE_JOBS = Object.fromEntries(LANES.map((k) => [`lane${k}`, laneJob(k)]));
