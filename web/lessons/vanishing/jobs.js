// jobs.js — the Vanishing lesson's computations, pure functions of the core
// and their declared inputs.  They run in the worker (or on the main thread
// where there is none); the view only draws what they return.
import { chainFlops, curveFlops } from '../../budget.js';

/** The activation and its gradient over arange(-8, 8, 0.1), by a backward pass. */
export const curve = {
  inputs: ['act', 'dtype'],
  flops: () => curveFlops({ points: 160 }),
  run: (core, s) => core.activationCurve({ act: s.act, dtype: s.dtype }),
};

/** The gradient that survives a chain of `depth` stacked activations. */
export const chain = {
  inputs: ['act', 'dtype', 'depth', 'dist', 'mu', 'sd', 'samples', 'seed'],
  flops: chainFlops,
  run(core, s) {
    // Both input distributions have mean μ and standard deviation σ; the
    // uniform one spans μ ± σ√3.
    const half = s.dist === 'uniform' ? s.sd * Math.sqrt(3) : 0;
    const [a, b] = s.dist === 'uniform' ? [s.mu - half, s.mu + half] : [s.mu, s.sd];
    const out = core.chainGrad({
      act: s.act, dtype: s.dtype, dist: s.dist, a, b, depth: s.depth, samples: s.samples, seed: s.seed,
    });
    return out;
  },
};
