// `gradlab init-sample` and `gradlab init-stats` as a user runs them: a child
// process, exact JSON keys, the numbers the lesson quotes, tables, non-finite
// numbers as strings, and one-line errors with exit code 2 for every bad input.
// The child gets GRADLAB_BUILD, so this runs against release and debug.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradlab, gradlabAsync, gradlabJson as json } from './helpers.js';

const relErr = (a, b) => Math.abs(a - b) / Math.abs(b);

const SAMPLE_KEYS = ['init', 'fan_in', 'fan_out', 'gain', 'std', 'bound', 'sample'].sort();
const SAMPLE_STAT_KEYS = ['count', 'mean', 'var', 'min', 'max'].sort();
const STATS_KEYS = ['init', 'act', 'depth', 'width', 'batch', 'seed', 'dtype', 'gain', 'sigma', 'value', 'layers', 'theory'].sort();
const LAYER_KEYS = ['layer', 'z_mean', 'z_var', 'a_mean', 'a_var', 'grad_a_var', 'grad_z_var', 'grad_w_var'].sort();
const THEORY_KEYS = ['layer', 'z_var', 'grad_z_var'].sort();
const HIST_KEYS = ['layer', 'bins', 'a', 'grad_z'].sort();
const HIST_SIDE_KEYS = ['lo', 'hi', 'counts'].sort();

// ---- init-sample --------------------------------------------------------------

test('init-sample --json has exactly the documented keys', () => {
  const { data: d } = json('init-sample', '--init', 'normal', '--fan-in', '3', '--fan-out', '2');
  assert.deepEqual(Object.keys(d).sort(), SAMPLE_KEYS);
  assert.deepEqual(Object.keys(d.sample).sort(), SAMPLE_STAT_KEYS);
});

test('init-sample xavier_uniform 256 → 64: bound √(6/320), gain 1, and a plausible sample', () => {
  const { data: d } = json('init-sample', '--init', 'xavier_uniform', '--fan-in', '256', '--fan-out', '64');
  const b = Math.sqrt(6 / 320);
  assert.equal(d.init, 'xavier_uniform');
  assert.equal(d.fan_in, 256);
  assert.equal(d.fan_out, 64);
  assert.equal(d.gain, 1);
  assert.ok(relErr(d.bound, b) < 1e-14, `bound ${d.bound}`);
  assert.ok(relErr(d.std, b / Math.sqrt(3)) < 1e-14, `std ${d.std}`);
  const s = d.sample, n = 256 * 64;
  assert.equal(s.count, n);
  // 5 standard errors of U(−b, b): mean b/√(3N); variance √((b⁴/5 − b⁴/9)/N).
  assert.ok(Math.abs(s.mean) < 5 * b / Math.sqrt(3 * n), `mean ${s.mean}`);
  assert.ok(Math.abs(s.var - b * b / 3) < 5 * Math.sqrt((b ** 4 / 5 - b ** 4 / 9) / n), `var ${s.var}`);
  // float32 rounding may reach b itself, no further; with 16384 draws the
  // extremes are within 1% of ±b (probability of missing: (1 − 0.005)^16384).
  assert.ok(s.min >= -b * (1 + 2 ** -23) && s.max <= b * (1 + 2 ** -23), `[${s.min}, ${s.max}]`);
  assert.ok(s.min < -0.99 * b && s.max > 0.99 * b, `[${s.min}, ${s.max}]`);
});

test('init-sample kaiming_normal uses gain √2 by default: std √2/√fan_in, no bound', () => {
  const { data: d } = json('init-sample', '--init', 'kaiming_normal', '--fan-in', '200', '--fan-out', '50');
  assert.equal(d.gain, Math.SQRT2);
  assert.ok(relErr(d.std, Math.SQRT2 / Math.sqrt(200)) < 1e-14, `std ${d.std}`);
  assert.equal(d.bound, null);
  // normal: SE of the variance is std²·√(2/N), N = 10000.
  assert.ok(Math.abs(d.sample.var - d.std ** 2) < 5 * d.std ** 2 * Math.sqrt(2 / 10000), `var ${d.sample.var}`);
});

test('init-sample --gain 0.5 is respected', () => {
  const { data: d } = json('init-sample', '--init', 'kaiming_normal', '--fan-in', '200', '--fan-out', '50', '--gain', '0.5');
  assert.equal(d.gain, 0.5);
  assert.ok(relErr(d.std, 0.5 / Math.sqrt(200)) < 1e-14, `std ${d.std}`);
  assert.ok(Math.abs(d.sample.var - d.std ** 2) < 5 * d.std ** 2 * Math.sqrt(2 / 10000), `var ${d.sample.var}`);
});

test('init-sample reports gain null for the schemes that ignore it', () => {
  for (const init of ['normal', 'uniform', 'lecun_normal', 'torch_default', 'constant']) {
    assert.equal(json('init-sample', '--init', init, '--fan-in', '8', '--fan-out', '4').data.gain, null, init);
  }
});

test('init-sample constant --value 0.25: min = max = 0.25, std 0', () => {
  const { data: d } = json('init-sample', '--init', 'constant', '--fan-in', '8', '--fan-out', '4', '--value', '0.25');
  assert.equal(d.std, 0);
  assert.equal(d.sample.min, 0.25);
  assert.equal(d.sample.max, 0.25);
  assert.equal(d.sample.var, 0);
});

test('init-sample prints a theory-vs-sample table without --json', () => {
  const r = gradlab('init-sample', '--init', 'xavier_normal', '--fan-in', '30', '--fan-out', '20');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^# xavier_normal: a 20 x 30 weight/);
  assert.match(r.out, /\bstd\b.*\n.*\bvar\b/);
});

// ---- init-stats -----------------------------------------------------------------

test('init-stats --json has exactly the documented keys, with the defaults tanh, depth 10, width 128, batch 64, seed 0, float32', () => {
  const { data: d } = json('init-stats', '--init', 'xavier_normal');
  assert.deepEqual(Object.keys(d).sort(), STATS_KEYS);
  assert.equal(d.act, 'tanh');
  assert.equal(d.depth, 10);
  assert.equal(d.width, 128);
  assert.equal(d.batch, 64);
  assert.equal(d.seed, 0);
  assert.equal(d.dtype, 'float32');
  assert.equal(d.gain, 1);
  assert.equal(d.sigma, null);
  assert.equal(d.value, null);
  assert.equal(d.layers.length, 10);
  assert.equal(d.theory.length, 10);
  d.layers.forEach((l, i) => {
    assert.deepEqual(Object.keys(l).sort(), LAYER_KEYS);
    assert.equal(l.layer, i + 1);
  });
  d.theory.forEach((t, i) => {
    assert.deepEqual(Object.keys(t).sort(), THEORY_KEYS);
    assert.equal(t.layer, i + 1);
  });
  // Layer 1 sees only the sampling error of 8192 entries (5% is > 4 SE).
  assert.ok(relErr(d.layers[0].z_var, d.theory[0].z_var) < 0.05);
});

test('init-stats --depth 7 gives 7 layers and 7 theory rows; theory is mean-field for width·std²', () => {
  const { data: d } = json('init-stats', '--init', 'kaiming_normal', '--act', 'relu', '--depth', '7', '--width', '64', '--batch', '32');
  assert.equal(d.layers.length, 7);
  assert.equal(d.theory.length, 7);
  assert.equal(d.gain, Math.SQRT2);
  // He init with relu: σ_w² = 64·(2/64) = 2 keeps q = 2 exactly in theory.
  for (const t of d.theory) assert.ok(relErr(t.z_var, 2) < 1e-12, `theory layer ${t.layer}: ${t.z_var}`);
});

test('init-stats --hist-layer adds histograms whose counts sum to batch·width (50 bins by default)', () => {
  const { data: d } = json('init-stats', '--init', 'xavier_normal', '--depth', '5', '--width', '32', '--batch', '16', '--hist-layer', '3');
  assert.deepEqual(Object.keys(d).sort(), [...STATS_KEYS, 'hist'].sort());
  assert.deepEqual(Object.keys(d.hist).sort(), HIST_KEYS);
  assert.equal(d.hist.layer, 3);
  assert.equal(d.hist.bins, 50);
  for (const side of [d.hist.a, d.hist.grad_z]) {
    assert.deepEqual(Object.keys(side).sort(), HIST_SIDE_KEYS);
    assert.equal(side.counts.length, 50);
    assert.equal(side.counts.reduce((a, b) => a + b, 0), 16 * 32);
    assert.ok(side.lo < side.hi);
  }
  const { data: e } = json('init-stats', '--init', 'xavier_normal', '--depth', '5', '--width', '32', '--batch', '16', '--hist-layer', '5', '--bins', '7');
  assert.equal(e.hist.bins, 7);
  assert.equal(e.hist.a.counts.length, 7);
  assert.equal(e.hist.grad_z.counts.reduce((a, b) => a + b, 0), 16 * 32);
});

test('init-stats with a constant init has theory null and reports its value', () => {
  const { data: d } = json('init-stats', '--init', 'constant', '--value', '0.05', '--depth', '4', '--width', '16', '--batch', '8');
  assert.equal(d.theory, null);
  assert.equal(d.value, 0.05);
  assert.equal(d.gain, null);
  assert.equal(d.layers.length, 4);
});

test('init-stats writes non-finite numbers as "NaN"/"Infinity" strings, not null', () => {
  // σ = 1e30 overflows float32 by layer 2 (z ≈ 1e61 > 3.4e38) and the theory
  // (σ_w² = 8e60 per layer in float64) passes 1.8e308 by layer 6.
  const { text, data: d } = json('init-stats', '--init', 'normal', '--sigma', '1e30', '--act', 'linear', '--depth', '8', '--width', '8', '--batch', '4');
  assert.equal(d.sigma, 1e30);
  assert.equal(d.layers[3].z_var, 'NaN');
  assert.equal(d.theory[7].z_var, 'Infinity');
  // JSON.stringify would have written null; every statistic is a number or one of the three strings.
  for (const row of [...d.layers, ...d.theory]) {
    for (const [k, v] of Object.entries(row)) {
      assert.ok(typeof v === 'number' || ['NaN', 'Infinity', '-Infinity'].includes(v), `layer ${row.layer} ${k}: ${v}`);
    }
  }
  assert.match(text, /"z_var":"NaN"/);
});

test('init-stats prints one table row per layer without --json', () => {
  const r = gradlab('init-stats', '--init', 'xavier_normal', '--depth', '4', '--width', '16', '--batch', '8');
  assert.equal(r.code, 0, r.err);
  const rows = r.out.split('\n').filter((l) => /^\s*\d+\s/.test(l));
  assert.equal(rows.length, 4);
  assert.match(r.out, /layer\s+z_mean\s+z_var/);
  assert.match(r.out, /theory z_var/);
});

// ---- bad input: exit 2, one line on stderr, nothing on stdout -------------------

const BAD = [
  ['init-sample', '--fan-in', '3', '--fan-out', '3'], // missing --init
  ['init-sample', '--init', 'he', '--fan-in', '3', '--fan-out', '3'],
  ['init-sample', '--init', 'normal', '--fan-in', '0', '--fan-out', '3'],
  ['init-sample', '--init', 'normal', '--fan-in', 'abc', '--fan-out', '3'],
  ['init-sample', '--init', 'normal', '--fan-in', '65537', '--fan-out', '3'],
  ['init-sample', '--init', 'normal', '--fan-in', '65536', '--fan-out', '65536'], // the core's memory cap
  ['init-sample', '--init', 'normal', '--fan-in', '3'], // missing --fan-out
  ['init-sample', '--init', 'normal', '--fan-in', '3', '--fan-out', '3', '--sigma', '-1'],
  ['init-sample', '--init', 'kaiming_normal', '--fan-in', '3', '--fan-out', '3', '--gain', '0'],
  ['init-sample', '--init', 'kaiming_normal', '--fan-in', '3', '--fan-out', '3', '--gain', 'Infinity'],
  ['init-sample', '--init', 'normal', '--fan-in', '3', '--fan-out', '3', '--gain', '2'], // normal ignores gain
  ['init-sample', '--init', 'constant', '--fan-in', '3', '--fan-out', '3', '--value', 'NaN'],
  ['init-sample', '--init', 'normal', '--fan-in', '3', '--fan-out', '3', '--seed', '1.5'],
  ['init-sample', '--init', 'normal', '--fan-in', '3', '--fan-out', '3', '--bogus', '1'],
  ['init-stats'], // missing --init
  ['init-stats', '--init', 'he'],
  ['init-stats', '--init', 'normal', '--act', 'swish'],
  ['init-stats', '--init', 'normal', '--depth', '1001'],
  ['init-stats', '--init', 'normal', '--depth', '0'],
  ['init-stats', '--init', 'normal', '--width', '5000'],
  ['init-stats', '--init', 'normal', '--batch', '0'],
  ['init-stats', '--init', 'normal', '--batch', '4097'],
  ['init-stats', '--init', 'normal', '--depth', '10', '--hist-layer', '20'],
  ['init-stats', '--init', 'normal', '--hist-layer', '2', '--bins', '0'],
  ['init-stats', '--init', 'normal', '--hist-layer', '2', '--bins', '1001'],
  ['init-stats', '--init', 'normal', '--bins', '10'], // --bins without --hist-layer
  ['init-stats', '--init', 'normal', '--depth', '1000', '--width', '4096', '--batch', '4096'], // memory cap
  ['init-stats', '--init', 'normal', '--sigma', '-1'],
  ['init-stats', '--init', 'xavier_normal', '--gain', '0'],
  ['init-stats', '--init', 'normal', '--bogus'],
];

// Eight children at a time: fast, without a fork storm on a small machine.
test('every bad input exits 2 with one \'gradlab:\' line on stderr and nothing on stdout', { concurrency: 8 }, async (t) => {
  await Promise.all(BAD.map((args) => t.test(`gradlab ${args.join(' ')}`, async () => {
    const r = await gradlabAsync(...args, '--json');
    assert.equal(r.code, 2, `exit ${r.code}; stderr: ${r.err}`);
    assert.equal(r.out, '');
    assert.match(r.err, /^gradlab: [^\n]+\n$/);
  })));
});

test('the error messages say what is wrong', () => {
  assert.match(gradlab('init-stats', '--init', 'normal', '--depth', '10', '--hist-layer', '20').err, /hist-layer.*10.*20/);
  assert.match(gradlab('init-stats', '--init', 'normal', '--bins', '10').err, /--bins needs --hist-layer/);
  // past the work budget first (web/budget.js); the memory cap still holds with --allow-slow
  assert.match(gradlab('init-stats', '--init', 'normal', '--depth', '1000', '--width', '4096', '--batch', '4096').err, /work budget.*use --width <= \d+/);
  assert.match(gradlab('init-stats', '--init', 'normal', '--depth', '1000', '--width', '4096', '--batch', '4096', '--allow-slow').err, /MiB.*cap/);
  assert.match(gradlab('init-sample', '--init', 'normal', '--fan-in', '65536', '--fan-out', '65536', '--allow-slow').err, /MiB.*cap/);
  assert.match(gradlab('init-sample', '--fan-in', '3', '--fan-out', '3').err, /needs --init/);
  assert.match(gradlab('init-sample', '--init', 'normal', '--fan-in', '3', '--fan-out', '3', '--gain', '2').err, /--gain has no effect/);
});

test('--help lists the flags of init-sample and init-stats', () => {
  const a = gradlab('init-sample', '--help');
  assert.equal(a.code, 0);
  for (const f of ['--init', '--fan-in', '--fan-out', '--gain', '--sigma', '--value', '--seed', '--dtype']) assert.ok(a.out.includes(f), f);
  const b = gradlab('init-stats', '--help');
  assert.equal(b.code, 0);
  for (const f of ['--init', '--act', '--depth', '--width', '--batch', '--hist-layer', '--bins']) assert.ok(b.out.includes(f), f);
  assert.match(b.out, /constant theory is null/, 'the help says why constant has no theory');
});

// Issue 14, item 5: derived quantities are checked before any work, in the user's terms.
test('a scheme whose weights or variances cannot be finite is refused naming the parameter and its largest value', () => {
  const refused = (args, pattern) => {
    const r = gradlab(...args, '--json');
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.out.slice(0, 200)}`);
    assert.equal(r.out, '');
    assert.match(r.err, pattern);
    return Number(r.err.match(/<= (\S+)\n$/)[1]);
  };
  // U(−b, b) is drawn as −b + 2b·u: at σ = 1e308 every sample was +Infinity
  const sigma = refused(['init-sample', '--init', 'uniform', '--sigma', '1e308', '--dtype', 'float64', '--fan-in', '3', '--fan-out', '3'],
    /^gradlab: uniform with sigma = 1e\+308: the bound b of U\(-b, b\), drawn as -b \+ 2b\*u, would be more than 8\.988e\+307; use sigma <= \S+\n$/);
  const ok = json('init-sample', '--init', 'uniform', '--sigma', String(sigma), '--dtype', 'float64', '--fan-in', '3', '--fan-out', '3').data;
  assert.ok(Number.isFinite(ok.sample.min) && Number.isFinite(ok.sample.max) && Number.isFinite(ok.sample.mean), JSON.stringify(ok));
  refused(['init-sample', '--init', 'kaiming_uniform', '--gain', '1e308', '--dtype', 'float64', '--fan-in', '1', '--fan-out', '3'], /kaiming_uniform with gain = 1e\+308: .* use gain <= /);
  refused(['init-sample', '--init', 'uniform', '--sigma', '1e39', '--fan-in', '3', '--fan-out', '3'], /in float32 would be more than 3\.403e\+38; use sigma <= /);
  // σ = 1e154: width·σ² overflows; the whole MLP used to run, then fail in the theory
  const t0 = Date.now();
  const s154 = refused(['init-stats', '--init', 'normal', '--sigma', '1e154'], /normal with sigma = 1e\+154: width\*std\^2 \(the variance of z_1 for unit inputs\) would be more than 1\.798e\+308; use sigma <= /);
  assert.ok(Date.now() - t0 < 5000);
  const net = json('init-stats', '--init', 'normal', '--sigma', String(s154), '--dtype', 'float64', '--depth', '2').data;
  assert.equal(net.layers.length, 2);
});
