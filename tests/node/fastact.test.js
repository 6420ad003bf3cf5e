// The wasm build's float32 tanh and sigmoid (src/fastact.c, f64x2 SIMD lanes)
// stay within 1 ulp of the float64 functions rounded to float32, over a sweep
// of the whole float32 line — the native test (test_fastact) cannot see the
// SIMD path, which only exists under wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../lib/node-core.js';

const core = await loadCore();

/** Every 4099th float32 bit pattern (about a million values, both signs, every binade), NaNs left out. */
function sweep() {
  const bits = new Uint32Array(1 << 20);
  let n = 0;
  for (let u = 0; u < 2 ** 32 && n < bits.length; u += 4099) bits[n++] = u;
  const x = new Float32Array(bits.buffer, 0, n);
  return x.filter((v) => !Number.isNaN(v));
}

/** Distance in ulps between two float32 values (their order on the integer line). */
function ulps(a, b) {
  const i = new Int32Array(new Float32Array([a, b]).buffer);
  const ord = (k) => (k < 0 ? -2147483648 - k : k);
  return Math.abs(ord(i[0]) - ord(i[1]));
}

for (const act of ['tanh', 'sigmoid']) {
  test(`float32 ${act} is within 1 ulp of the float64 ${act} rounded, over a sweep of the float32 line`, () => {
    const x = sweep();
    const fast = core.forward(act, x);
    const exact = core.forward(act, Float64Array.from(x)); // libm in float64
    let worst = 0;
    let where = 0;
    for (let i = 0; i < x.length; i++) {
      const d = ulps(fast[i], Math.fround(exact[i]));
      if (d > worst) [worst, where] = [d, x[i]];
    }
    assert.ok(worst <= 1, `${act}: ${worst} ulp at x = ${where}`);
  });
}

for (const act of ['tanh', 'sigmoid']) {
  test(`float32 ${act}: the SIMD lanes give the scalar tail's value, bit for bit`, () => {
    // fastact.c writes the arithmetic twice (scalar, f64x2 SIMD); the SIMD
    // sigmoid is rearranged to save instructions and must stay value-for-value
    // the same.  A one-element call takes the scalar path.
    const x = sweep().filter((_, i) => i % 50 === 0);
    const lanes = core.forward(act, x);
    let differ = 0;
    let first = null;
    for (let i = 0; i < x.length; i++) {
      const one = core.forward(act, x.subarray(i, i + 1))[0];
      if (!Object.is(one, lanes[i])) {
        differ++;
        first ??= x[i];
      }
    }
    assert.equal(differ, 0, `${act}: ${differ} of ${x.length} values differ, first at x = ${first}`);
  });
}

test('float32 sigmoid of an array whose every |x| < 0.34 (its short path) is within 1 ulp and equals the scalar tail', () => {
  // fastact.c skips the range reduction when a whole call's inputs are that
  // small (the reduction is then exactly the identity): a separate loop.
  const all = sweep().filter((v) => Math.abs(v) < 0.34);
  const x = all.filter((_, i) => i % 7 === 0);
  assert.ok(x.length > 50000, `${x.length} small values`);
  const fast = core.forward('sigmoid', x);
  const exact = core.forward('sigmoid', Float64Array.from(x));
  let worst = 0;
  let differ = 0;
  for (let i = 0; i < x.length; i++) {
    worst = Math.max(worst, ulps(fast[i], Math.fround(exact[i])));
    if (i % 20 === 0 && !Object.is(core.forward('sigmoid', x.subarray(i, i + 1))[0], fast[i])) differ++;
  }
  assert.ok(worst <= 1, `${worst} ulp`);
  assert.equal(differ, 0);
  // a NaN among small values goes through the short path and stays NaN
  const withNaN = Float32Array.from([0.1, NaN, -0.2, 0.3]);
  assert.ok(Number.isNaN(core.forward('sigmoid', withNaN)[1]));
});

test('float32 tanh and sigmoid keep their special values in the SIMD lanes and the scalar tail', () => {
  // 9 values: two SIMD blocks of 4 and a scalar tail of 1.
  const x = new Float32Array([0, -0, Infinity, -Infinity, NaN, 1000, -1000, 1e-30, -1e-30]);
  const t = core.forward('tanh', x);
  assert.ok(Object.is(t[0], 0) && Object.is(t[1], -0), 'tanh(±0) = ±0');
  assert.deepEqual([t[2], t[3], t[5], t[6]], [1, -1, 1, -1]);
  assert.ok(Number.isNaN(t[4]));
  assert.deepEqual([t[7], t[8]], [Math.fround(1e-30), Math.fround(-1e-30)]);
  const s = core.forward('sigmoid', x);
  assert.deepEqual([s[0], s[1], s[2], s[3], s[5], s[6]], [0.5, 0.5, 1, 0, 1, 0]);
  assert.ok(Number.isNaN(s[4]));
});
