// The Xavier-derivation lesson: d2l's derivation (zh 4.8.2.2) step by step,
// each formula beside the Monte-Carlo figure the core measures for it, and
// what breaks when the inputs are not zero-mean or not independent.
import { DTYPES, XAVIER_WEIGHT_DISTS, XD_DISTS } from '../../core.js';
import messages from './messages.js';
import summaries from './summaries.js';
import { derive } from './jobs.js';
import { createView } from './view.js';
import { pytorch } from './pytorch.js';
import questions from './questions.js';

export default {
  id: 'xavier',
  prefix: 'xd', // 'x' is the Exploding lesson's
  navKey: 'xav.nav',
  schema: {
    nin: { type: 'int', min: 1, max: 4096, default: 256 },
    nout: { type: 'int', min: 1, max: 4096, default: 64 },
    xs: { type: 'bool', default: true }, // σ = Xavier's √(2/(n_in + n_out))
    sigma: { type: 'float', min: 0.001, max: 10, default: 0.05 },
    wd: { type: 'enum', values: XAVIER_WEIGHT_DISTS, default: 'normal' },
    xd: { type: 'enum', values: XD_DISTS, default: 'normal' },
    mu: { type: 'float', min: -10, max: 10, default: 0 },
    gamma: { type: 'float', min: 0, max: 10, default: 1 },
    rhow: { type: 'float', min: 0, max: 1, default: 0 },
    rhox: { type: 'float', min: 0, max: 1, default: 0 },
    delta: { type: 'float', min: 0.01, max: 10, default: 1 },
    samples: { type: 'int', min: 100, max: 100000, default: 10000 },
    seed: { type: 'int', min: 0, max: 2 ** 31 - 1, default: 0 },
    dtype: { type: 'enum', values: DTYPES, default: 'float32' },
  },
  jobs: { derive },
  messages,
  summaries,
  create: createView,
  /** Why a control has no effect now (runtime.js disables it). */
  inertReason: (key) => (key === 'sigma' ? 'xav.inert.sigma' : undefined),
  pytorch,
  questions,
};
