// commands.js — the CLI's commands: flags (type, default, limits) and how each
// turns the core's answer into JSON and a table.  Parsing lives in cli.js.
import { ACTIVATIONS, DTYPES, ENSEMBLES } from '../web/core.js';
import { shortestFloat32 } from './format.js';
import { torchSci } from '../web/format.js';

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

/** Rows of an n×n row-major matrix, as decimals. */
function rows(arr, n, dtype) {
  const d = decimals(arr, dtype);
  return Array.from({ length: n }, (_, i) => d.slice(i * n, (i + 1) * n));
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
  matprod: {
    summary: 'the product of random n×n matrices (d2l: 100 products of 4×4 N(0,1) ends near 1e25)',
    flags: {
      n: { type: 'int', min: 1, max: 64, default: 4, help: 'matrix size' },
      steps: { type: 'int', min: 0, max: 10000, default: 100, help: 'multiplications K' },
      sigma: { type: 'number', min: 0, exclusiveMin: true, default: 1, help: 'std of the entries (or scale of Q)' },
      seed: { type: 'int', min: 0, max: 2 ** 53, default: 0, help: 'random seed' },
      dtype: dtypeFlag,
      ensemble: { type: 'enum', values: ENSEMBLES, default: 'gaussian', help: 'N(0, σ²) entries or σ·(Haar orthogonal)' },
      trials: { type: 'int', min: 1, max: 100000, default: 1, help: 'independent trials for mean_log_norms' },
    },
    run(core, o) {
      const args = { n: o.n, steps: o.steps, sigma: o.sigma, ensemble: o.ensemble, seed: o.seed };
      const one = core.matprod({ ...args, dtype: o.dtype });
      const ens = core.matprodEnsemble({ ...args, trials: o.trials });
      const th = core.matprodTheory(args);
      return {
        n: o.n, steps: o.steps, sigma: o.sigma, dtype: o.dtype, ensemble: o.ensemble, seed: o.seed, trials: o.trials,
        norms: Array.from(one.norms),
        matrix: rows(one.last, o.n, o.dtype),
        first_matrix: rows(one.first, o.n, o.dtype),
        mean_log_norms: Array.from(ens.meanLog),
        overflow_step: one.overflowStep,
        theory: { log_growth_per_step: th.typical, log_rms_growth_per_step: th.rms, critical_sigma: th.critical_sigma },
      };
    },
    table(r) {
      const sci = (v) => (typeof v === 'number' ? torchSci(v) : v);
      const every = Math.max(1, Math.ceil(r.steps / 20));
      const ks = r.norms.map((_, k) => k).filter((k) => k % every === 0 || k === r.steps);
      return `# product of ${r.steps} random ${r.n}x${r.n} matrices (${r.ensemble}, sigma ${r.sigma}, ${r.dtype}, seed ${r.seed})\n` +
        `# theory per step: typical ${r.theory.log_growth_per_step.toFixed(6)}, rms ${r.theory.log_rms_growth_per_step.toFixed(6)}; ` +
        `critical sigma ${r.theory.critical_sigma.toFixed(6)}\n` +
        `# overflow step: ${r.overflow_step === null ? 'none' : r.overflow_step}\n` +
        table(['k', 'norm', `mean ln norm (${r.trials} trials)`], ks.map((k) => [k, sci(r.norms[k]), r.mean_log_norms[k]])) +
        `# M_${r.steps}:\n` + r.matrix.map((row) => row.map(sci).join('  ')).join('\n') + '\n';
    },
  },
};
