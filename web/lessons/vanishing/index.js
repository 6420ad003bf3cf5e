// The Vanishing lesson: an activation and its gradient (d2l's sigmoid figure)
// and the gradient that survives a chain of them.
import { ACTIVATIONS, DISTS, DTYPES } from '../../core.js';
import messages from './messages.js';
import summaries from './summaries.js';
import { chain, curve } from './jobs.js';
import { createView } from './view.js';
import { pytorch } from './pytorch.js';
import questions from './questions.js';

export default {
  id: 'vanishing',
  prefix: 'v',
  navKey: 'van.nav',
  schema: {
    act: { type: 'enum', values: ACTIVATIONS, default: 'sigmoid' },
    dtype: { type: 'enum', values: DTYPES, default: 'float32' },
    depth: { type: 'int', min: 1, max: 100, default: 20 },
    dist: { type: 'enum', values: DISTS, default: 'normal' },
    mu: { type: 'float', min: -10, max: 10, default: 0 },
    sd: { type: 'float', min: 0.01, max: 10, default: 1 },
    samples: { type: 'int', min: 100, max: 100000, default: 2000 },
    seed: { type: 'int', min: 0, max: 2 ** 31 - 1, default: 0 },
  },
  jobs: { curve, chain },
  messages,
  summaries,
  create: createView,
  pytorch,
  questions,
};
