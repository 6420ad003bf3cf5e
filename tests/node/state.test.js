// state.test.js — values from a link or a typed box: decimal numbers only,
// clamped or reset with a notice, and a hostile (long) value refused unread
// and echoed cut.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coerce, echo, MAX_VALUE, parseQuery } from '../../web/state.js';

const INT = { type: 'int', min: 1, max: 100, default: 10 };
const FLOAT = { type: 'float', min: -1, max: 1e3, default: 0.5 };

test('decimal notation is read, with exponent, sign, spaces and a leading or trailing point', () => {
  for (const [raw, v] of [['16', 16], [' 16 ', 16], ['1e1', 10], ['+7', 7], ['16.', 16]]) {
    assert.deepEqual(coerce(INT, raw), { value: v, problem: null }, raw);
  }
  for (const [raw, v] of [['.5', 0.5], ['-0.25', -0.25], ['2.5E2', 250], ['1e-3', 0.001]]) {
    assert.deepEqual(coerce(FLOAT, raw), { value: v, problem: null }, raw);
  }
});

test('hex, binary, octal, Infinity and empty values are invalid, not silently read (?v_depth=0x10 is not 16)', () => {
  for (const raw of ['0x10', '0b101', '0o17', 'Infinity', '-Infinity', 'NaN', '', '  ', '1e', '1,5', '١٢']) {
    assert.deepEqual(coerce(INT, raw), { value: INT.default, problem: 'invalid' }, JSON.stringify(raw));
  }
});

test('out of range and fractional ints are clamped with a notice', () => {
  assert.deepEqual(coerce(INT, '1000'), { value: 100, problem: 'clamped' });
  assert.deepEqual(coerce(INT, '2.5'), { value: 3, problem: 'clamped' });
  assert.deepEqual(coerce(FLOAT, '-5'), { value: -1, problem: 'clamped' });
});

test('a value longer than MAX_VALUE is refused unread and its notice echoes at most 40 characters', () => {
  const schema = { depth: INT, name: { type: 'string', pattern: /[a-z0-9-]*/, maxLength: 4096, default: '' } };
  const long = '1'.repeat(2_000_000);
  const { state, notices } = parseQuery(schema, `depth=${long}&name=${'a'.repeat(MAX_VALUE + 1)}`);
  assert.deepEqual(state, { depth: 10, name: '' });
  assert.equal(notices.length, 2);
  for (const n of notices) {
    assert.equal(n.problem, 'invalid');
    assert.ok(n.raw.length <= 41 && n.raw.endsWith('…'), n.raw.slice(0, 60));
  }
  // at the bound, the value is read as usual
  assert.equal(parseQuery(schema, `name=${'a'.repeat(MAX_VALUE)}`).state.name.length, MAX_VALUE);
});

test('echo keeps short values whole', () => {
  assert.equal(echo('abc'), 'abc');
  assert.equal(echo('x'.repeat(40)), 'x'.repeat(40));
  assert.equal(echo('x'.repeat(41)), `${'x'.repeat(40)}…`);
});
