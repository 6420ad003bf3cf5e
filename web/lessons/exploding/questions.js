// questions.js — the Exploding lesson's "predict, then check" (web/app/questions.js).
// Answers come from the trajectory job: the float32 run's overflow step and
// the core's σ* (Newman's typical growth rate set to 0).
import { nearest } from '../../app/answers.js';
import { FLT_MAX } from '../../format.js';

/** The σ of each choice of the 'flat' question, for n×n matrices. */
export const FLAT_CHOICES = {
  inv: (n) => 1 / Math.sqrt(n), // the mean square stays flat
  invm1: (n) => 1 / Math.sqrt(n - 1), // ≈ σ*
  half: (n) => Math.sqrt(2 / n),
  one: () => 1,
};
const FLAT_N = 4;

export default [
  {
    id: 'overflow',
    prompt: 'exp.q.overflow',
    kind: 'number',
    min: 10,
    max: 400,
    step: 1,
    tolerance: { rel: 0.1 },
    set: { n: 4, sigma: 1, ensemble: 'gaussian', dtype: 'float32', steps: 400 },
    runs: ['traj'],
    solve({ traj }) {
      const { traj: run, theory } = traj.data;
      const k = run.overflowStep ?? traj.input.steps;
      const n0 = run.norms[0];
      return {
        answer: k,
        params: {
          seed: traj.input.seed, k, before: run.norms[k - 1], typ: Math.exp(theory.typical), max: FLT_MAX,
          est: Math.round(Math.log(FLT_MAX / n0) / theory.typical),
        },
      };
    },
    why: 'exp.q.overflow.why',
  },
  {
    id: 'flat',
    prompt: 'exp.q.flat',
    kind: 'choice',
    options: Object.keys(FLAT_CHOICES),
    // the chart shows the product at the σ the learner chose
    set: (choice) => ({ n: FLAT_N, ensemble: 'gaussian', sigma: Number(FLAT_CHOICES[choice](FLAT_N).toPrecision(6)) }),
    runs: ['traj'],
    solve({ traj }) {
      const { n } = traj.input;
      const crit = traj.data.theory.critical_sigma;
      const names = Object.keys(FLAT_CHOICES);
      const answer = names[nearest(names.map((c) => FLAT_CHOICES[c](n)), crit)];
      return { answer, params: { crit, inv: 1 / Math.sqrt(n), n } };
    },
    why: 'exp.q.flat.why',
  },
];
