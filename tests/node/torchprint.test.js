// web/torchprint.js against what PyTorch 1.13 printed: every row of
// tests/data/torch-print.json (written once by tests/torch/gen_print_table.py;
// no torch needed here), plus the cases issue 13 names, spelled out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pyExp, pyFixed, torchFormatter, torchScalar, torchTensor } from '../../web/torchprint.js';

const TABLE = JSON.parse(readFileSync(new URL('../data/torch-print.json', import.meta.url), 'utf8'));

/** The table's hex of big-endian IEEE bits → numbers (float32 entries as their exact doubles). */
function decode(hex, dtype) {
  const size = dtype === 'float32' ? 4 : 8;
  const view = new DataView(new ArrayBuffer(size));
  const out = [];
  for (let i = 0; i < hex.length; i += 2 * size) {
    for (let b = 0; b < size; b++) view.setUint8(b, parseInt(hex.substr(i + 2 * b, 2), 16));
    out.push(size === 4 ? view.getFloat32(0) : view.getFloat64(0));
  }
  return out;
}

/** The rows that disagree (at most 10 shown) and how many were checked. */
function mismatches(rows, check) {
  const bad = [];
  for (const row of rows) {
    const got = check(row);
    if (got) bad.push(got);
  }
  return { bad: bad.slice(0, 10), count: bad.length };
}

test('the table was printed by torch 1.13 and holds thousands of single values and hundreds of tensors', () => {
  assert.match(TABLE.torch, /^1\.13\./);
  assert.ok(TABLE.scalars.length > 15000, `${TABLE.scalars.length} scalars`);
  assert.ok(TABLE.tensors.length > 300, `${TABLE.tensors.length} tensors`);
});

test('every single value prints as torch prints a 0-d tensor of it: default, sci_mode=True and sci_mode=False', () => {
  const { bad, count } = mismatches(TABLE.scalars, ([dtype, hex, want, wantSci, wantFixed]) => {
    const [v] = decode(hex, dtype);
    const got = [torchScalar(v), torchFormatter([v], { sciMode: true }).format(v), torchFormatter([v], { sciMode: false }).format(v)];
    const want3 = [want, wantSci, wantFixed];
    return got.every((g, i) => g === want3[i]) ? null : { dtype, hex, v, got, want: want3 };
  });
  assert.equal(count, 0, `${count} of ${TABLE.scalars.length} differ, e.g. ${JSON.stringify(bad)}`);
});

test('every tensor prints as torch repr() wrote it: layout, width, mode, summary and dtype suffix', () => {
  const { bad, count } = mismatches(TABLE.tensors, ({ dtype, shape, bits, repr }) => {
    const got = torchTensor(decode(bits, dtype), shape, dtype);
    return got === repr ? null : { dtype, shape, got, want: repr };
  });
  assert.equal(count, 0, `${count} of ${TABLE.tensors.length} differ, e.g. ${JSON.stringify(bad, null, 1)}`);
});

test('the table is not passed vacuously: in dozens of rows toFixed/toExponential would write other digits (exact ties, −0)', () => {
  let differ = 0;
  for (const [dtype, hex, , sci, fixed] of TABLE.scalars) {
    const [v] = decode(hex, dtype);
    if (!Number.isFinite(v)) continue;
    const js = v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
    // a forced fixed of an integer is torch's int mode ("123445."), not toFixed's business
    if (sci.trim() !== js || (!fixed.endsWith('.') && fixed.trim() !== v.toFixed(4))) differ++;
  }
  assert.ok(differ >= 30, `${differ} rows where JavaScript's rounding differs from torch's`);
});

test('ties round to even on the exact binary value, as Python: 123445 → 1.2344e+05, 1.03125 → 1.0312', () => {
  assert.equal(pyExp(123445, 4), '1.2344e+05');
  assert.equal(pyExp(123455, 4), '1.2346e+05');
  assert.equal(pyFixed(1.03125, 4), '1.0312');
  assert.equal(pyFixed(1.09375, 4), '1.0938');
  // 0.1 is 0.1000000000000000055…: not a tie, rounds as its exact value says
  assert.equal(pyFixed(0.15, 1), '0.1'); // 0.1499999999999999944…
  assert.equal(pyExp(99999500000, 4), '1.0000e+11'); // a tie: 9.9999|5 goes to the even 10.0000
  assert.equal(pyExp(9.99996, 4), '1.0000e+01'); // the carry makes a new digit
  assert.equal(pyExp(5e-324, 4), '4.9407e-324');
  assert.equal(pyExp(1.7976931348623157e308, 4), '1.7977e+308');
});

test('−0 keeps its sign and inf/nan print as torch: -0.0000, -0., -0.0000e+00, inf, -inf, nan', () => {
  assert.equal(torchScalar(-0), '-0.');
  assert.equal(torchFormatter([1.5, -0]).format(-0), '-0.0000');
  assert.equal(torchFormatter([1e-9, -0]).format(-0), '-0.0000e+00');
  assert.deepEqual([Infinity, -Infinity, NaN].map(torchScalar), ['inf', '-inf', 'nan']);
});

test('the mode follows the nonzero finite entries: fixed, int, scientific by ratio, by max > 1e8 and by min < 1e-4', () => {
  const mode = (values) => {
    const f = torchFormatter(values);
    return f.sciMode ? 'sci' : f.intMode ? 'int' : 'fixed';
  };
  assert.equal(mode([1.555, -0.9025]), 'fixed');
  assert.equal(mode([1, -2, 0, Infinity, NaN]), 'int');
  assert.equal(mode([1.5, 1501]), 'sci'); // max/min > 1000
  assert.equal(mode([1.5, 1499]), 'fixed');
  assert.equal(mode([2e8, 3e8]), 'sci'); // max > 1e8, int mode too
  assert.equal(mode([1e-5, 2e-5]), 'sci'); // min < 1e-4
  assert.equal(mode([0, -0, Infinity]), 'int'); // nothing nonzero and finite: torch's defaults
  // one width for the whole tensor: the longest entry (-9.0250e-01) sets it
  assert.equal(torchTensor([1.555, -0.9025, 1.4398e25, 0], [2, 2]), 'tensor([[ 1.5550e+00, -9.0250e-01],\n        [ 1.4398e+25,  0.0000e+00]])');
  assert.equal(torchTensor([1.555, -0.9025], [1, 2], 'float64'), 'tensor([[ 1.5550, -0.9025]], dtype=torch.float64)');
});
