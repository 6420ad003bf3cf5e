// web/charts.js's log-axis ticks over every range a chart can meet, hostile
// ones included: a line that is one number up to rounding (1 and
// 1.0000000000000002), subnormals, 600 decades.  logTickValues must end,
// return few ticks, all inside the range, increasing and labelled apart, and
// at least LOG_TICKS_MIN of them wherever the range is not a single value;
// a single value gets none, and the axis widened by 1.5 either side (what
// the chart does then) gets at least LOG_TICKS_MIN.  The soak test once hung
// a page here: min / step passed 2^53, where i++ stops moving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOG_TICKS_MIN, logAxisEnds, logTick, logTickValues } from '../../web/charts.js';

/** mulberry32: the same ranges on every run. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const MOST = 12;

/** Checks the ticks of [min, max]; returns them. */
function check(min, max) {
  const v = logTickValues(min, max);
  const where = `[${min}, ${max}] → ${JSON.stringify(v)}`;
  assert.ok(v.length <= MOST, `at most ${MOST} ticks: ${where}`);
  for (let i = 0; i < v.length; i++) {
    assert.ok(Number.isFinite(v[i]) && v[i] > 0, `positive and finite: ${where}`);
    assert.ok(v[i] >= min * (1 - 1e-9) && v[i] <= max * (1 + 1e-9), `inside: ${where}`);
    if (i) assert.ok(v[i] > v[i - 1], `increasing: ${where}`);
  }
  const labels = v.map((x, i) => logTick(x, i, v.map((value) => ({ value }))));
  assert.equal(new Set(labels).size, labels.length, `labels apart ${JSON.stringify(labels)}: ${where}`);
  return v;
}

test('one number up to rounding gets no ticks; widened by 1.5 either side it gets at least three', () => {
  for (const x of [1, 0.25, 3, 1e-30, 7.5e300, 5e-324, 2 ** -1074 * 3, 0.1 + 0.2, 1 / 3]) {
    for (const ulps of [0, 1, 2, 8, 100]) {
      let y = x;
      for (let i = 0; i < ulps; i++) y = nextUp(y);
      const v = check(x, y); // a subnormal's ulp is no small part of it: it only must not hang
      if (x > 1e-300) assert.equal(v.length, 0, `[${x}, ${y}]`);
      const wide = check(x / 1.5, y * 1.5);
      // subnormals have too few digits for three ticks in 2.25×; they only must not hang
      if (Number.isFinite(y * 1.5) && x > 1e-300) assert.ok(wide.length >= LOG_TICKS_MIN, `widened [${x}, ${y}]: ${wide}`);
    }
  }
});

test('20,000 random ranges from a relative width of 1e-16 to 600 decades: few ticks, inside, apart, at least three', () => {
  const r = rng(12);
  for (let n = 0; n < 20000; n++) {
    const min = 10 ** (-320 + 630 * r()) * (1 + r());
    const width = 10 ** (-16 + 22 * r()); // max / min - 1
    const max = min * (1 + width);
    if (!Number.isFinite(max)) continue;
    const v = check(min, max);
    if (width >= 1e-9 && min > 1e-300) assert.ok(v.length >= LOG_TICKS_MIN, `[${min}, ${max}] (width ${width}): ${v}`);
  }
  for (let n = 0; n < 2000; n++) {
    const min = 10 ** (-300 + 300 * r()), max = min * 10 ** (300 * r());
    assert.ok(check(min, max).length >= LOG_TICKS_MIN, `[${min}, ${max}]`);
  }
});

test('what no log axis can show gets no ticks, and no error', () => {
  for (const [a, b] of [[0, 1], [-1, 1], [1, 0.5], [NaN, 1], [1, NaN], [1, Infinity], [Infinity, Infinity], [-Infinity, 1]]) {
    assert.deepEqual(logTickValues(a, b), [], `[${a}, ${b}]`);
  }
});

test('a log axis ends just outside its data, finite and positive, whatever the data', () => {
  const r = rng(5);
  const cases = [[1, 1.02], [0.5, 1], [2.6e-143, 2.34e7], [1.52e-138, 2.09], [50, 1.5e308], [60, 9e307], [1, 1.7976931348623157e308],
    [5e-324, 1], [5e-324, 5e-324], [1e-310, 3e-310], [1, 1], [0.1 + 0.2, 0.30000000000000004]];
  for (let n = 0; n < 20000; n++) {
    const lo = 10 ** (-323 + 630 * r()) * (1 + r());
    const hi = lo * (1 + 10 ** (-16 + 22 * r()));
    if (Number.isFinite(hi)) cases.push([lo, hi]);
  }
  for (const [lo, hi] of cases) {
    const [a, b] = logAxisEnds(lo, hi);
    const where = `[${lo}, ${hi}] → [${a}, ${b}]`;
    assert.ok(a > 0 && Number.isFinite(b) && a <= lo && b >= hi, `encloses the data: ${where}`);
    // no wider than the next round values: a decade either side over a decade, a tenth of the width below one
    if (hi / lo >= 10) assert.ok(a > lo / 10 && b <= hi * 10, `within a decade: ${where}`);
    else if (hi > lo && lo > 1e-290) assert.ok(b - a <= (hi - lo) * 1.2 + 1e-12 * hi, `a narrow range stays narrow: ${where}`);
  }
  // a gradient of 1 ± 2% fills the plot; data near overflow ends at the largest double, not Infinity
  assert.deepEqual(logAxisEnds(0.98, 1.02), [0.98, 1.02]);
  assert.deepEqual(logAxisEnds(50, 1.5e308), [50, Number.MAX_VALUE]);
  assert.deepEqual(logAxisEnds(2.6e-143, 2.34e7), [2e-143, 3e7]);
});

/** The next double above a positive x. */
function nextUp(x) {
  const b = new Float64Array([x]);
  const u = new BigUint64Array(b.buffer);
  u[0] += 1n;
  return b[0];
}
