// questions.js — the Xavier lesson's "predict, then check" (web/app/questions.js).
// Every answer comes from the measured figures of the lesson's one job,
// gl_xavier_check, at the question's setting: the measured Var[o] and the
// backward variance, with their standard errors, beside the core's formulas.
import { nearest } from '../../app/answers.js';
import { verdict } from './agree.js';

/** d2l's assumptions (the lesson's first preset), a size whose draws stay far below the core's cap, the default trials. */
const D2L = { wd: 'normal', xd: 'normal', mu: 0, gamma: 1, rhow: 0, rhox: 0, delta: 1, nin: 256, nout: 64, samples: 10000 };

/** The σ of each choice of the 'sigma' question, for n_in inputs and n_out outputs. */
export const SIGMA_CHOICES = {
  inv: (nin) => 1 / nin,
  invsqrt: (nin) => 1 / Math.sqrt(nin),
  xavier: (nin, nout) => Math.sqrt(2 / (nin + nout)),
  one: () => 1,
};

/** The figures of a derive result; a run the core refused has none, and the check says why. */
function statsOf(derive) {
  const { stats, refused } = derive.data;
  if (!stats) throw new Error(refused);
  return stats;
}

export default [
  {
    // Var[o] = n_in σ² γ² grows as σ²: the measurement at the σ the learner
    // chose gives the σ at which Var[o] = Var[x], whichever σ was chosen.
    id: 'sigma',
    prompt: 'xav.q.sigma',
    kind: 'choice',
    options: Object.keys(SIGMA_CHOICES),
    // the table shows the σ the learner chose
    set: (choice) => ({ ...D2L, xs: false, sigma: Number(SIGMA_CHOICES[choice](D2L.nin, D2L.nout).toPrecision(6)) }),
    runs: ['derive'],
    solve({ derive }) {
      const S = statsOf(derive);
      const { nin, nout } = derive.input;
      const star = S.sigma * Math.sqrt(S.th_x_var / S.o_var);
      const names = Object.keys(SIGMA_CHOICES);
      const answer = names[nearest(names.map((c) => SIGMA_CHOICES[c](nin, nout)), star, { log: true })];
      return { answer, params: { s: S.sigma, v: S.o_var, xv: S.th_x_var, star, inv: 1 / Math.sqrt(nin) } };
    },
    why: 'xav.q.sigma.why',
  },
  {
    // E[x] = μ ≠ 0: E[x²] = γ² + μ² takes γ²'s place, so Var[o] is (γ² + μ²)/γ² times d2l's.
    id: 'mean',
    prompt: 'xav.q.mean',
    kind: 'choice',
    options: ['yes', 'twice', 'half'],
    set: { ...D2L, mu: 1, xs: true },
    runs: ['derive'],
    solve({ derive }) {
      const S = statsOf(derive);
      const r = S.o_var / S.th_o_var_d2l;
      return {
        answer: ['yes', 'twice', 'half'][nearest([1, 2, 0.5], r, { log: true })],
        params: { v: S.o_var, se: S.o_var_se, d2l: S.th_o_var_d2l, r, ind: S.th_o_var_ind },
      };
    },
    why: 'xav.q.mean.why',
  },
  {
    // Xavier's σ² = 2/(n_in + n_out) lies between 1/n_in and 1/n_out: a
    // condition holds when its measured variance ratio is 1 within 3 SE.
    id: 'factors',
    prompt: 'xav.q.factors',
    kind: 'choice',
    options: ['fwd', 'bwd', 'both', 'neither'],
    set: { ...D2L, nin: 1024, nout: 64, xs: true },
    runs: ['derive'],
    solve({ derive }) {
      const S = statsOf(derive);
      const d2 = derive.input.delta ** 2;
      // measured Var[o]/Var[x] and Var[∂L/∂x]/Var[∂L/∂o], with their SEs
      const f = S.o_var / S.th_x_var;
      const b = S.g_var / d2;
      const fwd = verdict(S.o_var, S.o_var_se, S.th_x_var).agree;
      const bwd = verdict(S.g_var, S.g_var_se, d2).agree;
      const answer = fwd && bwd ? 'both' : fwd ? 'fwd' : bwd ? 'bwd' : 'neither';
      return { answer, params: { f, b, ff: S.fwd_factor, bf: S.bwd_factor, s: S.sigma } };
    },
    why: 'xav.q.factors.why',
  },
  {
    // x = max(0, z), z ~ N(0, γ²): Var[o] = n_in σ² E[x²] and E[x²] = ½E[z²].
    id: 'relu',
    prompt: 'xav.q.relu',
    kind: 'choice',
    options: ['gamma', 'xvar', 'half'],
    set: { ...D2L, xd: 'relu_normal', xs: true },
    runs: ['derive'],
    solve({ derive }) {
      const S = statsOf(derive);
      const { mu, gamma } = derive.input;
      // what stands in γ²'s place: the measured Var[o] over the core's n_in σ²
      const e = S.o_var / S.fwd_factor;
      const candidates = { gamma: gamma * gamma, xvar: S.th_x_var, half: (gamma * gamma + mu * mu) / 2 };
      const names = Object.keys(candidates);
      return {
        answer: names[nearest(Object.values(candidates), e, { log: true })],
        params: { e, se: S.o_var_se / S.fwd_factor, g: candidates.gamma, xv: candidates.xvar, h: candidates.half },
      };
    },
    why: 'xav.q.relu.why',
  },
];
