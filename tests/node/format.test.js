// web/format.js: one number formatter for readouts and the CLI's tables, and
// one policy for non-finite numbers (no core needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmtNum, shortestFloat32, toJSON } from '../../web/format.js';

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
