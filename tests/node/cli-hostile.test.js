// cli-hostile.test.js — the CLI's contract under hostile input (issue 14, item 4):
// bad input is exit 2 with one line of at most 300 characters on stderr and
// nothing on stdout; accepted input runs as written (never silently coerced)
// and --json prints valid JSON.  First the cases the issue found, through a
// child process as a user runs them; then a generated table (every command ×
// every flag × hostile values) run in this process through main(), with the
// core loaded once so that it fits in seconds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../../lib/commands.js';
import { main } from '../../lib/cli.js';
import { LIMITS } from '../../web/core.js';
import { gradlab } from './helpers.js';

const LINE_MAX = 300;
const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

/** Why {code, out, err} breaks "exit 2, one stderr line ≤ 300 chars, nothing on stdout", or null. */
function refusalProblem(r) {
  if (r.code !== 2) return `exit ${r.code}`;
  if (r.out !== '') return 'stdout not empty';
  if (!r.err.endsWith('\n')) return 'stderr does not end with a newline';
  const lines = r.err.slice(0, -1).split('\n');
  if (lines.length !== 1) return `${lines.length} stderr lines`;
  if (!/^gradlab: \S/.test(lines[0])) return 'no "gradlab: " prefix';
  if (Array.from(lines[0]).length > LINE_MAX) return `stderr line of ${Array.from(lines[0]).length} characters`;
  if (/\bat [\w.<>]+ \(|\bat file:|node:internal/.test(lines[0])) return 'a stack trace';
  return null;
}
function assertRefused(r, pattern, what) {
  assert.equal(refusalProblem(r), null, `${what}: ${JSON.stringify(r).slice(0, 400)}`);
  if (pattern) assert.match(r.err, pattern, what);
}

// ---- prototype names are names like any other --------------------------------------

test('prototype names as commands (constructor, toString, __proto__, …) are unknown commands: exit 2', () => {
  for (const name of PROTOTYPE_NAMES) assertRefused(gradlab(name), new RegExp(`unknown command '${name}'`), name);
});

test('help for a prototype name (help constructor, --help toString) is an unknown command, not a stack trace', () => {
  for (const name of PROTOTYPE_NAMES) {
    assertRefused(gradlab('help', name), /unknown command/, `help ${name}`);
    assertRefused(gradlab('--help', name), /unknown command/, `--help ${name}`);
  }
  assertRefused(gradlab('help', 'bogus'), /unknown command 'bogus'/, 'help bogus');
});

test('prototype names as flags (--constructor 1) are unknown flags, never "given twice"', () => {
  for (const name of PROTOTYPE_NAMES) {
    for (const args of [[`--${name}`, '1'], [`--${name}=1`], [`--${name}`]]) {
      const r = gradlab('activation', ...args);
      assertRefused(r, new RegExp(`unknown flag --${name}`), args.join(' '));
      assert.doesNotMatch(r.err, /given twice/);
    }
  }
});

// ---- echoes are cut ---------------------------------------------------------------

test('a 100 KB value, flag or command is echoed cut to 80 characters with "…"', () => {
  const huge = 'x'.repeat(100000);
  for (const args of [[huge], ['activation', `--${huge}`, '1'], ['activation', '--fn', huge], ['activation', '--from', huge],
    ['matprod', '--n', huge], ['activation', huge], ['help', huge]]) {
    const r = gradlab(...args);
    const what = args.map((a) => a.slice(0, 12)).join(' ');
    assertRefused(r, /…/, what);
    assert.ok(r.err.includes(`${'x'.repeat(79)}…`), `${what}: the echo keeps 79 characters and "…"`);
    assert.ok(!r.err.includes('x'.repeat(80)), `${what}: and no more`);
  }
});

test('line breaks and bidi controls in a value are escaped: the error stays one line', () => {
  const r = gradlab('activation', '--fn', 'relu\nfake: line\u202e');
  assertRefused(r, /relu\\u000afake: line\\u202e/, 'newline');
});

// ---- no silent coercion -------------------------------------------------------------

test('integers past 2^53, fractions and underflows are refused, not rounded: exit 2', () => {
  assertRefused(gradlab('matprod', '--seed', '9007199254740993'), /--seed must be <= 9007199254740992, got 9007199254740993/, 'seed 2^53+1');
  assertRefused(gradlab('matprod', '--steps', '1e-400'), /--steps expects an integer, got '1e-400'/, 'steps 1e-400');
  assertRefused(gradlab('matprod', '--n', '4.0000000000000001'), /--n expects an integer, got '4.0000000000000001'/, 'n 4.0…01');
  assertRefused(gradlab('matprod', '--steps', '2.5'), /--steps expects an integer/, 'steps 2.5');
  assertRefused(gradlab('matprod', '--sigma', '1e-400'), /--sigma 1e-400 is too close to 0/, 'sigma 1e-400');
  assertRefused(gradlab('matprod', '--sigma', '4e-320'), /--sigma 4e-320 is too close to 0/, 'a subnormal sigma');
  assertRefused(gradlab('activation', '--step', '1e-400'), /--step 1e-400 is too close to 0/, 'step 1e-400');
  assertRefused(gradlab('activation', '--to', '1e400'), /--to 1e400 is beyond the largest number/, 'to 1e400');
  assertRefused(gradlab('matprod', '--n', '0x10'), /--n expects a number, got '0x10'/, 'hex');
  assertRefused(gradlab('matprod', '--n', 'e5'), /--n expects a number/, 'an exponent without a mantissa');
});

test('integers written exactly run as written: 2^53, 1e1, 4.0 and -0 (the integer 0)', () => {
  const run = (...args) => {
    const r = gradlab('matprod', '--steps', '3', ...args, '--json');
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out);
  };
  assert.equal(run('--seed', '9007199254740992').seed, 2 ** 53);
  assert.equal(gradlab('matprod', '--steps', '1e1', '--json').out.length > 0, true);
  assert.equal(JSON.parse(gradlab('matprod', '--steps', '1e1', '--json').out).steps, 10);
  assert.equal(run('--n', '4.0').n, 4);
  assert.ok(Object.is(run('--seed', '-0').seed, 0), 'seed -0 runs as seed 0');
  assert.equal(run('--sigma', '0.1').sigma, 0.1, 'ordinary rounding to the nearest double is not a coercion');
});

test('activation --from -1e308 --to 1e308 --step 1e308 has 2 points, -1e308 and 0', () => {
  const r = gradlab('activation', '--fn', 'linear', '--from', '-1e308', '--to', '1e308', '--step', '1e308', '--dtype', 'float64', '--json');
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(JSON.parse(r.out).x, [-1e308, 0]);
  assertRefused(gradlab('activation', '--from', '-1e308', '--to', '1e308', '--step', '1e-300'), /more than 1000000 points/, 'a count past DBL_MAX');
  assert.doesNotMatch(gradlab('activation', '--from', '-1e308', '--to', '1e308', '--step', '1e-300').err, /\binf\b/);
});

// ---- the generated table --------------------------------------------------------------

const HOSTILE = ['', ' ', 'NaN', 'Infinity', '-Infinity', '-0', '1e400', '-1e400', '1e-400', '4e-320', '0x10', '1_000',
  '4.0000000000000001', '9007199254740993', '9'.repeat(400), 'x'.repeat(100000), ...PROTOTYPE_NAMES.slice(0, 3),
  'σ', '١٢', '4\u202e', 'a\nb', '--', '-1', '\u0000'];

/** Small settings for each command, so that an accepted hostile value runs in milliseconds. */
const BASE = {
  activation: [],
  matprod: ['--steps', '10'],
  'init-sample': ['--init', 'normal', '--fan-in', '4', '--fan-out', '4'],
  'init-stats': ['--init', 'normal', '--depth', '2', '--width', '4', '--batch', '2'],
  train: ['--depth', '1', '--width', String(LIMITS.trainMinWidth), '--points', '8', '--steps', '2'],
};

/** BASE[cmd] without flag `name` (and its value). */
function without(args, name) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) i++; else out.push(args[i]);
  }
  return out;
}

let dir, cwd;
before(() => {
  cwd = process.cwd();
  dir = mkdtempSync(join(tmpdir(), 'gradlab-hostile-'));
  process.chdir(dir); // --dump-init VALUE writes a file named VALUE: here
});
after(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

test('every command × every flag × hostile values: exit 2 with one short line, or exit 0 with valid JSON', { timeout: 60000 }, async () => {
  assert.deepEqual(Object.keys(BASE).sort(), Object.keys(COMMANDS).sort(), 'BASE covers every command');
  const t0 = Date.now();
  const findings = [];
  let tried = 0, accepted = 0;
  const attempt = async (argv) => {
    let out = '', err = '';
    let code;
    try {
      code = await main(argv, { out: (s) => { out += s; }, err: (s) => { err += s; } });
    } catch (e) {
      findings.push({ argv, problem: `main threw ${e && e.name}: ${e && e.message}` });
      return;
    }
    tried++;
    const r = { code, out, err };
    if (code === 0) {
      accepted++;
      try {
        JSON.parse(out);
        if (err !== '') findings.push({ argv, problem: 'stderr on success' });
      } catch {
        findings.push({ argv, problem: 'exit 0 without valid JSON' });
      }
      return;
    }
    const problem = refusalProblem(r);
    if (problem) findings.push({ argv, problem, err: err.slice(0, 200) });
  };
  for (const [name, cmd] of Object.entries(COMMANDS)) {
    for (const flag of Object.keys(cmd.flags)) {
      const base = without(BASE[name], flag);
      for (const v of HOSTILE) {
        await attempt([name, ...base, `--${flag}`, v, '--json']);
        await attempt([name, ...base, `--${flag}=${v}`, '--json']);
      }
    }
    for (const p of PROTOTYPE_NAMES) {
      await attempt([name, ...BASE[name], `--${p}`, '1', '--json']);
      await attempt([name, ...BASE[name], `--${p}`, '--json']);
    }
  }
  for (const v of HOSTILE) {
    await attempt([v, '--json']);
    await attempt(['help', v]);
  }
  const seconds = (Date.now() - t0) / 1000;
  console.log(`# hostile CLI inputs: ${tried} tried, ${accepted} accepted (exit 0, valid JSON), ` +
    `${tried - accepted} refused (exit 2); ${findings.length} findings; ${seconds.toFixed(1)} s`);
  assert.deepEqual(findings.slice(0, 10), [], `${findings.length} findings`);
  assert.ok(tried > 2000, `${tried} inputs tried`);
  assert.ok(accepted > 10 && tried - accepted > 2000, 'both outcomes occur: the table is not vacuous');
});
