// format.js — how numbers are written for people (UI readouts, tables, CLI tables).

/** Formats a number for tooltips and readouts: 4 significant digits. */
export function fmtNum(v) {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e5 ? v.toExponential(3) : String(Number(v.toPrecision(4)));
}

/** A number as PyTorch prints a float tensor entry in scientific mode: 1.4398e+25, inf, nan. */
export function torchSci(v) {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}
