// format.js — how numbers are written: for people (UI readouts, tooltips, the
// CLI's tables) and in the CLI's JSON.  One policy for non-finite numbers:
// they are written as JavaScript spells them, "Infinity", "-Infinity", "NaN",
// in readouts, tables and JSON alike (JSON.stringify alone would write null,
// and a chart would draw a silent gap).  Only torchprint.js differs, on
// purpose: it prints tensors as PyTorch does (inf, nan).

/** The largest finite float32 (torch.finfo(torch.float32).max): past it an entry overflows to inf. */
export const FLT_MAX = 3.4028234663852886e38;

/** Where each precision leaves fixed notation, and below which integers are written whole. */
const NOTATION = {
  4: { lo: 1e-3, hi: 1e5, whole: 0 }, // readouts and tooltips
  7: { lo: 1e-4, hi: 1e6, whole: 1e9 }, // the CLI's tables
};

/**
 * A number for people with `digits` significant digits: 4 (the default) for
 * readouts and tooltips, 7 for the CLI's tables, which also write integers
 * below 1e9 whole.  Scientific notation outside the precision's range,
 * '—' for null/undefined, non-finite as String(v).
 */
export function fmtNum(v, digits = 4) {
  const n = NOTATION[digits];
  if (!n) throw new RangeError(`fmtNum: digits must be 4 or 7, got ${digits}`);
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  if (Number.isInteger(v) && Math.abs(v) < n.whole) return String(v);
  const a = Math.abs(v);
  return a < n.lo || a >= n.hi ? v.toExponential(digits - 1) : String(Number(v.toPrecision(digits)));
}

/**
 * A linear axis's tick label, as Chart.js 4's default (Ticks.formatters.numeric
 * with an en locale) writes it — decimals from the step between ticks,
 * scientific notation when the largest tick is below 1e-4 or above 1e15,
 * thousands grouped — but without Intl.NumberFormat: the first Intl object a
 * page makes costs 50–150 ms in a fresh Chromium (ICU's data), all of it on the
 * path to the first chart.  (value, index, ticks) is Chart.js's callback form.
 */
export function linearTick(value, index, ticks) {
  if (value === 0) return '0';
  let delta = value;
  let scientific = false;
  if (ticks.length > 1) {
    const maxTick = Math.max(Math.abs(ticks[0].value), Math.abs(ticks[ticks.length - 1].value));
    scientific = maxTick < 1e-4 || maxTick > 1e15;
    delta = ticks.length > 3 ? ticks[2].value - ticks[1].value : ticks[1].value - ticks[0].value;
    if (Math.abs(delta) >= 1 && value !== Math.floor(value)) delta = value - Math.floor(value);
  }
  const logDelta = Math.log10(Math.abs(delta));
  const decimals = Number.isNaN(logDelta) ? 1 : Math.max(Math.min(-Math.floor(logDelta), 20), 0);
  if (scientific) { // the mantissa with `decimals` fraction digits, as Intl's scientific notation
    const [m, e] = value.toExponential(decimals).split('e');
    return `${m}E${Number(e)}`;
  }
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole, frac] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const out = frac === undefined ? grouped : `${grouped}.${frac}`;
  return value < 0 && Number(fixed) !== 0 ? `-${out}` : out;
}

/** JSON with non-finite numbers as the strings "Infinity", "-Infinity", "NaN"; typed arrays as arrays. */
export function toJSON(value) {
  return JSON.stringify(value, (k, v) => {
    if (ArrayBuffer.isView(v)) return Array.from(v, finiteOrString);
    return finiteOrString(v);
  });
}
/** v with a non-finite number as the string the CLI writes ("Infinity", "-Infinity",
 *  "NaN"); anything else unchanged.  toJSON and the figures' CSV export both use it. */
export function finiteOrString(v) {
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
}

/** The shortest decimal that reads back as the same float32 (as PyTorch prints). */
export function shortestFloat32(v) {
  if (!Number.isFinite(v)) return v;
  for (let p = 1; p <= 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return s;
  }
  return v;
}
