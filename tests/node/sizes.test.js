// sizes.test.js — sizes in the wasm build, where size_t has 32 bits (issue 14,
// item 6): gl_matmul refuses a packing size that would wrap instead of
// trapping, and every web/core.js wrapper refuses an array of the wrong
// length before it touches the heap (a short one would read stale heap
// values, a long one would write past its buffer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../lib/node-core.js';
import { assertCoreError, watchSanitizers } from './helpers.js';

const sanitizerReports = watchSanitizers();
const core = await loadCore();
const M = core.M;

test('raw gl_matmul with m,n,k = 1, 2^20, 2^12 is refused with GL_ERANGE, not a trap', () => {
  const p = M._malloc(16);
  try {
    // (2^20 + MR)·2^12 packing elements wrapped to 5·2^12 in a 32-bit size_t: a
    // small packing buffer, then B (k·n = 2^32 elements) read out of bounds.
    for (const [m, n, k] of [[1, 2 ** 20, 2 ** 12], [1, 2 ** 20, 2 ** 20], [2 ** 20, 2 ** 20, 2 ** 20]]) {
      for (const dtype of [0, 1]) {
        assert.equal(M._gl_matmul(dtype, 0, 0, m, n, k, p, p, p), 2, `${m}x${n}x${k}`);
        assert.match(core.lastError(), /the packing of matmul .* needs .* more than the 512 MiB cap/);
      }
    }
  } finally {
    M._free(p);
  }
  assert.deepEqual(sanitizerReports, []);
});

test('backward(act, x, g) refuses a g shorter or longer than x, and frees what it did not allocate', () => {
  const x = new Float32Array([-1, 0, 1, 2]);
  const before = core.allocs - core.frees;
  assertCoreError(() => core.backward('tanh', x, new Float32Array(2)), 1, /g must hold 4 values, got 2/);
  assertCoreError(() => core.backward('tanh', x, new Float32Array(1e5)), 1, /g must hold 4 values, got 100000/);
  assertCoreError(() => core.backward('tanh', x, undefined), 1, /g must hold 4 values, got no array/);
  assertCoreError(() => core.backward('tanh', x, null), 1, /g must hold 4 values, got no array/);
  assert.equal(core.allocs - core.frees, before, 'nothing allocated, nothing leaked');
  // the right length still works: tanh'(0) = 1
  assert.equal(core.backward('tanh', x, new Float32Array([1, 1, 1, 1]))[1], 1);
});

test('a short g no longer returns stale heap values: the same call twice gives the same answer', () => {
  // Before: the heap left by a previous call showed through the missing entries.
  const x = new Float64Array([0.5, 0.5, 0.5]);
  core.backward('linear', x, new Float64Array([7, 7, 7]));
  assertCoreError(() => core.backward('linear', x, new Float64Array([1])), 1, /g must hold 3 values, got 1/);
});

test('every wrapper that copies an array in checks its length (setData, setParams) through one check in _with', () => {
  const tr = core.createTrainer({ depth: 2, width: 8, act: 'tanh', init: 'xavier_normal', lr: 0.1, points: 16, turns: 1 });
  try {
    const { X, y } = tr.data();
    assertCoreError(() => tr.setData({ X: X.subarray(1), y }), 1);
    const params = tr.params();
    const [name] = Object.keys(params);
    assertCoreError(() => tr.setParams({ ...params, [name]: params[name].subarray(1) }), 1, /needs \d+ values/);
  } finally {
    tr.free();
  }
  // the shared check in _with: a wrapper whose spec and data disagree is refused before any _malloc
  const before = core.allocs;
  assertCoreError(() => core._with({ v: { type: 'f64', n: 3, data: [1, 2] } }, () => 0), 1, /v must hold 3 values, got 2/);
  assertCoreError(() => core._with({ v: { type: 'f64', n: 3, data: [1, 2, 3, 4] } }, () => 0), 1, /v must hold 3 values, got 4/);
  assert.equal(core.allocs, before, 'refused before any _malloc');
  assert.deepEqual(Array.from(core._with({ v: { type: 'f64', n: 3, data: [1, 2, 3] } }, () => 0).v), [1, 2, 3]);
});
