// cli.js — the command-line interface: flag parsing, validation, output.
// Each command is a spec (its flags with types, defaults and limits) plus a
// run(core, opts) that returns a plain object and a table(result) for humans.
// The numbers come from the wasm core (lib/node-core.js → web/core.js).
import { loadCore } from './node-core.js';
import { ACTIVATIONS, CoreError, DTYPES, ENSEMBLES, INITS } from '../web/core.js';
import { COMMANDS } from './commands.js';
import { toJSON } from '../web/format.js';
import { WORK_BUDGET, nearestWithin, seconds } from '../web/budget.js';

export class UsageError extends Error {}

/** The most of a user's input an error line echoes (characters, "…" included). */
export const ECHO_MAX = 80;
/** The most an error line may hold: `gradlab: ` and the message (docs/cli.md). */
export const ERROR_LINE_MAX = 300;

/**
 * A user's text as an error line may echo it: control, line and bidi
 * characters escaped (the line stays one line and reads as written), cut to
 * `max` characters with "…".
 */
export function shown(text, max = ECHO_MAX) {
  const s = String(text).replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const chars = Array.from(s); // code points: a cut never splits a surrogate pair
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
}

/** Whether `name` is one of COMMANDS' own keys (not 'constructor', '__proto__', …). */
const isCommand = (name) => Object.hasOwn(COMMANDS, name);

/** A number as the user may write it: decimal, optional fraction and exponent. */
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const SMALLEST_NORMAL = 2.2250738585072014e-308;

/**
 * The exact value of a DECIMAL text as a BigInt, or null when the text is not
 * an integer (4.0000000000000001) or has more than 400 digits of magnitude.
 */
function exactInteger(text) {
  const [, sign, whole, frac = '', exp = '0'] = DECIMAL.exec(text);
  let digits = (whole + frac).replace(/^0+/, '');
  if (digits === '') return 0n;
  let e = Number(exp) - frac.length;
  const zeros = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - zeros);
  e += zeros;
  if (e < 0 || digits.length + e > 400) return null;
  return BigInt(sign + digits) * 10n ** BigInt(e);
}

/**
 * Parses one flag value according to its spec; throws UsageError.  A value is
 * taken only as written: an integer flag refuses a fraction and an integer a
 * double cannot hold exactly (past 2^53); a number flag refuses a value that
 * would turn into 0, a subnormal or ±Infinity on parsing (1e-400, 1e400).
 */
export function parseValue(name, spec, raw) {
  if (raw === undefined) throw new UsageError(`--${name} needs a value`);
  if (spec.type === 'string') {
    if (raw === '') throw new UsageError(`--${name} needs a non-empty value`);
    return raw;
  }
  if (spec.type === 'enum') {
    if (!spec.values.includes(raw)) {
      throw new UsageError(`--${name} must be one of ${spec.values.join(', ')}; got '${shown(raw)}'`);
    }
    return raw;
  }
  const text = raw.trim();
  const literal = /^[+-]?Infinity$|^NaN$/.test(text);
  const mantissa = text.replace(/[eE].*$/s, '');
  if (!literal && (!/\d/.test(mantissa) || !DECIMAL.test(text))) {
    throw new UsageError(`--${name} expects a number, got '${shown(raw)}'`);
  }
  let v = Number(text);
  if (!Number.isFinite(v) && !spec.allowNonFinite) {
    throw new UsageError(literal ? `--${name} must be finite, got '${shown(raw)}'`
      : `--${name} ${shown(text)} is beyond the largest number (1.7976931348623157e308)`);
  }
  if (spec.type === 'int') {
    const exact = literal ? null : exactInteger(text);
    if (exact === null) throw new UsageError(`--${name} expects an integer, got '${shown(raw)}'`);
    if (spec.min !== undefined && exact < BigInt(spec.min)) throw new UsageError(`--${name} must be >= ${spec.min}, got ${shown(text)}`);
    if (spec.max !== undefined && exact > BigInt(spec.max)) throw new UsageError(`--${name} must be <= ${spec.max}, got ${shown(text)}`);
    v = Number(exact); // -0 is the integer 0
    if (BigInt(v) !== exact) throw new UsageError(`--${name} ${shown(text)} is not an exact integer in double precision (|n| <= 2^53)`);
    return v;
  }
  if (!literal && /[1-9]/.test(mantissa) && Math.abs(v) < SMALLEST_NORMAL) {
    throw new UsageError(`--${name} ${shown(text)} is too close to 0 to hold exactly (smallest ${SMALLEST_NORMAL}); write 0 or a larger value`);
  }
  if (spec.min !== undefined && (spec.exclusiveMin ? v <= spec.min : v < spec.min)) {
    throw new UsageError(`--${name} must be ${spec.exclusiveMin ? '>' : '>='} ${spec.min}, got ${shown(raw)}`);
  }
  if (spec.max !== undefined && v > spec.max) throw new UsageError(`--${name} must be <= ${spec.max}, got ${shown(raw)}`);
  return v;
}

/** Parses argv after the command name into {opts, json, allowSlow}; throws UsageError. */
export function parseFlags(cmdName, cmd, argv) {
  const opts = {};
  let json = false, allowSlow = false;
  const specOf = (name) => (Object.hasOwn(cmd.flags, name) ? cmd.flags[name] : undefined);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') { json = true; continue; }
    if (arg === '--allow-slow') { allowSlow = true; continue; }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${shown(arg)}' for '${cmdName}'`);
    let name = arg.slice(2);
    if (specOf(name)?.type === 'flag') { // a switch: present or not, no value
      if (Object.hasOwn(opts, name)) throw new UsageError(`--${name} given twice`);
      opts[name] = true;
      continue;
    }
    let raw;
    const eq = name.indexOf('=');
    if (eq >= 0) { raw = name.slice(eq + 1); name = name.slice(0, eq); } else {
      raw = argv[i + 1];
      if (raw !== undefined && raw.startsWith('--') && !/^--?\d/.test(raw)) raw = undefined;
      else i++;
    }
    const spec = specOf(name);
    if (!spec) throw new UsageError(`unknown flag --${shown(name)} for '${cmdName}' (see: gradlab ${cmdName} --help)`);
    if (spec.type === 'flag') throw new UsageError(`--${name} is a switch and takes no value, got '${shown(raw)}'`);
    if (Object.hasOwn(opts, name)) throw new UsageError(`--${name} given twice`);
    opts[name] = parseValue(name, spec, raw);
  }
  for (const [name, spec] of Object.entries(cmd.flags)) {
    if (!Object.hasOwn(opts, name)) {
      if (spec.required) throw new UsageError(`'${cmdName}' needs --${name}`);
      if (spec.default !== undefined) opts[name] = spec.default;
    }
  }
  return { opts, json, allowSlow };
}

/**
 * The work budget (web/budget.js), checked from the arguments before any
 * work: a command's work(opts) gives {settings, flops(settings), knobs (flag
 * names the cost rises with)}.  Past WORK_BUDGET it is a UsageError naming
 * the limit and the nearest accepted setting, unless allowSlow; then the run
 * goes ahead and says on stderr how long it should take.
 */
export function checkWork(cmd, opts, allowSlow, io) {
  if (!cmd.work) return null;
  const budget = workBudget();
  const { settings, flops, knobs = [] } = cmd.work(opts);
  const cost = flops(settings);
  if (cost <= budget) return null;
  const about = `~${cost.toExponential(1)} flops, about ${seconds(cost)} s here`;
  if (allowSlow) {
    io.err(`gradlab: ${about} (--allow-slow)…\n`);
    return { seconds: seconds(cost) };
  }
  const near = nearestWithin((s) => flops(s) * (WORK_BUDGET / budget), settings, knobs.map((key) => ({ key, min: cmd.flags[key].min ?? 1 })));
  throw new UsageError(`this run needs ${about}, past the work budget of ${budget.toExponential()} ` +
    `(about ${seconds(budget)} s): ${near ? `use --${near.key} <= ${near.value}` : 'use smaller sizes'}, or --allow-slow`);
}

/**
 * The budget in flops: WORK_BUDGET, or $GRADLAB_WORK_BUDGET where a machine
 * (a slow lab PC, a fast server, a test) wants another.
 */
function workBudget() {
  const env = process.env.GRADLAB_WORK_BUDGET;
  if (env === undefined || env === '') return WORK_BUDGET;
  const v = Number(env);
  if (!(v > 0) || !Number.isFinite(v)) throw new UsageError(`GRADLAB_WORK_BUDGET must be a positive number of flops, got '${shown(env)}'`);
  return v;
}

/** Seconds between two progress lines of a run past the budget. */
export const PROGRESS_EVERY_S = 1;

/**
 * Runs command `name` in a worker thread (lib/slow-worker.js) while this
 * thread prints, every PROGRESS_EVERY_S, the seconds it has run against the
 * estimate: a run past the budget (--allow-slow) never sits silent.
 */
async function runWithProgress(name, opts, estimateS, io) {
  const { Worker } = await import('node:worker_threads');
  const w = new Worker(new URL('./slow-worker.js', import.meta.url), { workerData: { name, opts } });
  const t0 = performance.now();
  const timer = setInterval(() => {
    io.err(`gradlab: running… ${Math.round((performance.now() - t0) / 1000)} s of about ${estimateS} s estimated\n`);
  }, PROGRESS_EVERY_S * 1000);
  try {
    const msg = await new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`the worker thread exited with status ${code}`)));
    });
    if (msg.error) {
      const { name: n, message, status } = msg.error;
      throw n === 'CoreError' ? new CoreError(status, message) : new Error(message);
    }
    return msg.result;
  } finally {
    clearInterval(timer);
    await w.terminate();
  }
}

/** The help of command `name` (one of COMMANDS), or the overview when name is undefined. */
function helpText(name) {
  if (name !== undefined) {
    const c = COMMANDS[name];
    const lines = [`gradlab ${name} — ${c.summary}`, '', 'Flags:'];
    for (const [f, s] of Object.entries(c.flags)) {
      const what = s.type === 'enum' ? s.values.join('|') : s.type === 'flag' ? '' : s.type;
      const range = s.min !== undefined || s.max !== undefined ? ` ${s.exclusiveMin ? '(' : '['}${s.min ?? ''}..${s.max ?? ''}]` : '';
      const def = s.default !== undefined ? ` (default ${s.default})` : s.required ? ' (required)' : '';
      lines.push(`  --${f} ${what}${range}${def}  ${s.help || ''}`.trimEnd());
    }
    lines.push('  --json  print one JSON object instead of a table');
    if (c.work) lines.push('  --allow-slow  run even past the work budget (web/budget.js; $GRADLAB_WORK_BUDGET sets another), with progress on stderr');
    if (c.notes) lines.push('', ...c.notes);
    return lines.join('\n') + '\n';
  }
  const lines = ['gradlab — the GradLab core under Node', '',
    'Usage: node bin/gradlab.js <command> [--flag value ...] [--json]', '', 'Commands:'];
  for (const [n, c] of Object.entries(COMMANDS)) lines.push(`  ${n.padEnd(12)} ${c.summary}`);
  lines.push('', "'gradlab <command> --help' lists a command's flags. Exit codes: 0 ok, 2 bad input, 1 failure.");
  return lines.join('\n') + '\n';
}

/** The one line an error prints: `gradlab: message`, line breaks escaped, at most ERROR_LINE_MAX characters. */
export function errorLine(message) {
  return `${shown(`gradlab: ${message}`, ERROR_LINE_MAX)}\n`;
}

const unknownCommand = (name) =>
  new UsageError(`unknown command '${shown(name)}' (commands: ${Object.keys(COMMANDS).join(', ')})`);

/** Runs the CLI; returns the exit code.  io = {out, err} writers.  Never throws. */
export async function main(argv, io) {
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      if (rest[0] !== undefined && !isCommand(rest[0])) throw unknownCommand(rest[0]);
      io.out(helpText(rest[0]));
      return 0;
    }
    if (!isCommand(name)) throw unknownCommand(name);
    const cmd = COMMANDS[name];
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(helpText(name));
      return 0;
    }
    const { opts, json, allowSlow } = parseFlags(name, cmd, rest);
    const slow = checkWork(cmd, opts, allowSlow, io);
    const result = slow ? await runWithProgress(name, opts, slow.seconds, io) : cmd.run(await loadCore(), opts);
    io.out(json ? toJSON(result) + '\n' : cmd.table(result));
    return 0;
  } catch (e) {
    if (e instanceof UsageError || (e instanceof CoreError && e.status !== 3)) {
      io.err(errorLine(e.message));
      return 2;
    }
    io.err(errorLine(e && e.message ? e.message : e));
    return 1;
  }
}

export { ACTIVATIONS, DTYPES, ENSEMBLES, INITS };
