// state.js — the page state: a plain object described by a schema, which
// round-trips through the URL query.  Every value from outside (URL, a typed
// number) goes through coerce(): out of range is clamped, invalid is reset to
// the default, and either way the caller gets a notice to show.
//
// A schema maps a key to a spec:
//   {type: 'enum', values: [...], default}
//   {type: 'int' | 'float', min, max, default}
//   {type: 'bool', default}
//   {type: 'string', pattern: RegExp, maxLength, default}   (a value the
//     pattern matches whole; the learner's answers to a lesson's questions)

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Coerces a raw string/number to the spec: {value, problem: null|'clamped'|'invalid'}. */
export function coerce(spec, raw) {
  if (spec.type === 'enum') {
    return spec.values.includes(raw) ? { value: raw, problem: null } : { value: spec.default, problem: 'invalid' };
  }
  if (spec.type === 'string') {
    const ok = typeof raw === 'string' && raw.length <= spec.maxLength && (raw === spec.default || spec.pattern.test(raw));
    return ok ? { value: raw, problem: null } : { value: spec.default, problem: 'invalid' };
  }
  if (spec.type === 'bool') {
    if (raw === true || raw === '1' || raw === 'true') return { value: true, problem: null };
    if (raw === false || raw === '0' || raw === 'false') return { value: false, problem: null };
    return { value: spec.default, problem: 'invalid' };
  }
  const s = typeof raw === 'string' ? raw.trim() : raw;
  // decimal notation only: Number() would also take '0x10', '0b1', '0o7'
  const v = typeof s === 'number' ? s : DECIMAL.test(s) ? Number(s) : NaN;
  if (!Number.isFinite(v)) return { value: spec.default, problem: 'invalid' };
  let value = spec.type === 'int' ? Math.round(v) : v;
  let problem = value !== v ? 'clamped' : null;
  if (value < spec.min) { value = spec.min; problem = 'clamped'; }
  if (value > spec.max) { value = spec.max; problem = 'clamped'; }
  return { value, problem };
}

/** The default state of a schema. */
export function defaults(schema) {
  return Object.fromEntries(Object.entries(schema).map(([k, s]) => [k, s.default]));
}

/** The longest value read from a link: no valid one comes near it (the
 *  longest are the answers of a lesson's questions), and a longer one is
 *  refused unread, so a hostile link costs no time. */
export const MAX_VALUE = 1024;

/** A value as a notice shows it: at most n characters, cut with '…'. */
export function echo(raw, n = 40) {
  const s = String(raw);
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/**
 * Reads the state from a query string: {state, notices}.  Unknown keys are
 * ignored; each invalid or out-of-range value yields {key, raw (cut by echo),
 * used, problem}; a value longer than MAX_VALUE is invalid unread.
 */
export function parseQuery(schema, search) {
  const params = new URLSearchParams(search);
  const state = defaults(schema);
  const notices = [];
  for (const [key, spec] of Object.entries(schema)) {
    if (!params.has(key)) continue;
    const raw = params.get(key);
    const { value, problem } = raw.length > MAX_VALUE ? { value: spec.default, problem: 'invalid' } : coerce(spec, raw);
    state[key] = value;
    if (problem) notices.push({ key, raw: echo(raw), used: value, problem });
  }
  return { state, notices };
}

/** The query string (without '?') that reproduces state. */
export function toQuery(schema, state) {
  const params = new URLSearchParams();
  for (const key of Object.keys(schema)) {
    const v = state[key];
    params.set(key, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  return params.toString();
}
