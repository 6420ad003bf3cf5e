// `gradlab matprod` as a user runs it: a child process, JSON and table output,
// non-finite numbers as strings, and one-line errors with exit code 2.
// The child inherits GRADLAB_BUILD, so this runs against release and debug.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradlab as cli, gradlabJson } from './helpers.js';
import { torchTensor } from '../../web/torchprint.js';

const gradlab = (...args) => cli('matprod', ...args);
const json = (...args) => gradlabJson('matprod', ...args);

const KEYS = ['n', 'steps', 'sigma', 'dtype', 'ensemble', 'seed', 'trials', 'norms', 'matrix', 'first_matrix',
  'mean_log_norms', 'overflow_step', 'theory'].sort();
const THEORY_KEYS = ['log_growth_per_step', 'log_rms_growth_per_step', 'critical_sigma'].sort();

test('matprod --json has exactly the documented keys and the defaults n 4, steps 100, σ 1, float32, gaussian, seed 0, 1 trial', () => {
  const { data: d } = json();
  assert.deepEqual(Object.keys(d).sort(), KEYS);
  assert.deepEqual(Object.keys(d.theory).sort(), THEORY_KEYS);
  assert.equal(d.n, 4);
  assert.equal(d.steps, 100);
  assert.equal(d.sigma, 1);
  assert.equal(d.dtype, 'float32');
  assert.equal(d.ensemble, 'gaussian');
  assert.equal(d.seed, 0);
  assert.equal(d.trials, 1);
  assert.equal(d.norms.length, 101);
  assert.equal(d.mean_log_norms.length, 101);
  assert.equal(d.overflow_step, null);
  for (const m of [d.matrix, d.first_matrix]) {
    assert.equal(m.length, 4);
    for (const row of m) assert.ok(row.length === 4 && row.every(Number.isFinite));
  }
  // d2l: the product of 100 such matrices has entries of order 1e25.
  assert.ok(d.norms[100] > 1e24 && d.norms[100] < 1e27, `‖M_100‖ = ${d.norms[100]}`);
  // norms[100] is the Frobenius norm of `matrix`; the JSON prints float32
  // entries as their shortest round-tripping decimals (≤ 2^-24 relative each).
  const frob = Math.sqrt(d.matrix.flat().reduce((s, x) => s + x * x, 0));
  assert.ok(Math.abs(frob / d.norms[100] - 1) < 1e-6);
  const frob0 = Math.sqrt(d.first_matrix.flat().reduce((s, x) => s + x * x, 0));
  assert.ok(Math.abs(frob0 / d.norms[0] - 1) < 1e-6);
  // Theory for n = 4, σ = 1: ½(ln 2 + ψ(2)), ½ ln 4, exp(−typical).
  const typical = 0.5 * (Math.log(2) + 1 - 0.5772156649015329);
  assert.ok(Math.abs(d.theory.log_growth_per_step - typical) < 1e-14);
  assert.ok(Math.abs(d.theory.log_rms_growth_per_step - Math.log(2)) < 1e-14);
  assert.ok(Math.abs(d.theory.critical_sigma - Math.exp(-typical)) < 1e-14);
  // With one trial the ensemble is trial 1, i.e. this trajectory in float64:
  // float32 rounding over 100 steps changes ln-norms by far less than 1e-3.
  assert.ok(Math.abs(d.mean_log_norms[100] - Math.log(d.norms[100])) < 1e-3);
});

test('matprod --steps 300 overflows float32: an integer overflow_step and non-finite values written as "Infinity"/"NaN" strings', () => {
  const { text, data: d } = json('--steps', '300');
  assert.ok(Number.isInteger(d.overflow_step), `overflow_step ${d.overflow_step}`);
  assert.ok(d.overflow_step > 0 && d.overflow_step <= 300);
  assert.equal(d.norms.length, 301);
  const before = d.norms[d.overflow_step - 1];
  assert.ok(typeof before === 'number' && before > 1e30, `the norm just before overflow is finite and huge: ${before}`);
  assert.ok(['Infinity', 'NaN'].includes(d.norms[d.overflow_step]), `norms[ov] = ${d.norms[d.overflow_step]}`);
  assert.ok(d.norms.includes('Infinity') || d.norms.includes('NaN'));
  assert.ok(d.matrix.flat().some((v) => v === 'Infinity' || v === 'NaN' || v === '-Infinity'));
  // No bare non-finite tokens: every NaN/Infinity in the text is quoted.
  assert.doesNotMatch(text.replace(/"(-?Infinity|NaN)"/g, ''), /NaN|Infinity/);
  // The float64 ensemble renormalises, so its mean ln-norm stays finite.
  assert.ok(d.mean_log_norms.every(Number.isFinite));
});

test('matprod --trials 50 gives a mean ln-norm of length K+1 that differs from ln(norms)', () => {
  const { data: d } = json('--trials', '50', '--steps', '40');
  assert.equal(d.trials, 50);
  assert.equal(d.mean_log_norms.length, 41);
  assert.ok(d.mean_log_norms.every(Number.isFinite));
  const lnNorms = d.norms.map(Math.log);
  // The 50-trial mean differs from the single trajectory by O(0.4·sqrt(k)).
  const maxDiff = Math.max(...d.mean_log_norms.map((v, k) => Math.abs(v - lnNorms[k])));
  assert.ok(maxDiff > 1e-3, `mean_log_norms equals ln(norms) (max diff ${maxDiff})`);
  // …while its value at k = 40 is close to 40·typical + ln‖M_0‖ (≈ 22.3 + 1.4): a loose sanity window.
  assert.ok(d.mean_log_norms[40] > 15 && d.mean_log_norms[40] < 32, `mean at 40: ${d.mean_log_norms[40]}`);
});

test('matprod --ensemble orthogonal --dtype float64 keeps every norm equal to norms[0] within 1e-12', () => {
  const { data: d } = json('--ensemble', 'orthogonal', '--dtype', 'float64');
  assert.equal(d.ensemble, 'orthogonal');
  assert.equal(d.dtype, 'float64');
  assert.equal(d.overflow_step, null);
  assert.ok(Math.abs(d.norms[0] - 2) < 1e-13, 'an orthogonal 4×4 has Frobenius norm 2');
  for (const v of d.norms) assert.ok(Math.abs(v / d.norms[0] - 1) < 1e-12, `norm ${v}`);
  assert.equal(d.theory.log_growth_per_step, 0);
  assert.equal(d.theory.critical_sigma, 1);
});

test('matprod --seed 7 changes the trajectory; repeating it reproduces the output byte for byte', () => {
  const a = json('--seed', '7', '--steps', '20');
  const b = json('--seed', '7', '--steps', '20');
  const c = json('--steps', '20');
  assert.equal(a.text, b.text);
  assert.notDeepEqual(a.data.norms, c.data.norms);
  assert.equal(a.data.seed, 7);
});

test('matprod without --json prints a table with a header and exits 0', () => {
  const r = gradlab();
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  const lines = r.out.trimEnd().split('\n');
  assert.match(lines[0], /^# product of 100 random 4x4 matrices \(gaussian, sigma 1, float32, seed 0\)$/);
  assert.match(r.out, /^# theory, ln norm per step: typical 0\.557966 \(in the long run\), rms 0\.693147; critical sigma 0\.572372$/m);
  assert.match(r.out, /^# overflow step: none$/m);
  assert.match(r.out, /^\s*k\s+norm\s+mean ln norm \(1 trials\)$/m);
  // The last row prints the norm as PyTorch would (1.2345e+25); its size is
  // the typical growth 100 × 0.558 ≈ e^56 ≈ 1e24, give or take the random
  // walk's ±4σ (σ ≈ 0.5·√100 = 5 in ln): between 1e15 and 1e33.
  const last = r.out.match(/^\s*100\s+(\d\.\d{4}e\+\d{2})\s/m);
  assert.ok(last, 'the last row shows the norm in PyTorch\'s scientific format');
  assert.ok(Number(last[1]) > 1e15 && Number(last[1]) < 1e33, `norm ${last[1]}`);
  assert.match(r.out, /^# M_100:$/m);
});

// web/torchprint.js itself is held to torch's own output in torchprint.test.js.
for (const args of [[], ['--dtype', 'float64', '--sigma', '0.5', '--steps', '3'], ['--n', '40', '--steps', '2'], ['--steps', '300']]) {
  test(`matprod ${args.join(' ') || '(defaults)'} prints M_K as torch's print(M) of the --json matrix (fixed/scientific, dtype, summary)`, () => {
    const r = gradlab(...args);
    assert.equal(r.code, 0, r.err);
    const { data } = json(...args);
    const exact = data.dtype === 'float32' ? Math.fround : Number; // "NaN", "Infinity" read back too
    const want = torchTensor(data.matrix.flat().map(exact), [data.n, data.n], data.dtype);
    assert.ok(r.out.endsWith(`# M_${data.steps}:\n${want}\n`), r.out.slice(-400));
  });
}

test('the table marks the overflow step when float32 overflows', () => {
  const r = gradlab('--steps', '300');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^# overflow step: \d+$/m);
  assert.match(r.out, /\b(inf|nan)\b/);
});

const BAD = [
  ['--n', '0'], ['--n', '65'], ['--steps', '10001'], ['--trials', '100001'], ['--sigma', '0'], ['--sigma', '-1'],
  ['--sigma', 'inf'], ['--sigma', 'NaN'], ['--seed', '-1'], ['--seed', '2.5'], ['--dtype', 'float16'],
  ['--ensemble', 'foo'], ['--bogus', '1'], ['--n'], ['--n', 'abc'], ['--n', '4', '--n', '5'], ['stray'],
];
for (const args of BAD) {
  test(`matprod ${args.join(' ')} exits 2 with one 'gradlab:' line on stderr and nothing on stdout`, () => {
    const r = gradlab(...args, '--json');
    assert.equal(r.code, 2, `exit ${r.code}; stderr: ${r.err}`);
    assert.equal(r.out, '');
    assert.match(r.err, /^gradlab: [^\n]+\n$/, `stderr: ${JSON.stringify(r.err)}`);
  });
}

test('an error message names the flag and the value', () => {
  assert.match(gradlab('--n', '65').err, /--n.*65/);
  assert.match(gradlab('--ensemble', 'foo').err, /--ensemble.*gaussian, orthogonal.*'foo'/);
  assert.match(gradlab('--bogus', '1').err, /unknown flag --bogus/);
});

test('matprod --help lists every flag and exits 0', () => {
  const r = gradlab('--help');
  assert.equal(r.code, 0);
  for (const f of ['--n', '--steps', '--sigma', '--seed', '--dtype', '--ensemble', '--trials', '--json']) {
    assert.ok(r.out.includes(f), `help mentions ${f}`);
  }
});
