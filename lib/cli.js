// cli.js — the command-line interface: flag parsing, validation, output.
// Each command is a spec (its flags with types, defaults and limits) plus a
// run(core, opts) that returns a plain object and a table(result) for humans.
// The numbers come from the wasm core (lib/node-core.js → web/core.js).
import { loadCore } from './node-core.js';
import { ACTIVATIONS, CoreError, DTYPES, ENSEMBLES, INITS } from '../web/core.js';
import { COMMANDS } from './commands.js';
import { toJSON } from '../web/format.js';

export class UsageError extends Error {}

/** Parses one flag value according to its spec; throws UsageError. */
export function parseValue(name, spec, raw) {
  if (raw === undefined) throw new UsageError(`--${name} needs a value`);
  if (spec.type === 'string') {
    if (raw === '') throw new UsageError(`--${name} needs a non-empty value`);
    return raw;
  }
  if (spec.type === 'enum') {
    if (!spec.values.includes(raw)) {
      throw new UsageError(`--${name} must be one of ${spec.values.join(', ')}; got '${raw}'`);
    }
    return raw;
  }
  if (raw.trim() === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?Infinity$|^NaN$/.test(raw.trim())) {
    throw new UsageError(`--${name} expects a number, got '${raw}'`);
  }
  const v = Number(raw);
  if (spec.type === 'int' && !Number.isInteger(v)) throw new UsageError(`--${name} expects an integer, got '${raw}'`);
  if (!Number.isFinite(v) && !spec.allowNonFinite) throw new UsageError(`--${name} must be finite, got '${raw}'`);
  if (spec.min !== undefined && (spec.exclusiveMin ? v <= spec.min : v < spec.min)) {
    throw new UsageError(`--${name} must be ${spec.exclusiveMin ? '>' : '>='} ${spec.min}, got ${raw}`);
  }
  if (spec.max !== undefined && v > spec.max) throw new UsageError(`--${name} must be <= ${spec.max}, got ${raw}`);
  return v;
}

/** Parses argv after the command name into {opts, json}; throws UsageError. */
export function parseFlags(cmdName, cmd, argv) {
  const opts = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') { json = true; continue; }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}' for '${cmdName}'`);
    let name = arg.slice(2);
    if (cmd.flags[name]?.type === 'flag') { // a switch: present or not, no value
      if (name in opts) throw new UsageError(`--${name} given twice`);
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
    const spec = cmd.flags[name];
    if (!spec) throw new UsageError(`unknown flag --${name} for '${cmdName}' (see: gradlab ${cmdName} --help)`);
    if (name in opts) throw new UsageError(`--${name} given twice`);
    opts[name] = parseValue(name, spec, raw);
  }
  for (const [name, spec] of Object.entries(cmd.flags)) {
    if (!(name in opts)) {
      if (spec.required) throw new UsageError(`'${cmdName}' needs --${name}`);
      if (spec.default !== undefined) opts[name] = spec.default;
    }
  }
  return { opts, json };
}

function helpText(name) {
  if (name && COMMANDS[name]) {
    const c = COMMANDS[name];
    const lines = [`gradlab ${name} — ${c.summary}`, '', 'Flags:'];
    for (const [f, s] of Object.entries(c.flags)) {
      const what = s.type === 'enum' ? s.values.join('|') : s.type === 'flag' ? '' : s.type;
      const range = s.min !== undefined || s.max !== undefined ? ` ${s.exclusiveMin ? '(' : '['}${s.min ?? ''}..${s.max ?? ''}]` : '';
      const def = s.default !== undefined ? ` (default ${s.default})` : s.required ? ' (required)' : '';
      lines.push(`  --${f} ${what}${range}${def}  ${s.help || ''}`.trimEnd());
    }
    lines.push('  --json  print one JSON object instead of a table');
    if (c.notes) lines.push('', ...c.notes);
    return lines.join('\n') + '\n';
  }
  const lines = ['gradlab — the GradLab core under Node', '',
    'Usage: node bin/gradlab.js <command> [--flag value ...] [--json]', '', 'Commands:'];
  for (const [n, c] of Object.entries(COMMANDS)) lines.push(`  ${n.padEnd(12)} ${c.summary}`);
  lines.push('', "'gradlab <command> --help' lists a command's flags. Exit codes: 0 ok, 2 bad input, 1 failure.");
  return lines.join('\n') + '\n';
}

/** Runs the CLI; returns the exit code.  io = {out, err} writers. */
export async function main(argv, io) {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText(rest[0]));
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.err(`gradlab: unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(helpText(name));
    return 0;
  }
  try {
    const { opts, json } = parseFlags(name, cmd, rest);
    const core = await loadCore();
    const result = cmd.run(core, opts);
    io.out(json ? toJSON(result) + '\n' : cmd.table(result));
    return 0;
  } catch (e) {
    if (e instanceof UsageError || (e instanceof CoreError && e.status !== 3)) {
      io.err(`gradlab: ${e.message}\n`);
      return 2;
    }
    io.err(`gradlab: ${e && e.message ? e.message : e}\n`);
    return 1;
  }
}

export { ACTIVATIONS, DTYPES, ENSEMBLES, INITS };
