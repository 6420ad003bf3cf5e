// web/format.js: one number formatter for readouts and the CLI's tables, and
// one policy for non-finite numbers (no core needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmtNum, linearTick, shortestFloat32, toJSON } from '../../web/format.js';

// The two formatters fmtNum replaced, verbatim: fmtNum(v) and fmtNum(v, 7)
// must write every number exactly as they did (the CLI's tables are checked
// byte for byte elsewhere; this covers the edges).
function oldFmtNum(v) {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e5 ? v.toExponential(3) : String(Number(v.toPrecision(4)));
}
function oldTableFmt(v) {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-4 || a >= 1e6) ? v.toExponential(6) : String(Number(v.toPrecision(7)));
}
const EDGES = [0, -0, 1, -1, 0.5, 1 / 3, -2 / 3, 12345, 99999, 100000, 123456, 999999, 1e6, 1234567, 16777216,
  999999999, 1e9, 1e9 + 1, 1e21, 1e-3, 9.999e-4, 1e-4, 9.99e-5, 1e-300, 5e-324, Number.MAX_VALUE, Math.PI * 1e7,
  -Math.E * 1e-5, 0.00012345678, 2 ** 53, NaN, Infinity, -Infinity];

test('fmtNum(v) writes every number as before (4 significant digits); fmtNum(v, 7) as the CLI table did', () => {
  for (const v of EDGES) {
    assert.equal(fmtNum(v), oldFmtNum(v), `fmtNum(${v})`);
    assert.equal(fmtNum(v, 7), oldTableFmt(v), `fmtNum(${v}, 7)`);
  }
  assert.equal(fmtNum(null), '—');
  assert.equal(fmtNum(undefined, 7), '—');
  assert.throws(() => fmtNum(1, 5), RangeError);
});

test('one non-finite policy: readouts, tables and JSON write Infinity, -Infinity, NaN', () => {
  for (const v of [Infinity, -Infinity, NaN]) {
    assert.equal(fmtNum(v), String(v));
    assert.equal(fmtNum(v, 7), String(v));
    assert.equal(JSON.parse(toJSON({ v })).v, String(v));
  }
  assert.deepEqual(JSON.parse(toJSON(Float32Array.from([1, Infinity, NaN]))), [1, 'Infinity', 'NaN']);
  assert.equal(shortestFloat32(Infinity), Infinity);
});

test('linearTick writes every tick as Chart.js 4\'s default numeric formatter (Intl, en-US) does, without Intl', () => {
  // Chart.js 4.x Ticks.formatters.numeric with locale en-US, re-stated with Intl as the reference
  const chartjs = (value, ticks) => {
    if (value === 0) return '0';
    let notation; let delta = value;
    if (ticks.length > 1) {
      const maxTick = Math.max(Math.abs(ticks[0].value), Math.abs(ticks[ticks.length - 1].value));
      if (maxTick < 1e-4 || maxTick > 1e15) notation = 'scientific';
      delta = ticks.length > 3 ? ticks[2].value - ticks[1].value : ticks[1].value - ticks[0].value;
      if (Math.abs(delta) >= 1 && value !== Math.floor(value)) delta = value - Math.floor(value);
    }
    const logDelta = Math.log10(Math.abs(delta));
    const d = Number.isNaN(logDelta) ? 1 : Math.max(Math.min(-1 * Math.floor(logDelta), 20), 0);
    return new Intl.NumberFormat('en-US', { notation, minimumFractionDigits: d, maximumFractionDigits: d }).format(value);
  };
  const sets = [];
  for (const step of [1e-9, 2.5e-6, 5e-5, 1e-4, 0.002, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 20, 250, 1000, 5e4, 2e6, 1e14, 5e15, 3e20]) {
    for (const start of [-7, -3, 0, 1, 4]) sets.push(Array.from({ length: 7 }, (_, i) => ({ value: (start + i) * step })));
  }
  sets.push([{ value: 0.3 }], [{ value: -1234567.5 }], [{ value: 1.5 }, { value: 2.25 }]);
  let n = 0;
  for (const ticks of sets) {
    for (const [i, t] of ticks.entries()) {
      assert.equal(linearTick(t.value, i, ticks), chartjs(t.value, ticks), `tick ${t.value} of ${ticks.map((x) => x.value)}`);
      n++;
    }
  }
  assert.ok(n > 600);
});
