// questions.js — the Training lesson's "predict, then check"
// (web/app/questions.js).  Both questions load the race preset and read its
// lanes as they trained (the lane jobs run in the worker; a check waits for
// the lesson's own runs rather than training them twice).
import { TRAINED_LOSS } from '../../science.js';
import { presetState } from './presets.js';

/** The first step whose loss is below TRAINED_LOSS (the race's 0.1 line), or null. */
export function stepsTo(lane) {
  const i = lane.loss.findIndex((v) => v < TRAINED_LOSS);
  return i < 0 ? null : i;
}
/** The last loss computed: after the last update, or where the lane turned non-finite. */
const finalLoss = (lane) => lane.loss[lane.nonfinite ?? lane.steps];

export default [
  {
    // Lanes 2 and 3 of the race differ by clipping alone (same seed, same draws).
    id: 'clip',
    prompt: 'trn.q.clip',
    kind: 'choice',
    options: ['same', 'sooner', 'later', 'neither'],
    set: presetState('race'),
    runs: ['lane2', 'lane3'],
    solve({ lane2, lane3 }) {
      const plain = lane2.data;
      const clipped = lane3.data;
      const t2 = stepsTo(plain);
      const t3 = stepsTo(clipped);
      const times = clipped.clipped.reduce((a, b) => a + b, 0);
      let answer;
      if (!times || t2 === t3) answer = 'same';
      else if (t2 === null && t3 === null) answer = 'neither';
      else answer = t3 !== null && (t2 === null || t3 < t2) ? 'sooner' : 'later';
      return {
        answer,
        params: { t2, f2: finalLoss(plain), t3, f3: finalLoss(clipped), times, steps: clipped.steps, c: lane3.input.cfg.clipAt },
      };
    },
    why: 'trn.q.clip.why',
    exercise: 4,
  },
  {
    id: 'sigmoid',
    prompt: 'trn.q.sigmoid',
    kind: 'choice',
    options: ['learns', 'slow', 'chance', 'diverges'],
    set: presetState('race'),
    runs: ['lane1'],
    solve({ lane1 }) {
      const r = lane1.data;
      const f = finalLoss(r);
      let answer;
      if (r.nonfinite !== null) answer = 'diverges';
      else if (stepsTo(r) !== null) answer = 'learns';
      // at chance: within 1% of ln 2, the loss of a constant prediction of ½
      else answer = Math.abs(f - Math.LN2) <= 0.01 * Math.LN2 ? 'chance' : 'slow';
      return { answer, params: { f, ln2: Math.LN2, g0: r.gradNorms[0], gh: r.gradNorms[r.nlin - 1], steps: r.steps } };
    },
    why: 'trn.q.sigmoid.why',
  },
];
