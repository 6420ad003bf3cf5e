// commands.js — the CLI's commands: flags (type, default, limits) and how each
// turns the core's answer into JSON and a table.  Parsing lives in cli.js.
import { ACTIVATIONS, DTYPES } from '../web/core.js';
import { shortestFloat32 } from './format.js';

const dtypeFlag = { type: 'enum', values: DTYPES, default: 'float32', help: 'element type (PyTorch default float32)' };

/** A fixed-width text table of rows (arrays of numbers/strings). */
export function table(header, rows) {
  const cells = [header, ...rows.map((r) => r.map((v) => (typeof v === 'number' ? fmt(v) : String(v))))];
  const widths = header.map((_, j) => Math.max(...cells.map((r) => r[j].length)));
  return cells.map((r) => r.map((c, j) => c.padStart(widths[j])).join('  ')).join('\n') + '\n';
}
function fmt(v) {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-4 || a >= 1e6) ? v.toExponential(6) : String(Number(v.toPrecision(7)));
}

/** Converts a float32 array to the shortest decimals that round-trip. */
function decimals(arr, dtype) {
  return dtype === 'float32' ? Array.from(arr, shortestFloat32) : Array.from(arr);
}

export const COMMANDS = {
  activation: {
    summary: 'an activation and its gradient over torch.arange(from, to, step)',
    flags: {
      fn: { type: 'enum', values: ACTIVATIONS, default: 'sigmoid', help: 'activation' },
      from: { type: 'number', default: -8, help: 'first point' },
      to: { type: 'number', default: 8, help: 'end (exclusive)' },
      step: { type: 'number', default: 0.1, help: 'spacing (non-zero)' },
      dtype: dtypeFlag,
    },
    run(core, o) {
      const c = core.activationCurve({ act: o.fn, dtype: o.dtype, from: o.from, to: o.to, step: o.step });
      return { fn: o.fn, dtype: o.dtype, x: decimals(c.x, o.dtype), y: decimals(c.y, o.dtype), grad: decimals(c.grad, o.dtype) };
    },
    table(r) {
      return `# ${r.fn} (${r.dtype}), ${r.x.length} points; grad = d(sum y)/dx by the backward pass\n` +
        table(['x', 'y', 'grad'], r.x.map((x, i) => [x, r.y[i], r.grad[i]]));
    },
  },
};
