// helpers.js — shared by the Node test files.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CoreError } from '../../web/core.js';

/**
 * The debug build's UBSan/ASan write their reports through console.warn (the
 * glue's err(), bound when the core loads) or console.error, and UBSan
 * carries on: returns an array that collects them, so a test can fail on any.
 * Call it before loadCore().
 */
export function watchSanitizers() {
  const reports = [];
  for (const k of ['warn', 'error']) {
    const original = console[k];
    console[k] = (...args) => {
      const line = args.join(' ');
      if (/runtime error|Sanitizer/.test(line)) reports.push(line);
      original.apply(console, args);
    };
  }
  return reports;
}

/** Expects fn to throw a CoreError (with `status` and matching `pattern` when given); returns it. */
export function assertCoreError(fn, status, pattern) {
  let error;
  assert.throws(fn, (e) => {
    assert.ok(e instanceof CoreError, `expected CoreError, got ${e && e.name}: ${e && e.message}`);
    if (status !== undefined) assert.equal(e.status, status);
    assert.ok(e.message.trim().length > 0, 'empty message');
    if (pattern) assert.match(e.message, pattern);
    error = e;
    return true;
  });
  return error;
}

// ---- the CLI as a user runs it --------------------------------------------------

export const BIN = fileURLToPath(new URL('../../bin/gradlab.js', import.meta.url));
/** The child gets this run's GRADLAB_BUILD, so the CLI runs against the build under test. */
export const CLI_ENV = { ...process.env, GRADLAB_BUILD: process.env.GRADLAB_BUILD || 'release' };

/** Runs `node bin/gradlab.js ...args` in a child process; returns {code, out, err}. */
export function gradlab(...args) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: CLI_ENV, encoding: 'utf8', timeout: 60000 });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** gradlab(...args, '--json'), which must exit 0 with nothing on stderr; returns {text, data}. */
export function gradlabJson(...args) {
  const r = gradlab(...args, '--json');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  return { text: r.out, data: JSON.parse(r.out) };
}

/** gradlab() without blocking, so that several children can run side by side. */
export function gradlabAsync(...args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: CLI_ENV });
    let out = '', err = '';
    child.stdout.setEncoding('utf8').on('data', (x) => { out += x; });
    child.stderr.setEncoding('utf8').on('data', (x) => { err += x; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

// ---- PyTorch --------------------------------------------------------------------

/**
 * The python3 with torch (tests/torch/find-python.sh: $GRADLAB_PYTHON, else
 * python3 or /usr/bin/python3), or an Error saying why there is none: a test
 * that needs torch fails with it, never skips.
 */
export function findPython() {
  try {
    return execFileSync('bash', [fileURLToPath(new URL('../torch/find-python.sh', import.meta.url))], { encoding: 'utf8' }).trim();
  } catch (e) {
    return new Error(`no python3 with torch: ${String(e.stderr || e.message).trim()} ` +
      '(tests/run-all.sh installs python3-torch when root)');
  }
}
