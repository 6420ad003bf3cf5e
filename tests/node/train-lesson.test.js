// train-lesson.test.js — the Training lesson's worker job and `gradlab train`
// are one computation: the lesson's lanes, built from a preset through its
// state, train to the very numbers the CLI prints, and the frames a lane
// streams add up to its final result.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../lib/node-core.js';
import train from '../../web/lessons/train/index.js';
import { FRAME_EVERY, laneRun, trainLaneFrames } from '../../web/lessons/train/jobs.js';
import { gradlabJson } from './helpers.js';

let core;
before(async () => { core = await loadCore(); });

const STEPS = 40;
const fromJson = (v) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);

for (const preset of ['race', 'exploding']) {
  test(`preset ${preset}: every lane of the lesson trains to the CLI's numbers, bit for bit (${STEPS} steps)`, () => {
    const state = { ...train.presetState(preset), steps: STEPS };
    const cli = gradlabJson('train', '--preset', preset, '--steps', String(STEPS)).data;
    assert.equal(cli.lanes.length, state.lanes);
    cli.lanes.forEach((lane, i) => {
      const run = laneRun(state, i + 1);
      const h = trainLaneFrames(core, run);
      assert.equal(h.nonfinite, lane.nonfinite_step, `${lane.name}: non-finite step`);
      const upto = lane.nonfinite_step === null ? STEPS + 1 : lane.nonfinite_step + 1;
      for (let k = 0; k < upto; k++) {
        assert.ok(Object.is(h.loss[k], fromJson(lane.loss[k])), `${lane.name}: loss at step ${k}: ${h.loss[k]} vs ${lane.loss[k]}`);
      }
      for (let k = 0; k < Math.min(upto, STEPS); k++) {
        assert.ok(Object.is(h.totalNorm[k], fromJson(lane.total_norm[k])), `${lane.name}: total norm at step ${k}`);
        assert.equal(Boolean(h.clipped[k]), lane.clipped[k], `${lane.name}: clipped at step ${k}`);
      }
      assert.deepEqual(Array.from(h.gradNorms.subarray(0, h.nlin)), lane.grad_norm_step0.map(fromJson));
    });
  });
}

test('the frames a lane streams, put together, are its final result; a lane not shown trains nothing', () => {
  const state = { ...train.presetState('race'), steps: 55 };
  const frames = [];
  const h = trainLaneFrames(core, laneRun(state, 4), (f) => frames.push(f));
  assert.deepEqual(frames.map((f) => [f.from, f.to]), [[0, 10], [10, 20], [20, 30], [30, 40], [40, 50]]);
  assert.equal(FRAME_EVERY, 10);
  const loss = new Float64Array(50);
  const grads = new Float64Array(50 * h.nlin);
  for (const f of frames) {
    loss.set(f.loss, f.from);
    grads.set(f.gradNorms, f.from * h.nlin);
  }
  assert.deepEqual(loss, h.loss.subarray(0, 50));
  assert.deepEqual(grads, h.gradNorms.subarray(0, 50 * h.nlin));
  // regions at 0, 25, 50 (streamed) and at the end (55)
  assert.deepEqual(frames.flatMap((f) => f.regions.map((r) => r.step)), [0, 25, 50]);
  assert.deepEqual(h.regions.map((r) => r.step), [0, 25, 50, 55]);
  assert.deepEqual(laneRun({ ...state, lanes: 2 }, 3), { off: true });
});
