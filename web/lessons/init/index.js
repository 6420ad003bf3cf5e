// The Initialization lesson: up to four torch.nn.init schemes side by side
// through the per-layer statistics of a deep MLP, with mean-field theory,
// histograms, the symmetry lesson and the Xavier compromise.
import { ACTIVATIONS, DTYPES, INITS } from '../../core.js';
import messages from './messages.js';
import summaries from './summaries.js';
import { NET_JOBS, gain, xavier } from './jobs.js';
import { createView } from './view.js';
import { pytorch } from './pytorch.js';
import questions from './questions.js';

const SLOT = { type: 'enum', values: ['none', ...INITS] };

export default {
  id: 'init',
  prefix: 'i',
  navKey: 'ini.nav',
  schema: {
    s1: { ...SLOT, default: 'normal' },
    s2: { ...SLOT, default: 'xavier_normal' },
    s3: { ...SLOT, default: 'kaiming_normal' },
    s4: { ...SLOT, default: 'torch_default' },
    act: { type: 'enum', values: ACTIVATIONS, default: 'tanh' },
    depth: { type: 'int', min: 1, max: 200, default: 20 },
    width: { type: 'int', min: 1, max: 1024, default: 64 },
    batch: { type: 'int', min: 1, max: 256, default: 32 },
    sigma: { type: 'float', min: 0.001, max: 10, default: 0.05 },
    gdef: { type: 'bool', default: true },
    gain: { type: 'float', min: 0.01, max: 10, default: 1 },
    value: { type: 'float', min: -10, max: 10, default: 0.01 },
    seed: { type: 'int', min: 0, max: 2 ** 31 - 1, default: 0 },
    dtype: { type: 'enum', values: DTYPES, default: 'float32' },
    // display only: which statistics the two charts plot, which layer the histograms show
    fwd: { type: 'enum', values: ['z_var', 'a_var'], default: 'z_var' },
    bwd: { type: 'enum', values: ['grad_z_var', 'grad_a_var', 'grad_w_var'], default: 'grad_z_var' },
    hl: { type: 'int', min: 1, max: 200, default: 10 },
    hlog: { type: 'bool', default: false }, // the histograms' density on a log axis
    nin: { type: 'int', min: 1, max: 1024, default: 256 },
    nout: { type: 'int', min: 1, max: 1024, default: 64 },
  },
  jobs: { ...NET_JOBS, xavier, gain },
  /** Four networks of depth × width² × batch: the sizes a change past the work budget lowers (web/budget.js). */
  budget: { knobs: ['batch', 'width', 'depth'] },
  messages,
  summaries,
  create: createView,
  /** Why a control has no effect now (runtime.js disables it). */
  inertReason(key, s) {
    return { gain: s.gdef ? 'ini.inert.gainDefault' : 'ini.inert.noGain', gdef: 'ini.inert.noGain',
      sigma: 'ini.inert.noSigma', value: 'ini.inert.noValue' }[key];
  },
  pytorch,
  questions,
};
