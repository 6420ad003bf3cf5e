// questions.js — the Vanishing lesson's "predict, then check" (web/app/questions.js).
// Each answer is derived from the chain job's result, never typed in.
import { nearest } from '../../app/answers.js';

/** The last layer's entry of a chain series. */
const last = (chain, series) => chain.data[series][chain.input.depth - 1];

export default [
  {
    // The best case of a sigmoid chain is (max σ′)^L = 0.25^L.
    id: 'bound',
    prompt: 'van.q.bound',
    kind: 'choice',
    options: ['e2', 'e4', 'e6', 'e8'],
    set: { act: 'sigmoid', depth: 10 },
    runs: ['chain'],
    solve({ chain }) {
      const bound = last(chain, 'bound');
      return { answer: ['e2', 'e4', 'e6', 'e8'][nearest([1e-2, 1e-4, 1e-6, 1e-8], bound, { log: true })], params: { bound } };
    },
    why: 'van.q.bound.why',
  },
  {
    // A ReLU that is off passes 0 and stays off: the share is P(x ≤ 0) at every depth.
    id: 'zeros',
    prompt: 'van.q.zeros',
    kind: 'choice',
    options: ['none', 'quarter', 'half', 'all'],
    set: { act: 'relu', depth: 20, dist: 'normal', mu: 0, sd: 1 },
    runs: ['chain'],
    solve({ chain }) {
      const zero = last(chain, 'zero');
      return {
        answer: ['none', 'quarter', 'half', 'all'][nearest([0, 0.25, 0.5, 1], zero)],
        params: { pct: 100 * zero, first: 100 * chain.data.zero[0] },
      };
    },
    why: 'van.q.zeros.why',
  },
];
