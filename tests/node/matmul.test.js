// matmul.test.js — Core.matmul (gl_matmul through web/core.js), the product
// `npm run bench` times: it agrees with the definition, honours the transpose
// flags and both dtypes, and rejects inconsistent sizes before any malloc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../lib/node-core.js';
import { watchSanitizers, assertCoreError } from './helpers.js';

const sanitizerReports = watchSanitizers();
const core = await loadCore();

/** Deterministic entries in [−1, 1). */
function filled(Type, n, seed) {
  const v = new Type(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    v[i] = s / 1073741824 - 1;
  }
  return v;
}

/** op(A)·op(B) in float64 by the definition. */
function reference(a, b, m, n, k, ta, tb) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  }
  return c;
}

/** Largest |x − y| over the entries. */
const maxDiff = (x, y) => x.reduce((d, v, i) => Math.max(d, Math.abs(v - y[i])), 0);

test('matmul equals the sum over k of A(i,p)·B(p,j), for every transpose and odd shapes', () => {
  const [m, n, k] = [7, 13, 37]; // not multiples of the 4×8 tile
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      const a = filled(Float32Array, m * k, 1), b = filled(Float32Array, k * n, 2);
      const c = core.matmul({ a, b, m, n, k, ta, tb });
      assert.ok(c instanceof Float32Array && c.length === m * n);
      // float32 sums of k = 37 terms of size ≤ 1: rounding ≤ k·2⁻²⁴·k ≈ 1e-4
      assert.ok(maxDiff(c, reference(a, b, m, n, k, ta, tb)) < 1e-4, `ta=${ta} tb=${tb}`);
    }
  }
});

test('matmul in float64 agrees with the definition to rounding', () => {
  const [m, n, k] = [5, 9, 64];
  const a = filled(Float64Array, m * k, 3), b = filled(Float64Array, k * n, 4);
  const c = core.matmul({ a, b, m, n, k });
  assert.ok(c instanceof Float64Array);
  assert.ok(maxDiff(c, reference(a, b, m, n, k, false, false)) < 1e-12);
});

test('matmul rejects sizes that do not match the arrays, and mixed dtypes', () => {
  const a = new Float32Array(6), b = new Float32Array(6);
  const allocs = core.allocs;
  assertCoreError(() => core.matmul({ a, b, m: 2, n: 2, k: 4 }), 1, /A must hold/);
  assertCoreError(() => core.matmul({ a, b, m: 2, n: 3, k: 3 }), 1, /B must hold/);
  assertCoreError(() => core.matmul({ a, b: new Float64Array(6), m: 2, n: 2, k: 3 }), 1, /two Float32Arrays/);
  assertCoreError(() => core.matmul({ a, b, m: 0, n: 2, k: 3 }), 1, /at least 1/);
  assert.equal(core.allocs, allocs, 'nothing was allocated');
});

test('the debug build reports no sanitizer error in these tests', () => {
  assert.deepEqual(sanitizerReports, []);
});

test('every float32 entry is the in-order sum over k, one rounding per multiply and per add (bit for bit)', () => {
  // The kernel promises this order whatever the tile, edge or transpose, so
  // identical rows give identical units (constant initialization) and results
  // do not depend on the tile size.  Shapes straddle the tile edges; k = 16,
  // 32, 64 and 128 take the tiles made for those row lengths of A.
  for (const [m, n, k] of [[1, 1, 1], [5, 9, 17], [13, 21, 40], [8, 16, 64], [11, 24, 16], [12, 16, 32],
    [6, 9, 128]]) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const a = filled(Float32Array, m * k, 5), b = filled(Float32Array, k * n, 6);
        const c = core.matmul({ a, b, m, n, k, ta, tb });
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let p = 0; p < k; p++) {
              s = Math.fround(s + Math.fround((ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j])));
            }
            assert.equal(c[i * n + j], s, `m${m} n${n} k${k} ta=${ta} tb=${tb} entry (${i}, ${j})`);
          }
        }
      }
    }
  }
});
