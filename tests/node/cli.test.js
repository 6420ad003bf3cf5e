// cli.test.js — bin/gradlab.js as a user runs it: output formats, help, exit
// codes and one-line errors; plus web/format.js's JSON for non-finite numbers.
// The child inherits GRADLAB_BUILD, so the CLI runs against the same build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shortestFloat32, toJSON } from '../../web/format.js';
import { spawnSync } from 'node:child_process';
import { BIN, CLI_ENV, gradlab } from './helpers.js';

/** Asserts the run succeeded with nothing on stderr; returns stdout. */
function ok(r) {
  assert.equal(r.err, '', 'stderr');
  assert.equal(r.code, 0, 'exit status');
  return r.out;
}

// ---- the activation command ------------------------------------------------

test('activation --json prints one JSON object: fn, dtype, x, y, grad over 160 points', () => {
  const out = ok(gradlab('activation', '--json'));
  assert.equal(out.trimEnd().split('\n').length, 1, 'one line');
  const r = JSON.parse(out);
  assert.deepEqual(Object.keys(r), ['fn', 'dtype', 'x', 'y', 'grad']);
  assert.equal(r.fn, 'sigmoid');
  assert.equal(r.dtype, 'float32');
  for (const k of ['x', 'y', 'grad']) assert.equal(r[k].length, 160, k);
  assert.equal(r.x[0], -8);
  // float32 numbers are printed as the shortest decimal that reads back as the
  // same float32 (as PyTorch prints them): −7.9, not −7.900000095367432.
  assert.equal(r.x[1], -7.9);
  assert.ok(out.includes('-7.9,'));
  assert.ok(!out.includes('7.900000095367432'));
  for (let i = 0; i < 160; i++) assert.equal(Math.fround(r.x[i]), Math.fround(-8 + i * 0.1), `x[${i}]`);
  assert.equal(Math.max(...r.grad), 0.25);
  assert.equal(r.grad.indexOf(0.25), 80);
  assert.equal(r.x[80], 0);
});

test('activation --dtype float64 --json prints the float64 curve', () => {
  const r = JSON.parse(ok(gradlab('activation', '--dtype', 'float64', '--fn', 'tanh', '--json')));
  assert.equal(r.dtype, 'float64');
  assert.equal(r.fn, 'tanh');
  for (let i = 0; i < 160; i++) assert.equal(r.x[i], -8 + i * 0.1, `x[${i}]`);
  assert.equal(r.grad[80], 1);
  // float64 values keep all their digits: tanh(x) to double precision.
  for (let i = 0; i < 160; i += 7) assert.ok(Math.abs(r.y[i] - Math.tanh(r.x[i])) <= 1e-15, `y[${i}]`);
});

test('flags take --name value and --name=value alike', () => {
  const a = JSON.parse(ok(gradlab('activation', '--fn', 'relu', '--from', '-1', '--to', '1', '--step', '0.5', '--json')));
  const b = JSON.parse(ok(gradlab('activation', '--fn=relu', '--from=-1', '--to=1', '--step=0.5', '--json')));
  assert.deepEqual(a, b);
  assert.deepEqual(a.x, [-1, -0.5, 0, 0.5]);
  assert.deepEqual(a.grad, [0, 0, 0, 1], "relu'(0) = 0");
});

test('activation prints a table: a header line, a column header and one row per point', () => {
  const out = ok(gradlab('activation'));
  const lines = out.trimEnd().split('\n');
  assert.ok(lines.length >= 161, `${lines.length} lines`);
  assert.equal(lines.length, 162);
  assert.match(lines[0], /sigmoid.*float32.*160 points/);
  assert.deepEqual(lines[1].trim().split(/\s+/), ['x', 'y', 'grad']);
  assert.deepEqual(lines[2].trim().split(/\s+/).map(Number).slice(0, 1), [-8]);
  assert.equal(Number(lines[3].trim().split(/\s+/)[0]), -7.9);
  assert.equal(Number(lines[2 + 80].trim().split(/\s+/)[2]), 0.25);
  for (const line of lines.slice(2)) assert.equal(line.trim().split(/\s+/).length, 3, line);
});

test('--help and activation --help exit 0 and describe the flags', () => {
  const top = ok(gradlab('--help'));
  assert.match(top, /activation/);
  assert.match(top, /--json/);
  const act = ok(gradlab('activation', '--help'));
  for (const flag of ['--fn', '--from', '--to', '--step', '--dtype', '--json']) assert.ok(act.includes(flag), flag);
  for (const fn of ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'gelu', 'linear']) assert.ok(act.includes(fn), fn);
  assert.equal(ok(gradlab('help', 'activation')), act);
});

// ---- bad input: exit 2, one line on stderr, nothing on stdout ---------------

const BAD = {
  'an unknown command': [['bogus'], /unknown command 'bogus'/],
  'an unknown flag': [['activation', '--bogus', '1'], /unknown flag --bogus/],
  'a flag without its value (at the end)': [['activation', '--from'], /--from needs a value/],
  'a flag without its value (another flag follows)': [['activation', '--from', '--to', '3'], /--from needs a value/],
  'a non-numeric value': [['activation', '--from', 'abc'], /--from expects a number/],
  'a non-numeric value after =': [['activation', '--step=1x'], /--step expects a number/],
  'a non-finite value': [['activation', '--to', 'Infinity'], /--to must be finite/],
  'step 0': [['activation', '--step', '0'], /step must not be zero/],
  'more than 1,000,000 points': [['activation', '--from', '0', '--to', '2000000', '--step', '1'], /more than 1000000/],
  'a step of the wrong sign': [['activation', '--step', '-0.1'], /wrong sign/],
  'from = to': [['activation', '--from', '1', '--to', '1'], /empty/],
  'an unknown activation': [['activation', '--fn', 'bogus'], /--fn must be one of sigmoid, tanh/],
  'an unknown dtype': [['activation', '--dtype', 'float16'], /--dtype must be one of float32, float64/],
  'a duplicated flag': [['activation', '--fn', 'relu', '--fn', 'tanh'], /--fn given twice/],
  'a stray argument': [['activation', 'relu'], /unexpected argument 'relu'/],
};

for (const [what, [args, message]] of Object.entries(BAD)) {
  test(`${what} exits 2 with one 'gradlab:' line on stderr and nothing on stdout`, () => {
    const r = gradlab(...args);
    assert.equal(r.code, 2, `exit status for ${args.join(' ')}`);
    assert.equal(r.out, '');
    assert.ok(r.err.endsWith('\n'), 'stderr ends with a newline');
    const lines = r.err.slice(0, -1).split('\n');
    assert.equal(lines.length, 1, `stderr: ${JSON.stringify(r.err)}`);
    assert.match(lines[0], /^gradlab: \S/);
    assert.doesNotMatch(lines[0], /\bat [\w.<>]+ \(|\bat file:|node:internal/, 'no stack trace');
    assert.match(lines[0], message);
  });
}

// ---- non-finite numbers in JSON --------------------------------------------

test('float32 x beyond FLT_MAX becomes Infinity, and the JSON says "Infinity"', () => {
  // arange(1e38, 3.5e38, 5e37): (3.5e38 − 1e38)/5e37 is 5.000000000000001 in
  // double, so torch.arange's ceil gives 6 points, the last 1e38 + 5·5e37 =
  // 3.5e38.  That is above FLT_MAX ≈ 3.4028e38 by more than half an ulp, so
  // float32 rounds it to +Infinity.
  const out = ok(gradlab('activation', '--fn', 'linear', '--from', '1e38', '--to', '3.5e38', '--step', '5e37', '--json'));
  assert.ok(!/\bnull\b/.test(out), 'no null in the JSON');
  const r = JSON.parse(out);
  assert.deepEqual(r.x, [1e38, 1.5e38, 2e38, 2.5e38, 3e38, 'Infinity']);
  assert.deepEqual(r.y, [1e38, 1.5e38, 2e38, 2.5e38, 3e38, 'Infinity']);
  assert.deepEqual(r.grad, [1, 1, 1, 1, 1, 1]);
  // With --to 3.4e38 the points stop at 3e38: all finite.
  const finite = JSON.parse(ok(gradlab('activation', '--fn', 'linear', '--from', '1e38', '--to', '3.4e38', '--step', '5e37', '--json')));
  assert.deepEqual(finite.x, [1e38, 1.5e38, 2e38, 2.5e38, 3e38]);
  // In float64 the same 6 points are finite.
  const f64 = JSON.parse(ok(gradlab('activation', '--fn', 'linear', '--from', '1e38', '--to', '3.5e38', '--step', '5e37', '--dtype', 'float64', '--json')));
  assert.equal(f64.x.length, 6);
  assert.ok(f64.x.every(Number.isFinite));
});

test('gelu at float32 −Infinity gives NaN (−∞·0, as PyTorch), encoded as "-Infinity" and "NaN"', () => {
  const out = ok(gradlab('activation', '--fn', 'gelu', '--from', '-4e38', '--to', '-3e38', '--step', '5e37', '--json'));
  const r = JSON.parse(out);
  assert.deepEqual(r.x, ['-Infinity', '-Infinity']);
  assert.deepEqual(r.y, ['NaN', 'NaN']);
  assert.deepEqual(r.grad, ['NaN', 'NaN']);
});

// ---- web/format.js ------------------------------------------------------------

test('toJSON writes NaN, Infinity and −Infinity as strings, in typed arrays and nested objects', () => {
  const value = {
    a: NaN,
    b: [1, Infinity, -Infinity, -0.5],
    f32: Float32Array.of(1.5, NaN, Infinity, -Infinity),
    f64: Float64Array.of(-Infinity, 0.1, NaN),
    i32: Int32Array.of(-1, 2),
    nested: { deep: [{ c: -Infinity, d: Float64Array.of(Infinity) }], s: 'NaN is a string here', n: null, t: true },
  };
  const s = toJSON(value);
  assert.doesNotMatch(s, /\bnull\b(?!,"t")/, 'no non-finite number became null');
  assert.deepEqual(JSON.parse(s), {
    a: 'NaN',
    b: [1, 'Infinity', '-Infinity', -0.5],
    f32: [1.5, 'NaN', 'Infinity', '-Infinity'],
    f64: ['-Infinity', 0.1, 'NaN'],
    i32: [-1, 2],
    nested: { deep: [{ c: '-Infinity', d: ['Infinity'] }], s: 'NaN is a string here', n: null, t: true },
  });
  assert.equal(toJSON(NaN), '"NaN"');
  assert.equal(toJSON([Infinity]), '["Infinity"]');
  assert.equal(toJSON({ x: 1 }), '{"x":1}');
});

test('shortestFloat32 gives the shortest decimal that reads back as the same float32', () => {
  assert.equal(shortestFloat32(Math.fround(0.1)), 0.1);
  assert.equal(shortestFloat32(Math.fround(-7.9)), -7.9);
  assert.equal(shortestFloat32(Math.fround(1 / 3)), 0.33333334);
  assert.equal(shortestFloat32(16777216), 16777216);
  assert.equal(shortestFloat32(Math.fround(3.4028234663852886e38)), 3.4028235e38);
  assert.ok(Number.isNaN(shortestFloat32(NaN)));
  assert.equal(shortestFloat32(-Infinity), -Infinity);
  // Round trip on every point of the default curve, and on random float32s.
  const values = Float32Array.from({ length: 2000 }, (_, i) => (i < 160 ? -8 + i * 0.1 : Math.sin(i) * 10 ** ((i % 40) - 20)));
  for (const v of values) {
    const s = shortestFloat32(v);
    assert.equal(Math.fround(s), v, `${v} → ${s}`);
    // Shortest: one digit fewer no longer round-trips.
    const digits = String(s).replace(/^-|e.*$|\./g, '').replace(/^0+|0+$/g, '').length;
    if (digits > 1) assert.notEqual(Math.fround(Number(v.toPrecision(digits - 1))), v, `${s} is not shortest`);
  }
});

test('the debug build keeps stdout for the output: --json that grows the heap still parses (its "Heap resize call" lines go to stderr)', () => {
  // the debug glue (ASSERTIONS=2) reports each heap growth; 64 Mi samples grow it twice
  const r = spawnSync(process.execPath, [BIN, 'init-sample', '--init', 'normal', '--fan-in', '65536', '--fan-out', '1024', '--json'],
    { env: { ...CLI_ENV, GRADLAB_BUILD: 'debug' }, encoding: 'utf8', timeout: 120000, maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotThrow(() => JSON.parse(r.stdout), `stdout starts: ${r.stdout.slice(0, 120)}`);
  assert.ok(!r.stdout.includes('Heap resize'));
});

test('--allow-slow past the budget runs in a worker thread and prints progress every second; $GRADLAB_WORK_BUDGET sets the budget', () => {
  // a budget of 1e9 flops makes a ~3–5 s matprod a run past it (release core: the progress is the CLI's, not the build's)
  const env = { ...CLI_ENV, GRADLAB_BUILD: 'release', GRADLAB_WORK_BUDGET: '1e9' };
  const args = [BIN, 'matprod', '--n', '64', '--steps', '10000', '--trials', '2'];
  const refused = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 60000 });
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /^gradlab: this run needs .* past the work budget of 1e\+9 .*: use --n <= 12, or --allow-slow\n$/);
  const r = spawnSync(process.execPath, [...args, '--allow-slow', '--json'], { env, encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.trials, 2);
  const lines = r.stderr.trimEnd().split('\n');
  assert.match(lines[0], /^gradlab: ~5\.3e\+10 flops, about [\d.]+ s here \(--allow-slow\)…$/);
  const ticks = lines.slice(1).map((l) => Number(/^gradlab: running… (\d+) s of about [\d.]+ s estimated$/.exec(l)?.[1]));
  assert.ok(ticks.length >= 2 && ticks.every(Number.isFinite), r.stderr);
  assert.deepEqual(ticks, [...ticks].sort((a, b) => a - b), 'the seconds only rise');
  const bad = spawnSync(process.execPath, [BIN, 'matprod'], { env: { ...env, GRADLAB_WORK_BUDGET: '-1' }, encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /GRADLAB_WORK_BUDGET must be a positive number/);
});
