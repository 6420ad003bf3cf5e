// `gradlab train` as a user runs it: exact JSON keys, series lengths, the
// non-finite stop, --dump-init → --init-from, and one-line errors (exit 2).
// The child gets GRADLAB_BUILD, so this runs against release and debug.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gradlab, gradlabJson as json } from './helpers.js';

const TOP_KEYS = ['preset', 'depth', 'width', 'steps', 'seed', 'dtype', 'lanes'].sort();
const LANE_KEYS = ['name', 'act', 'init', 'residual', 'norm', 'clip', 'clip_at', 'loss', 'accuracy', 'total_norm', 'clipped',
  'final_loss', 'steps_to_0_1', 'nonfinite_step', 'grad_norm_step0'].sort();
const tmp = mkdtempSync(join(tmpdir(), 'gradlab-train-'));

test('train --preset race --json: exact keys, steps + 1 losses, one gradient norm per Linear', () => {
  const { data: d } = json('train', '--preset', 'race', '--steps', '3', '--depth', '4', '--points', '16');
  assert.deepEqual(Object.keys(d).sort(), TOP_KEYS);
  assert.equal(d.preset, 'race');
  assert.equal(d.depth, 4);
  assert.equal(d.lanes.length, 4);
  for (const l of d.lanes) {
    assert.deepEqual(Object.keys(l).sort(), LANE_KEYS);
    assert.equal(l.loss.length, 4);
    assert.equal(l.accuracy.length, 4);
    assert.equal(l.total_norm.length, 3);
    assert.equal(l.grad_norm_step0.length, 6);
    assert.equal(l.final_loss, l.loss[3]);
  }
  assert.deepEqual(d.lanes.map((l) => [l.clip, l.clip_at]), [['none', null], ['none', null], ['norm', 1], ['none', null]]);
  assert.equal(d.lanes[3].residual, true);
});

test('an exploding lane stops at its non-finite step: the value as a string, null after', () => {
  const { text, data: d } = json('train', '--preset', 'exploding', '--steps', '6', '--points', '16');
  const l = d.lanes[0];
  assert.equal(typeof l.nonfinite_step, 'number');
  const k = l.nonfinite_step;
  assert.ok(['NaN', 'Infinity', '-Infinity'].includes(l.loss[k]), text.slice(0, 300));
  assert.ok(l.loss.slice(k + 1).every((v) => v === null));
  assert.equal(l.loss.length, 7);
  assert.equal(l.final_loss, l.loss[k]);
  assert.equal(d.lanes[1].nonfinite_step, null);
});

test('--heatmap adds rel_update: per step, one entry per Linear', () => {
  const { data: d } = json('train', '--depth', '2', '--steps', '3', '--points', '8', '--heatmap');
  assert.equal(d.preset, null);
  assert.equal(d.lanes[0].rel_update.length, 3);
  assert.equal(d.lanes[0].rel_update[0].length, 4);
});

test('--dump-init then --init-from reproduces the trajectory exactly', () => {
  const file = join(tmp, 'init.json');
  const args = ['train', '--depth', '3', '--width', '8', '--points', '8', '--steps', '5', '--norm', 'batch', '--residual'];
  const a = json(...args, '--dump-init', file).data;
  const dump = JSON.parse(readFileSync(file, 'utf8'));
  assert.deepEqual(Object.keys(dump).sort(), ['X', 'params', 'y']);
  assert.equal(dump.X.length, 16);
  assert.deepEqual(dump.y.slice(0, 9), [0, 0, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(Object.keys(dump.params).slice(0, 3), ['stem.weight', 'stem.bias', 'hidden.0.weight']);
  assert.equal(dump.params['stem.weight'].length, 8);
  assert.equal(dump.params['stem.weight'][0].length, 2);
  // a different seed, overridden by the file: the same numbers
  const b = json(...args, '--seed', '5', '--init-from', file).data;
  assert.deepEqual(b.lanes[0].loss, a.lanes[0].loss);
  assert.deepEqual(b.lanes[0].total_norm, a.lanes[0].total_norm);
});

test('bad input: one line on stderr, exit 2', () => {
  const bad = join(tmp, 'bad.json');
  writeFileSync(bad, '{"X": [], "y": [], "params": {}}');
  const cases = [
    [['--preset', 'race', '--act', 'tanh'], /cannot be combined with --preset/],
    [['--preset', 'nope'], /must be one of/],
    [['--steps', '0'], /steps/],
    [['--steps', '2001'], /steps/],
    [['--clip', 'norm'], /needs --clip-at/],
    [['--clip-at', '1'], /needs --clip/],
    [['--init', 'normal', '--gain', '2'], /no effect/],
    [['--preset', 'race', '--dump-init', join(tmp, 'x.json')], /one lane/],
    [['--init-from', join(tmp, 'missing.json')], /no such file/],
    [['--init-from', bad], /init-from/],
    [['--preset', 'deep', '--steps', '2000', '--width', '128'], /work budget/],
    [['--width', '3'], /width/],
    [['--turns', '5'], /turns/],
  ];
  for (const [args, pattern] of cases) {
    const r = gradlab('train', ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.equal(r.out, '');
    assert.match(r.err, /^gradlab: .+\n$/);
    assert.match(r.err, pattern, args.join(' '));
  }
});

test('the table names every lane', () => {
  const r = gradlab('train', '--preset', 'symmetry', '--steps', '2');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /constant 0\.1/);
  assert.match(r.out, /Xavier/);
});
