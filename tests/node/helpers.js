// helpers.js — shared by the Node test files.
import assert from 'node:assert/strict';
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
