// questions.js — the Initialization lesson's "predict, then check"
// (web/app/questions.js).  Answers come from the four networks the lesson
// computes: the measured change of Var(z) per layer, and the units' spread.
import { nearest } from '../../app/answers.js';
import { SLOTS } from './jobs.js';

const NETS = SLOTS.map((i) => `net${i}`);
/** The four schemes the ReLU questions compare, one per slot. */
const RELU_SCHEMES = { act: 'relu', s1: 'normal', s2: 'xavier_normal', s3: 'kaiming_normal', s4: 'torch_default' };

/** Var(z)'s geometric-mean factor per layer, from layer 1 to the last, of a network result. */
export function perLayer(net) {
  const rows = net.data.run.stats.layers;
  const L = rows.length;
  return L > 1 ? (rows[L - 1].z_var / rows[0].z_var) ** (1 / (L - 1)) : 1;
}
const byScheme = (res) => Object.fromEntries(NETS.map((n) => [res[n].data.init, perLayer(res[n])]));

export default [
  {
    id: 'relu',
    prompt: 'ini.q.relu',
    kind: 'choice',
    options: ['normal', 'xavier', 'kaiming', 'torch'],
    set: RELU_SCHEMES,
    runs: NETS,
    solve(res) {
      const f = byScheme(res);
      const schemes = ['normal', 'xavier_normal', 'kaiming_normal', 'torch_default'];
      // flattest: the smallest |ln factor|, an order of magnitude being a step
      const i = nearest(schemes.map((s) => f[s]), 1, { log: true });
      return {
        answer: ['normal', 'xavier', 'kaiming', 'torch'][i],
        params: { L: res.net1.input.depth, fn: f.normal, fx: f.xavier_normal, fk: f.kaiming_normal, ft: f.torch_default },
      };
    },
    why: 'ini.q.relu.why',
  },
  {
    id: 'xavier',
    prompt: 'ini.q.xavier',
    kind: 'choice',
    options: ['double', 'stay', 'half', 'quarter'],
    set: RELU_SCHEMES,
    runs: ['net2'],
    solve({ net2 }) {
      const f = perLayer(net2);
      return { answer: ['double', 'stay', 'half', 'quarter'][nearest([2, 1, 0.5, 0.25], f, { log: true })], params: { f } };
    },
    why: 'ini.q.xavier.why',
  },
  {
    // The chapter's symmetry argument, checked: a constant init gives every
    // unit of a layer the same weights, so the units never differ.
    id: 'constant',
    prompt: 'ini.q.constant',
    kind: 'choice',
    options: ['yes', 'small', 'no'],
    set: { s4: 'constant' },
    runs: ['net4'],
    solve({ net4 }) {
      const spread = Math.max(...net4.data.run.stats.layers.map((row) => row.unit_spread));
      return { answer: spread === 0 ? 'no' : 'yes', params: { spread, value: net4.input.value } };
    },
    why: 'ini.q.constant.why',
  },
];
