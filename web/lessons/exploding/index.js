// The Exploding lesson: d2l's product of 100 random 4×4 matrices, animated one
// multiplication per frame, with Newman's theory and a fan of trials.
import { DTYPES, ENSEMBLES } from '../../core.js';
import messages from './messages.js';
import summaries from './summaries.js';
import { fan, traj } from './jobs.js';
import { createView } from './view.js';
import { pytorch } from './pytorch.js';
import questions from './questions.js';

export default {
  id: 'exploding',
  prefix: 'x',
  navKey: 'exp.nav',
  schema: {
    n: { type: 'int', min: 1, max: 64, default: 4 },
    sigma: { type: 'float', min: 0.01, max: 10, default: 1 },
    steps: { type: 'int', min: 1, max: 1000, default: 100 },
    seed: { type: 'int', min: 0, max: 2 ** 31 - 1, default: 0 },
    dtype: { type: 'enum', values: DTYPES, default: 'float32' },
    ensemble: { type: 'enum', values: ENSEMBLES, default: 'gaussian' },
    trials: { type: 'int', min: 0, max: 200, default: 30 },
    speed: { type: 'int', min: 1, max: 500, default: 25 }, // display only: steps a second
  },
  jobs: { traj, fan },
  /** Within the work budget at every setting (tests/node/budget.test.js); these would be lowered first. */
  budget: { knobs: ['steps', 'n'] },
  messages,
  summaries,
  create: createView,
  pytorch,
  questions,
};
