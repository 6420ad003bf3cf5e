// jobs.js — the computations behind each panel, as pure functions of the core
// and a snapshot of the state.  They run in the Web Worker (worker.js) or,
// where there is none, on the main thread (compute.js); either way the panel
// receives the same plain data (numbers and typed arrays) and only draws.

/** Multiply-adds the Exploding fan may cost before it is thinned. */
export const FAN_BUDGET = 3e8;
/** The corner of the matrix shown in the Exploding tables. */
export const BLOCK = 6;
/** Bins of the Initialization histograms. */
export const HIST_BINS = 60;

/** The schemes chosen in the four slots of the Initialization panel. */
export function slots(s) {
  const out = [];
  for (let i = 1; i <= 4; i++) if (s[`i_s${i}`] !== 'none') out.push({ init: s[`i_s${i}`], slot: i });
  return out;
}

export const JOBS = {
  /** The wasm heap of whichever thread runs the jobs, and the buffers the
   *  wrapper has allocated but not freed (the UI benchmark reads both). */
  heap(core) { return { bytes: core.heapBytes(), live: core.allocs - core.frees }; },

  /** The activation curve and the chain of stacked activations. */
  vanishing(core, s) {
    const curve = core.activationCurve({ act: s.v_act, dtype: s.v_dtype });
    // Both input distributions have mean μ and standard deviation σ; the
    // uniform one spans μ ± σ√3.
    const half = s.v_dist === 'uniform' ? s.v_sd * Math.sqrt(3) : 0;
    const [a, b] = s.v_dist === 'uniform' ? [s.v_mu - half, s.v_mu + half] : [s.v_mu, s.v_sd];
    const chain = core.chainGrad({
      act: s.v_act, dtype: s.v_dtype, dist: s.v_dist, a, b, depth: s.v_depth, samples: s.v_samples, seed: s.v_seed,
    });
    return { curve, chain };
  },

  /** One trajectory, the theory, and a fan of trials thinned to FAN_BUDGET. */
  exploding(core, s) {
    const n = s.x_n;
    const steps = s.x_steps;
    const block = Math.min(n, BLOCK);
    const args = { n, steps, sigma: s.x_sigma, ensemble: s.x_ensemble, seed: s.x_seed };
    const traj = core.matprod({ ...args, dtype: s.x_dtype, block });
    const theory = core.matprodTheory(args);
    const affordable = Math.max(1, Math.floor(FAN_BUDGET / (steps * n ** 3)));
    const trials = Math.min(s.x_trials, affordable);
    const fan = trials > 0 ? core.matprodEnsemble({ ...args, trials, fan: trials }) : null;
    return { traj, theory, trials, fan, block };
  },

  /** Per-layer statistics and theory for each scheme; the Xavier compromise. */
  init(core, s, progress = () => {}) {
    const hl = Math.min(s.i_hl, s.i_depth);
    const gain = s.i_gdef ? NaN : s.i_gain;
    const shape = { depth: s.i_depth, width: s.i_width, batch: s.i_batch, dtype: s.i_dtype };
    const chosen = slots(s);
    const runs = [];
    let refused = null;
    try {
      chosen.forEach((sc, i) => {
        const common = { init: sc.init, gain, sigma: s.i_sigma, value: s.i_value };
        const th = core.initTheory({ ...common, fanIn: s.i_width, fanOut: s.i_width });
        const stats = core.mlpStats({ ...common, ...shape, act: s.i_act, seed: s.i_seed, histLayer: hl, bins: HIST_BINS });
        // Mean field: σ_w² = n·Var(W), inputs with E[x²] = 1, upstream gradient variance 1.
        const sw2 = s.i_width * th.std * th.std;
        const theory = sc.init === 'constant' ? null : core.meanfield({ act: s.i_act, sw2, qx: 1, gVar: 1, depth: s.i_depth });
        runs.push({ ...sc, th, stats, sw2, theory });
        progress((i + 1) / (chosen.length + 1));
      });
    } catch (e) {
      // The core refuses a network over its memory cap with a message that
      // says how much it would need; the rest of the panel still works.
      if (e.name !== 'CoreError') throw e;
      refused = e.message;
      runs.length = 0;
    }
    const fan = { fanIn: s.i_nin, fanOut: s.i_nout };
    const xn = core.initTheory({ init: 'xavier_normal', ...fan });
    const xu = core.initTheory({ init: 'xavier_uniform', ...fan });
    const sample = core.initSample({ init: 'xavier_uniform', ...fan, seed: s.i_seed, dtype: s.i_dtype });
    const uh = core.histogram(sample.weights, 40, -xu.bound, xu.bound);
    delete sample.weights; // only its statistics and histogram cross back
    const recommended = core.calculateGain(s.i_act);
    return { hl, runs, refused, xn, xu, sample, uh, recommended };
  },
};
