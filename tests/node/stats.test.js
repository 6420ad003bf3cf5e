// Population statistics and histograms through the wasm build: the float32
// path there is SIMD (four partial sums), so check it against a float64
// two-pass reference, including lengths that leave a scalar tail and NaN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCore } from '../../lib/node-core.js';

const core = await loadCore();

function reference(v) {
  let sum = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) {
    sum += x;
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  const mean = sum / v.length;
  let m2 = 0;
  for (const x of v) m2 += (x - mean) ** 2;
  return { mean, var: m2 / v.length, min: lo, max: hi };
}

test('float32 statistics match a float64 two-pass reference for every tail length', () => {
  for (const n of [1, 2, 3, 4, 5, 7, 8, 1001, 4099]) {
    const v = core.sample({ dist: 'normal', dtype: 'float32', seed: n, a: 3, b: 2, n });
    const s = core.stats(v);
    const r = reference(v);
    assert.equal(s.count, n);
    // Sums of n float32 values in float64: different orders differ by ~n·2⁻⁵³ relative.
    assert.ok(Math.abs(s.mean - r.mean) <= 1e-13 * Math.max(1, Math.abs(r.mean)), `n ${n} mean`);
    assert.ok(Math.abs(s.var - r.var) <= 1e-12 * Math.max(1, r.var), `n ${n} var`);
    assert.equal(s.min, r.min);
    assert.equal(s.max, r.max);
  }
});

test('a NaN anywhere, in the SIMD body or the tail, makes every statistic NaN', () => {
  for (const at of [0, 3, 6]) {
    const v = new Float32Array([1, 2, 3, 4, 5, 6, 7]);
    v[at] = NaN;
    const s = core.stats(v);
    for (const k of ['mean', 'var', 'min', 'max']) assert.ok(Number.isNaN(s[k]), `NaN at ${at}: ${k}`);
  }
});

test('the variance of float32 data with a mean of 1e6 keeps its precision (two passes in float64)', () => {
  const v = core.sample({ dist: 'normal', dtype: 'float32', seed: 9, a: 1e6, b: 1, n: 100000 });
  const s = core.stats(v);
  assert.ok(Math.abs(s.var - reference(v).var) < 1e-9);
  // float32 at 1e6 has a spacing of 1/16, so the data's variance is ≈ 1 + 1/16²/12.
  assert.ok(Math.abs(s.var - 1) < 0.02, `var ${s.var}`);
});

test('quantiles interpolate between order statistics as torch.quantile, skip non-finite entries and free what they allocate', () => {
  const v = core.sample({ dist: 'normal', dtype: 'float32', seed: 9, n: 10001 });
  const sorted = Float64Array.from(v).sort();
  const p = [0, 0.001, 0.25, 0.5, 0.999, 1];
  const q = core.quantiles(v, p);
  p.forEach((pk, k) => {
    const h = pk * (sorted.length - 1), i = Math.floor(h);
    const want = i + 1 < sorted.length ? sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
    assert.ok(Math.abs(q[k] - want) <= 1e-12 * Math.max(1, Math.abs(want)), `p = ${pk}: ${q[k]} vs ${want}`);
  });
  assert.deepEqual(Array.from(core.quantiles(new Float64Array([NaN, 4, Infinity, 1, -Infinity]), [0, 0.5, 1])), [1, 2.5, 4]);
  assert.ok(Number.isNaN(core.quantiles(new Float32Array([NaN]), [0.5])[0]), 'no finite entry: NaN');
  const a0 = core.allocs, f0 = core.frees;
  assert.throws(() => core.quantiles(v, [1.5]), /not in \[0, 1\]/);
  assert.equal(core.allocs - a0, 3);
  assert.equal(core.frees - f0, 3);
});

test('an MLP\'s histograms with a tail span its quantiles and leave the entries outside out of the counts', () => {
  const shape = { init: 'kaiming_normal', act: 'tanh', depth: 3, width: 64, batch: 16, bins: 30 };
  const plain = core.mlpStats(shape).hists;
  const cut = core.mlpStats({ ...shape, histTail: 0.01 }).hists;
  for (let l = 0; l < 3; l++) {
    for (const k of ['a', 'gz']) {
      const p = plain[l][k], c = cut[l][k];
      const sum = (h) => h.counts.reduce((x, y) => x + y, 0);
      assert.equal(sum(p), p.n, 'min..max: every entry counted');
      assert.ok(c.lo > p.lo && c.hi < p.hi, `layer ${l + 1} ${k}: [${c.lo}, ${c.hi}] inside [${p.lo}, ${p.hi}]`);
      const out = c.n - sum(c);
      assert.ok(out >= 0.015 * c.n && out <= 0.025 * c.n, `layer ${l + 1} ${k}: ${out} of ${c.n} left out (≈ 2%)`);
    }
  }
  assert.equal(core.mlpBytes({ depth: 3, width: 64, batch: 16, bins: 30, histTail: 0.01 }) - core.mlpBytes({ depth: 3, width: 64, batch: 16, bins: 30 }),
    8 * 64 * 16, 'the selection scratch: batch·width doubles');
});
