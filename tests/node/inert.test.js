// inert.test.js — honest controls: the keys jobs.js inertKeys reports as
// unable to change anything really change no job's input (so a disabled
// control would have started no computation), and the others do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LESSONS } from '../../web/lessons/index.js';
import { inertKeys, jobInput } from '../../web/app/jobs.js';
import { defaults } from '../../web/state.js';

const lesson = (id) => LESSONS.find((l) => l.id === id);
const jobKeys = (l) => [...new Set(Object.values(l.jobs).flatMap((j) => j.inputs))];
const inputs = (l, s) => Object.values(l.jobs).map((j) => JSON.stringify(jobInput(j, s)));

/** Values of spec to try: its ends, a few between, every enum value. */
function tries(spec) {
  if (spec.type === 'bool') return [true, false];
  if (spec.type === 'enum') return spec.values;
  const out = [spec.min, spec.max];
  for (const f of [0.1, 0.37, 0.5, 0.9]) {
    const v = spec.min + f * (spec.max - spec.min);
    out.push(spec.type === 'int' ? Math.round(v) : v);
  }
  return out;
}

test('Initialization: the gain is inert while each scheme uses its default, the value while no scheme is constant', () => {
  const l = lesson('init');
  const s = defaults(l.schema);
  assert.deepEqual(inertKeys(l, s, ['gain', 'value', 'sigma', 'gdef', 'depth']), ['gain', 'value']);
  assert.deepEqual(inertKeys(l, { ...s, gdef: false }, ['gain']), [], 'unticked: the Xavier and Kaiming schemes read it');
  assert.deepEqual(inertKeys(l, { ...s, s1: 'constant' }, ['value']), []);
  const noSigma = { ...s, s1: 'xavier_uniform' };
  assert.deepEqual(inertKeys(l, noSigma, ['sigma']), ['sigma'], 'no normal or uniform scheme');
  assert.equal(l.inertReason('gain', s), 'ini.inert.gainDefault');
});

test('Training: a lane\'s σ, value and threshold are inert unless its scheme or clipping reads them; lanes not raced are inert', () => {
  const l = lesson('train');
  const s = { ...defaults(l.schema), ...l.presetState('race') };
  // race: 1 sigmoid + N(0, 0.01), 2 ReLU + Kaiming, 3 + clip norm 1, 4 + residual + BatchNorm
  const inert = new Set(inertKeys(l, s, Object.keys(l.schema)));
  assert.ok(!inert.has('sigma1') && inert.has('sigma2'), 'σ is read by the normal scheme only');
  assert.ok(inert.has('clipat2') && !inert.has('clipat3'), 'the threshold only where clipping is on');
  assert.ok(inert.has('value1') && !inert.has('depth') && !inert.has('lanes'));
  const two = new Set(inertKeys(l, { ...s, lanes: 2 }, ['act3', 'act4', 'act2']));
  assert.deepEqual([...two].sort(), ['act3', 'act4']);
  assert.equal(l.inertReason('act3', { ...s, lanes: 2 }), 'trn.inert.laneOff');
});

test('Xavier derivation: σ is inert while Xavier\'s σ is in use', () => {
  const l = lesson('xavier');
  const s = defaults(l.schema);
  assert.deepEqual(inertKeys(l, s, ['sigma', 'nin']), ['sigma']);
  assert.deepEqual(inertKeys(l, { ...s, xs: false }, ['sigma']), []);
});

test('every lesson, default state and a few others: an inert key changes no job input at any value tried; every other job key changes one', () => {
  let checked = 0;
  for (const l of LESSONS) {
    const states = [defaults(l.schema)];
    if (l.presetState) for (const p of ['race', 'exploding', 'deep', 'symmetry']) states.push({ ...defaults(l.schema), ...l.presetState(p) });
    for (const s of states) {
      const keys = jobKeys(l);
      const inert = new Set(inertKeys(l, s, keys));
      const now = inputs(l, s);
      for (const k of keys) {
        const changed = tries(l.schema[k]).filter((v) => v !== s[k]).some((v) => inputs(l, { ...s, [k]: v }).some((x, i) => x !== now[i]));
        assert.equal(changed, !inert.has(k), `${l.id}: ${k} = ${s[k]} is ${inert.has(k) ? 'inert' : 'live'} but ${changed ? 'changes' : 'changes no'} input`);
        checked++;
      }
    }
  }
  assert.ok(checked > 100);
});
