// train-state.test.js — what a restart from a PyTorch snapshot needs of the
// trainer wrapper (web/core.js): the gradients before clipping, and the
// optimizer's state (momentum buffer, Adam's moments, the step count) out and
// back in.  tests/node/torch-train.test.js relies on these.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../lib/node-core.js';
import { assertCoreError, watchSanitizers } from './helpers.js';

const sanitizerReports = watchSanitizers();
const core = await loadCore();

const small = { depth: 3, width: 8, act: 'tanh', init: 'xavier_normal', lr: 0.1, points: 16, turns: 1, norm: 'batch', residual: true };

/** fn(trainers…) with trainers made from configs, all freed after. */
function withTrainers(cfgs, fn) {
  const trs = cfgs.map((c) => core.createTrainer(c));
  try {
    return fn(...trs);
  } finally {
    trs.forEach((t) => t.free());
  }
}

test('gradients() are the gradients the next SGD step applies, before clipping', () => {
  withTrainers([{ ...small, dtype: 'float64', clip: 'value', clipAt: 1e9 }], (tr) => {
    const p0 = tr.params();
    const { loss, grads } = tr.gradients();
    assert.deepEqual(Object.keys(grads), tr.tensors.map((t) => t.name).filter((n) => !n.includes('running_')));
    const r = tr.step();
    assert.equal(r.loss, loss);
    const p1 = tr.params();
    for (const [name, g] of Object.entries(grads)) {
      g.forEach((gi, i) => assert.ok(Math.abs(p1[name][i] - (p0[name][i] - 0.1 * gi)) <= 1e-15 * Math.max(1, Math.abs(p0[name][i])), name));
    }
  });
});

test('gradients() leaves the running statistics alone', () => {
  withTrainers([small], (tr) => {
    const before = tr.params()['norms.0.running_var'];
    tr.gradients();
    assert.deepEqual(tr.params()['norms.0.running_var'], before);
  });
});

test('optimizerState() names the moments as torch does and counts the steps', () => {
  for (const [optimizer, moments] of [['sgd', []], ['momentum', ['momentum_buffer']], ['adam', ['exp_avg', 'exp_avg_sq']]]) {
    withTrainers([{ ...small, optimizer, lr: 0.01 }], (tr) => {
      assert.equal(tr.optimizerState().step, 0);
      tr.step();
      tr.step();
      const s = tr.optimizerState();
      assert.equal(s.step, 2);
      if (!moments.length) return assert.deepEqual(s.state, {});
      assert.deepEqual(Object.keys(s.state['hidden.1.weight']), moments);
      assert.equal(s.state['hidden.1.weight'][moments[0]].length, 64);
      assert.ok(!('norms.0.running_mean' in s.state));
    });
  }
});

test('a trainer given another\'s parameters and optimizer state continues its trajectory bit for bit', () => {
  for (const optimizer of ['sgd', 'momentum', 'adam']) {
    withTrainers([{ ...small, optimizer, lr: 0.01 }, { ...small, optimizer, lr: 0.01, seed: 5 }], (a, b) => {
      for (let k = 0; k < 4; k++) a.step();
      b.setParams(a.params());
      b.setOptimizerState(a.optimizerState());
      for (let k = 0; k < 3; k++) assert.deepEqual(b.step(), a.step(), `${optimizer} step ${k}`);
      assert.deepEqual(b.optimizerState(), a.optimizerState());
    });
  }
});

test('setOptimizerState() checks names and sizes before writing anything', () => {
  withTrainers([{ ...small, optimizer: 'adam', lr: 0.01 }, { ...small, lr: 0.01 }], (adam, sgd) => {
    adam.step();
    const s = adam.optimizerState();
    assertCoreError(() => adam.setOptimizerState({ step: 1, state: { ...s.state, 'hidden.9.weight': s.state['stem.weight'] } }), 1, /unknown parameter/);
    const { 'head.bias': _, ...partial } = s.state;
    assertCoreError(() => adam.setOptimizerState({ step: 1, state: partial }), 1, /head\.bias/);
    assertCoreError(() => adam.setOptimizerState({ step: 1.5, state: s.state }), 1, /integer/);
    assert.deepEqual(adam.optimizerState(), s, 'a refused call changed nothing');
    assertCoreError(() => sgd.setOptimizerState({ step: 1, state: s.state }), 1, /keeps no optimizer state/);
    sgd.setOptimizerState({ step: 7 });
    assert.equal(sgd.optimizerState().step, 7);
  });
});

test('the new calls free every buffer they malloc', () => {
  withTrainers([{ ...small, optimizer: 'adam', lr: 0.01 }], (tr) => {
    tr.step();
    const a0 = core.allocs, f0 = core.frees;
    for (let i = 0; i < 3; i++) {
      tr.gradients();
      tr.setOptimizerState(tr.optimizerState());
      assertCoreError(() => tr.setOptimizerState({ step: -1, state: tr.optimizerState().state }));
    }
    assert.equal(core.allocs - a0, core.frees - f0);
    assert.ok(core.allocs - a0 > 0);
  });
  assert.deepEqual(sanitizerReports, []);
});
