// jobs.js — the Xavier lesson's one computation: gl_xavier_check, measured
// figures and formula values for the current controls.
import { xavierFlops } from '../../budget.js';

/** Bins of the histogram of o. */
export const HIST_BINS = 40;

export const derive = {
  inputs: ['nin', 'nout', 'xs', 'sigma', 'wd', 'xd', 'mu', 'gamma', 'rhow', 'rhox', 'delta', 'samples', 'seed', 'dtype'],
  flops: (s) => xavierFlops({ nIn: s.nin, nOut: s.nout, samples: s.samples }),
  /** σ matters only when Xavier's is not used. */
  relevant(s) {
    const { sigma, ...rest } = s;
    return s.xs ? rest : s;
  },
  run(core, s) {
    try {
      const { stats, hist } = core.xavierCheck({
        nIn: s.nin, nOut: s.nout, sigma: s.xs ? NaN : s.sigma, wDist: s.wd, xDist: s.xd, mu: s.mu, gamma: s.gamma,
        rhoW: s.rhow, rhoX: s.rhox, delta: s.delta, samples: s.samples, dtype: s.dtype, seed: s.seed, bins: HIST_BINS,
      });
      return { stats, hist, refused: null };
    } catch (e) {
      // The core refuses too much work (samples × (n_in + n_out) draws) with
      // a message saying how much: the lesson shows it instead of figures.
      if (e.name !== 'CoreError') throw e;
      return { stats: null, hist: null, refused: e.message };
    }
  },
};
