// jobs.js — the Exploding lesson's computations: one trajectory of the
// product of random matrices with its theory, and a fan of independent trials.
import { matprodFlops } from '../../budget.js';

/** Multiply-adds the fan may cost before it is thinned. */
export const FAN_BUDGET = 3e8;
/** The corner of the matrix shown in the tables. */
export const BLOCK = 6;

/** One trajectory M_k = M_{k−1}·W_k (its norms, the shown corner) and the theory of its growth. */
export const traj = {
  inputs: ['n', 'sigma', 'steps', 'seed', 'dtype', 'ensemble'],
  flops: (s) => matprodFlops(s),
  run(core, s) {
    const block = Math.min(s.n, BLOCK);
    const args = { n: s.n, steps: s.steps, sigma: s.sigma, ensemble: s.ensemble, seed: s.seed };
    return { traj: core.matprod({ ...args, dtype: s.dtype, block }), theory: core.matprodTheory(args), block };
  },
};

/** The trials the fan runs: those asked for, thinned to FAN_BUDGET. */
function fanTrials(s) {
  return Math.min(s.trials, Math.max(1, Math.floor(FAN_BUDGET / (s.steps * s.n ** 3))));
}

/** Independent trials (float64, renormalised): their mean ln-norm and each trial's, thinned to FAN_BUDGET. */
export const fan = {
  inputs: ['n', 'sigma', 'steps', 'seed', 'ensemble', 'trials'],
  flops: (s) => matprodFlops({ ...s, trajectories: 0, trials: fanTrials(s) }),
  run(core, s) {
    const trials = fanTrials(s);
    const args = { n: s.n, steps: s.steps, sigma: s.sigma, ensemble: s.ensemble, seed: s.seed };
    return { trials, fan: trials > 0 ? core.matprodEnsemble({ ...args, trials, fan: trials }) : null };
  },
};
