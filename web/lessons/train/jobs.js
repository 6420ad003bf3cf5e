// jobs.js — the Training lesson's computations: each lane trains its own
// network in the C core (one job per lane, so changing one lane reruns that
// lane only) and reports a frame every FRAME_EVERY steps while it runs.
import { initParams } from '../../science.js';

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

/** The trainer config of lane k from the lesson's state, or {off: true} for a lane not shown. */
export function laneConfig(s, k) {
  if (k > s.lanes) return { off: true };
  const init = s[`init${k}`];
  const p = initParams(init, { gain: s[`gdef${k}`] ? undefined : s[`gain${k}`], sigma: s[`sigma${k}`], value: s[`value${k}`] });
  const clip = s[`clip${k}`];
  return {
    depth: s.depth, width: s.width, points: s.points, turns: s.turns, noise: s.noise, lr: s.lr,
    optimizer: s.optimizer, steps: s.steps, seed: s.seed, dataSeed: s.seed, dtype: s.dtype,
    act: s[`act${k}`], init, gain: p.gain, sigma: p.sigma, value: p.value,
    residual: s[`res${k}`], norm: s[`norm${k}`], clip, clipAt: clip === 'none' ? null : s[`clipat${k}`],
  };
}

/** Trains one lane, reporting frames ({from, to, …slices}); returns its whole history. */
export function trainLane(core, cfg, frame = () => {}) {
  if (cfg.off) return { off: true };
  const { steps } = cfg;
  const tr = core.createTrainer({ ...cfg, gain: cfg.gain ?? NaN, sigma: cfg.sigma ?? 1, value: cfg.value ?? 0, clipAt: cfg.clipAt ?? NaN });
  try {
    const nlin = tr.linears;
    const h = {
      steps, nlin,
      loss: new Float64Array(steps + 1).fill(NaN), accuracy: new Float64Array(steps + 1).fill(NaN),
      totalNorm: new Float64Array(steps).fill(NaN), clipped: new Uint8Array(steps),
      gradNorms: new Float64Array(steps * nlin).fill(NaN), relUpdates: new Float64Array(steps * nlin).fill(NaN),
      nonfinite: null, regions: [],
    };
    const grid = gridPoints();
    const snap = (step) => h.regions.push({ step, prob: Float32Array.from(tr.predict(grid)) });
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
    snap(0);
    for (let t = 0; t < steps; t++) {
      const r = tr.step();
      h.loss[t] = r.loss;
      h.accuracy[t] = r.accuracy;
      h.totalNorm[t] = r.totalNorm;
      h.clipped[t] = r.clipped ? 1 : 0;
      h.gradNorms.set(r.gradNorms, t * nlin);
      h.relUpdates.set(r.relUpdates, t * nlin);
      if (!Number.isFinite(r.loss)) { // the lane stops where it turns non-finite
        h.nonfinite = t;
        break;
      }
      if ((t + 1) % REGION_EVERY === 0) snap(t + 1);
      if ((t + 1) % FRAME_EVERY === 0) send(t + 1);
    }
    if (h.nonfinite === null) {
      const e = tr.evaluate(); // the loss after the last update
      h.loss[steps] = e.loss;
      h.accuracy[steps] = e.accuracy;
      if (steps % REGION_EVERY) snap(steps);
    }
    const data = tr.data();
    h.X = Float64Array.from(data.X);
    h.y = data.y;
    h.spread = tr.unitSpread();
    return h;
  } finally {
    tr.free();
  }
}

/** The job of lane k. */
export function laneJob(k) {
  return {
    inputs: [...GLOBAL, ...laneKeys(k)],
    relevant: (s) => laneConfig(s, k),
    run: (core, cfg, frame) => trainLane(core, cfg, frame),
  };
}

export const LANE_JOBS = Object.fromEntries(LANES.map((k) => [`lane${k}`, laneJob(k)]));
