// table.js — plain-text tables and number formats for the benchmarks' output.

/**
 * Lines of a table: head, a rule, then body (arrays of strings).  The first
 * `left` columns are left-aligned, the others right-aligned; cells joined by
 * sep, the rule's dashes by ruleSep.
 */
export function textTable(head, body, { left = 2, sep = '  ', ruleSep = sep } = {}) {
  const w = head.map((h, j) => Math.max(h.length, ...body.map((r) => r[j].length)));
  const line = (cells) => cells.map((c, j) => (j < left ? c.padEnd(w[j]) : c.padStart(w[j]))).join(sep);
  return [line(head), w.map((n) => '-'.repeat(n)).join(ruleSep), ...body.map(line)];
}

/** x with d decimals, '—' when missing or not finite. */
export function fixed(x, d = 1) {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '—';
}

/** The load averages, for the line that warns other work inflates every figure. */
export function loadLine(a) {
  return a.map((l) => l.toFixed(2)).join(' ');
}
