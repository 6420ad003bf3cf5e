// train.test.js — the trainer wrapper (web/core.js) and the Remedies lesson's
// claims, computed by the core's own generator over several seeds.
// The seed sweeps run 10 seeds against the release build and 1 against the
// debug build (ASan/UBSan, ~17× slower: every code path, not the statistics),
// as the test names say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../lib/node-core.js';
import { assertCoreError, watchSanitizers } from './helpers.js';
import { trainConfig, trainLane } from '../../web/science.js';
import { DEFAULTS, PRESETS, globalsOf, lanesOf } from '../../web/lessons/train/presets.js';

const sanitizerReports = watchSanitizers();
const core = await loadCore();
const DEBUG = process.env.GRADLAB_BUILD === 'debug';
const SEEDS = DEBUG ? 1 : 10;
const BUILD = DEBUG ? 'debug build, 1 seed' : 'release build, 10 seeds';

const small = { depth: 3, width: 8, act: 'tanh', init: 'xavier_normal', lr: 0.1, points: 16, turns: 1 };

test('params() and setParams() round-trip every tensor under its state_dict name', () => {
  for (const norm of ['none', 'batch', 'layer']) {
    const a = core.createTrainer({ ...small, norm, residual: true });
    const b = core.createTrainer({ ...small, norm, residual: true, seed: 7 });
    try {
      const names = a.tensors.map((t) => t.name);
      assert.equal(names[0], 'stem.weight');
      assert.equal(names.at(-1), 'head.bias');
      if (norm === 'batch') assert.ok(names.includes('norms.2.running_var'));
      const p = a.params();
      assert.ok(p['stem.weight'] instanceof Float32Array);
      assert.notDeepEqual(b.params()['hidden.0.weight'], p['hidden.0.weight']);
      b.setParams({ ...p, ...(norm === 'batch' ? { 'norms.0.num_batches_tracked': [0] } : {}) });
      assert.deepEqual(b.params(), p);
      // from the same parameters (and the same data), the same trajectory, bit for bit
      for (let k = 0; k < 5; k++) assert.deepEqual(b.step(), a.step());
    } finally {
      a.free();
      b.free();
    }
  }
});

test('setParams refuses unknown, missing and mis-sized tensors before writing anything', () => {
  const t = core.createTrainer(small);
  try {
    const p = t.params();
    assertCoreError(() => t.setParams({ ...p, 'hidden.9.weight': new Float32Array(64) }), 1, /unknown tensor/);
    const { 'head.bias': _, ...rest } = p;
    assertCoreError(() => t.setParams(rest), 1, /missing tensor 'head.bias'/);
    assertCoreError(() => t.setParams({ ...p, 'stem.bias': new Float32Array(3) }), 1, /needs 8 values/);
    assert.deepEqual(t.params(), p);
  } finally {
    t.free();
  }
});

test('data() is the spiral (class 0 rows first) and setData() round-trips it', () => {
  const t = core.createTrainer({ ...small, dtype: 'float64', points: 4 });
  try {
    const { X, y } = t.data();
    assert.deepEqual(Array.from(y), [0, 0, 0, 0, 1, 1, 1, 1]);
    const r = 0.125, th = 2 * Math.PI * r;
    assert.ok(Math.abs(X[0] - r * Math.sin(th)) < 1e-15 && Math.abs(X[1] - r * Math.cos(th)) < 1e-15);
    const X2 = X.map((v) => -v);
    t.setData({ X: X2, y });
    assert.deepEqual(t.data().X, X2);
    assertCoreError(() => t.setData({ X, y: new Int32Array(8).fill(2) }), 1, /not a class/);
  } finally {
    t.free();
  }
});

test('predict gives class-1 probabilities in [0, 1] for any number of points (eval mode)', () => {
  const t = core.createTrainer({ ...small, norm: 'batch' });
  try {
    for (let k = 0; k < 3; k++) t.step();
    const grid = new Float64Array(2 * 100).map((_, i) => ((i * 37) % 97) / 48 - 1); // more points than the batch
    const p = t.predict(grid);
    assert.equal(p.length, 100);
    assert.ok(p.every((v) => v >= 0 && v <= 1));
    assert.deepEqual(t.predict(grid.slice(0, 2))[0], p[0]);
  } finally {
    t.free();
  }
});

test('step() reports per Linear (depth + 2) and evaluate() agrees with the next step', () => {
  const t = core.createTrainer(small);
  try {
    const r = t.step();
    assert.deepEqual(Object.keys(r).sort(), ['accuracy', 'clipped', 'gradNorms', 'loss', 'relUpdates', 'totalNorm']);
    assert.equal(r.gradNorms.length, small.depth + 2);
    assert.equal(r.relUpdates.length, small.depth + 2);
    assert.equal(r.clipped, false);
    const e = t.evaluate();
    assert.equal(t.step().loss, e.loss);
  } finally {
    t.free();
  }
});

test('invalid configs throw CoreError; a freed trainer refuses every call', () => {
  assertCoreError(() => core.createTrainer({ ...small, depth: 101 }), 2);
  assertCoreError(() => core.createTrainer({ ...small, width: 3 }), 1);
  assertCoreError(() => core.createTrainer({ ...small, lr: 0 }), undefined, /lr/);
  assertCoreError(() => core.createTrainer({ ...small, norm: 'group' }), 1, /unknown norm/);
  assertCoreError(() => core.createTrainer({ ...small, clip: 'norm', clipAt: -1 }), undefined, /clip_at/);
  assertCoreError(() => core.createTrainer({ ...small, turns: undefined }), 1, /needs 'turns'/);
  const t = core.createTrainer(small);
  t.free();
  t.free(); // idempotent
  assertCoreError(() => t.step(), 1, /freed/);
  assertCoreError(() => t.params(), 1, /freed/);
});

test('no leaks: allocs === frees after free(), also when creation fails', () => {
  const a0 = core.allocs, f0 = core.frees;
  const t = core.createTrainer({ ...small, norm: 'batch' });
  t.step();
  t.params();
  t.setParams(t.params());
  t.data();
  t.predict(new Float64Array([0, 0]));
  t.unitSpread();
  t.evaluate();
  assert.ok(core.allocs - a0 > core.frees - f0, 'the state is live until free()');
  t.free();
  assertCoreError(() => core.createTrainer({ ...small, lr: -1 }));
  assertCoreError(() => core.createTrainer({ ...small, act: 'swish' }));
  assert.equal(core.allocs - a0, core.frees - f0);
});

test('constant init keeps every unit bit-identical after 300 steps (symmetry preset)', () => {
  const [constant, random] = lanesOf('symmetry').map((l) => core.createTrainer(trainConfig(globalsOf('symmetry'), l)));
  try {
    for (let k = 0; k < 300; k++) constant.step();
    assert.ok(constant.unitSpread().every((s) => s === 0), `${constant.unitSpread()}`);
    assert.ok(random.unitSpread().every((s) => s > 0));
  } finally {
    constant.free();
    random.free();
  }
  assert.equal(sanitizerReports.length, 0, sanitizerReports.join('\n'));
});

// ---- the lesson's claims, seed by seed (the core's own generator: torch's) --------

/** Runs lane i of a preset for seeds 0..SEEDS−1; returns the trainLane results. */
function sweep(preset, i) {
  const g = globalsOf(preset);
  const lane = lanesOf(preset)[i];
  return Array.from({ length: SEEDS }, (_, seed) => trainLane(core, trainConfig({ ...g, seed }, lane), g.steps));
}
/** At least 9 in 10 (all of 2). */
const mostly = (n) => n >= Math.ceil(0.9 * SEEDS);
const jumps = (loss) => loss.slice(1).filter((v, k) => v !== null && loss[k] !== null && v - loss[k] > 0.1).length;

test(`sigmoid lanes end at ln 2 ± 1e-3 for every seed (${BUILD})`, () => {
  for (const [preset, i] of [['race', 0], ['vanishing', 0], ['vanishing', 1]]) {
    const finals = sweep(preset, i).map((r) => r.finalLoss);
    assert.ok(finals.every((v) => Math.abs(v - Math.LN2) < 1e-3), `${preset} lane ${i}: ${finals}`);
  }
});

test(`race: clip-norm and residual+BatchNorm lanes get below 0.1 (by steps 120 and 40), plain ReLU jumps ≥ 5 times (${BUILD})`, () => {
  const clip = sweep('race', 2), resbn = sweep('race', 3), relu = sweep('race', 1);
  const by = (rs, k) => rs.filter((r) => r.stepsToTrained !== null && r.stepsToTrained <= k).length;
  assert.ok(mostly(by(clip, 120)), `clip: ${clip.map((r) => r.stepsToTrained)}`);
  assert.ok(mostly(by(resbn, 40)), `res+bn: ${resbn.map((r) => r.stepsToTrained)}`);
  assert.ok(mostly(relu.filter((r) => jumps(r.loss) >= 5).length), `jumps: ${relu.map((r) => jumps(r.loss))}`);
});

// With torch's generator (the core's since src/torch_rng.c) the clip-norm lane
// ends below 0.1 in 9 of seeds 0–9 (seed 4: 0.144) and gets there in all 10.
// The margin is thin by nature, not by the core: over seeds 0–59 it ends below
// 0.1 in 54 and gets there in 58 (clip value: 59 end below), so another ten
// seeds may well give 8.
test(`exploding: unclipped is non-finite or ≥ 0.69; both clipped lanes end below 0.1 (${BUILD})`, () => {
  const none = sweep('exploding', 0), norm = sweep('exploding', 1), value = sweep('exploding', 2);
  assert.ok(mostly(none.filter((r) => r.nonfiniteStep !== null || r.finalLoss >= 0.69).length),
    `${none.map((r) => r.finalLoss)}`);
  assert.ok(mostly(value.filter((r) => r.finalLoss < 0.1).length), `${value.map((r) => r.finalLoss)}`);
  assert.ok(mostly(norm.filter((r) => r.finalLoss < 0.1).length), `${norm.map((r) => r.finalLoss)}`);
});

test(`deep (50 blocks): plain ends ≥ 0.6, residual alone turns non-finite (${BUILD})`, () => {
  const plain = sweep('deep', 0), res = sweep('deep', 1);
  assert.ok(mostly(plain.filter((r) => r.finalLoss >= 0.6).length), `${plain.map((r) => r.finalLoss)}`);
  assert.ok(mostly(res.filter((r) => r.nonfiniteStep !== null).length), `${res.map((r) => r.nonfiniteStep)}`);
  assert.equal(sanitizerReports.length, 0, sanitizerReports.join('\n'));
});

test('presets are complete: 1–4 named lanes with en and zh captions, globals within the limits', () => {
  for (const name of Object.keys(PRESETS)) {
    const lanes = lanesOf(name);
    assert.ok(lanes.length >= 1 && lanes.length <= 4);
    for (const l of lanes) assert.ok(l.name && l.caption.en && l.caption.zh, `${name}: ${l.name}`);
    const g = globalsOf(name);
    assert.equal(g.width, DEFAULTS.width);
    // every lane is a valid core config
    for (const l of lanes) assert.ok(core.trainBytes(trainConfig(g, l)) > 0);
  }
  assert.throws(() => lanesOf('nope'), /unknown preset/);
});
