// The Training lesson: what vanishing and exploding gradients do to learning,
// and what each remedy the chapter lists changes — up to four networks trained
// by the C core on the same spiral from the same seed, side by side.
import { ACTIVATIONS, CLIPS, DTYPES, INITS, NORMS, OPTIMIZERS } from '../../core.js';
import messages from './messages.js';
import summaries from './summaries.js';
import { LANES, LANE_JOBS } from './jobs.js';
import { PRESET_NAMES, presetState } from './presets.js';
import questions from './questions.js';
import { createView } from './view.js';
import { pytorch } from './pytorch.js';

const race = presetState('race');
const laneSchema = (k) => ({
  [`act${k}`]: { type: 'enum', values: ACTIVATIONS, default: race[`act${k}`] },
  [`init${k}`]: { type: 'enum', values: INITS, default: race[`init${k}`] },
  [`sigma${k}`]: { type: 'float', min: 0.001, max: 10, default: race[`sigma${k}`] ?? 0.01 },
  [`gdef${k}`]: { type: 'bool', default: race[`gdef${k}`] },
  [`gain${k}`]: { type: 'float', min: 0.01, max: 10, default: race[`gain${k}`] ?? 1 },
  [`value${k}`]: { type: 'float', min: -10, max: 10, default: race[`value${k}`] ?? 0.1 },
  [`res${k}`]: { type: 'bool', default: race[`res${k}`] },
  [`norm${k}`]: { type: 'enum', values: NORMS, default: race[`norm${k}`] },
  [`clip${k}`]: { type: 'enum', values: CLIPS, default: race[`clip${k}`] },
  [`clipat${k}`]: { type: 'float', min: 0.001, max: 100, default: race[`clipat${k}`] ?? 1 },
});

export default {
  id: 'train',
  prefix: 'tr',
  navKey: 'trn.nav',
  schema: {
    preset: { type: 'enum', values: PRESET_NAMES, default: 'race' }, // display only: the caption
    lanes: { type: 'int', min: 1, max: 4, default: race.lanes },
    depth: { type: 'int', min: 1, max: 100, default: race.depth },
    width: { type: 'int', min: 4, max: 128, default: race.width },
    points: { type: 'int', min: 8, max: 1024, default: race.points },
    turns: { type: 'float', min: 0.25, max: 4, default: race.turns },
    noise: { type: 'float', min: 0, max: 0.5, default: race.noise },
    lr: { type: 'float', min: 1e-4, max: 10, default: race.lr },
    optimizer: { type: 'enum', values: OPTIMIZERS, default: race.optimizer },
    steps: { type: 'int', min: 50, max: 2000, default: race.steps },
    seed: { type: 'int', min: 0, max: 2 ** 31 - 1, default: race.seed },
    dtype: { type: 'enum', values: DTYPES, default: race.dtype },
    heat: { type: 'enum', values: ['rel', 'grad'], default: 'rel' }, // display only
    ...Object.assign({}, ...LANES.map(laneSchema)),
  },
  jobs: LANE_JOBS,
  /** Lanes × steps × points × depth × width²: the sizes a race past the work budget lowers (web/budget.js). */
  budget: { knobs: ['steps', 'points', 'depth', 'width', 'lanes'] },
  messages,
  summaries,
  create: createView,
  /** Why a lane's control has no effect now (runtime.js disables it). */
  inertReason(key, s) {
    const m = /^([a-z]+)([1-4])$/.exec(key);
    if (!m) return undefined;
    const [, base, k] = m;
    if (Number(k) > s.lanes) return 'trn.inert.laneOff';
    return { sigma: 'trn.inert.sigma', gdef: 'trn.inert.gain', value: 'trn.inert.value', clipat: 'trn.inert.clipOff',
      gain: s[`gdef${k}`] ? 'trn.inert.gainDefault' : 'trn.inert.gain' }[base];
  },
  pytorch,
  presetState,
  questions,
};
