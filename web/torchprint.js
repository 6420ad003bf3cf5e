// torchprint.js — numbers and tensors written exactly as PyTorch 1.13 prints
// them with its default print options (torch/_tensor_str.py).
//
// One formatter per tensor: torch looks at all of a tensor's nonzero finite
// entries once and picks
//   - int mode when every one is an integer: `2.`, `-17.`;
//   - scientific when max|x| / min|x| > 1000, or max|x| > 1e8, or (not in int
//     mode) min|x| < 1e-4: `1.4398e+25`;
//   - fixed with 4 decimals otherwise: `1.5550`, `-0.9025`;
// and one width (the longest entry) to which every entry is right-aligned.
// Non-finite entries print as `inf`, `-inf`, `nan` and are not looked at;
// −0 keeps its sign (`-0.0000`).
//
// The digits are Python's `'{:.4f}'` / `'{:.4e}'` of the value as a double (a
// float32 entry converted exactly): the exact binary value rounded half to
// even, so 1.03125 → `1.0312` and 123445 → `1.2344e+05`.  JavaScript's
// toFixed/toExponential round exact ties up instead, so the digits are worked
// out here from the double's exact decimal expansion with BigInt.

/** torch's default PRINT_OPTS: digits after the point, the entry count above
 *  which a tensor is summarized, entries kept at each end, line width. */
export const PRINT_OPTS = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 };

// ---- Python's float formatting -------------------------------------------------

const view = new DataView(new ArrayBuffer(8));

/** The exact value of a positive finite double as n·10^−k (n, k BigInt). */
function exactDecimal(a) {
  view.setFloat64(0, a);
  const hi = view.getUint32(0);
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  // a = m·2^e; for e < 0 that is m·5^−e / 10^−e exactly.
  let e = -1074; // subnormal
  if (biased) { m |= 1n << 52n; e = biased - 1075; }
  return e >= 0 ? { n: m << BigInt(e), k: 0n } : { n: m * 5n ** BigInt(-e), k: BigInt(-e) };
}

/** n / d rounded half to even (n ≥ 0, d > 0). */
function divHalfEven(n, d) {
  const q = n / d;
  const r2 = 2n * (n % d);
  return r2 > d || (r2 === d && q % 2n === 1n) ? q + 1n : q;
}

const nonFinite = (v) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
const signOf = (v) => (v < 0 || Object.is(v, -0) ? '-' : '');

/** Python's `'{:.Nf}'.format(v)`: N decimals, exact ties to even, −0 as `-0.0…`, inf/nan. */
export function pyFixed(v, decimals) {
  if (!Number.isFinite(v)) return nonFinite(v);
  const p = BigInt(decimals);
  let q = 0n;
  if (v !== 0) {
    const { n, k } = exactDecimal(Math.abs(v));
    q = p >= k ? n * 10n ** (p - k) : divHalfEven(n, 10n ** (k - p));
  }
  const s = q.toString().padStart(decimals + 1, '0');
  return signOf(v) + (decimals ? `${s.slice(0, -decimals)}.${s.slice(-decimals)}` : s);
}

/** Python's `'{:.Ne}'.format(v)`: N decimals in the mantissa, exact ties to even, exponent of 2+ digits. */
export function pyExp(v, decimals) {
  if (!Number.isFinite(v)) return nonFinite(v);
  const sig = BigInt(decimals + 1);
  let q = 0n;
  let exp = 0n;
  if (v !== 0) {
    const { n, k } = exactDecimal(Math.abs(v));
    const len = BigInt(n.toString().length);
    exp = len - 1n - k;
    q = len <= sig ? n * 10n ** (sig - len) : divHalfEven(n, 10n ** (len - sig));
    if (q === 10n ** sig) { q /= 10n; exp += 1n; } // 9.99995 → 1.0000e+01
  }
  const s = q.toString().padStart(decimals + 1, '0');
  const mant = decimals ? `${s[0]}.${s.slice(1)}` : s;
  const e = exp < 0n ? -exp : exp;
  return `${signOf(v)}${mant}e${exp < 0n ? '-' : '+'}${e.toString().padStart(2, '0')}`;
}

// ---- torch's _Formatter --------------------------------------------------------

/**
 * torch's `_Formatter` for a float tensor made of `values` (any iterable of
 * numbers, float32 entries as their exact doubles): {intMode, sciMode, width,
 * format(v)}.  `sciMode` true/false forces the notation as
 * `torch.set_printoptions(sci_mode=…)` does (the width stays the one the
 * values chose; with no nonzero finite value there is nothing to force).
 */
export function torchFormatter(values, { sciMode = null } = {}) {
  const { precision } = PRINT_OPTS;
  let intMode = true;
  let sci = false;
  let width = 1;
  let min = Infinity;
  let max = 0;
  const finite = [];
  for (const v of values) {
    if (!Number.isFinite(v) || v === 0) continue;
    finite.push(v);
    const a = Math.abs(v);
    if (a < min) min = a;
    if (a > max) max = a;
    if (!Number.isInteger(v)) intMode = false;
  }
  // int mode writes `{:.0f}` and a point that says "float" (not after inf/nan)
  const entry = (v) => (sci ? pyExp(v, precision)
    : intMode ? pyFixed(v, 0) + (Number.isFinite(v) ? '.' : '') : pyFixed(v, precision));
  if (finite.length) {
    sci = max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4);
    for (const v of finite) width = Math.max(width, entry(v).length);
    // torch returns before reading sci_mode when nothing is nonzero and finite
    if (sciMode !== null) sci = sciMode;
  }
  return {
    intMode, sciMode: sci, width,
    /** One entry, right-aligned to the tensor's width (longer entries, e.g. −0 in int mode, are not cut). */
    format: (v) => entry(v).padStart(width),
  };
}

/** A number as torch prints a 0-d tensor of it, without `tensor(…)`: 2., 1.5000, 4.5131e+25, inf. */
export function torchScalar(v) {
  return torchFormatter([v]).format(v);
}

// ---- torch's layout: tensor([[…], …]) -----------------------------------------

/** Index lists of the rows/columns torch shows: all, or the first and last edgeitems when summarized. */
function shown(size, summarize) {
  const { edgeitems } = PRINT_OPTS;
  const all = Array.from({ length: size }, (_, i) => i);
  return summarize && size > 2 * edgeitems ? [...all.slice(0, edgeitems), null, ...all.slice(size - edgeitems)] : all;
}

/** torch's `_vector_str`: entries joined by ', ', wrapped to the line width, '...' between the ends. */
function vectorStr(get, size, indent, summarize, fmt) {
  const perLine = Math.max(1, Math.floor((PRINT_OPTS.linewidth - indent) / (fmt.width + 2)));
  const data = shown(size, summarize).map((j) => (j === null ? ' ...' : fmt.format(get(j))));
  const lines = [];
  for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(', '));
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

/**
 * A float tensor of shape [] (a scalar), [n] or [rows, cols], row-major
 * `values`, as `print(t)` writes it in torch 1.13: `tensor([[ 1.5550, -0.9025],
 * …])`, one formatter for the whole tensor (made from the shown entries when
 * more than 1000 are summarized), `, dtype=torch.float64` for float64 (float32
 * is torch's default and is not named).
 */
export function torchTensor(values, shape, dtype = 'float32') {
  const numel = shape.reduce((a, b) => a * b, 1);
  if (values.length !== numel) throw new RangeError(`torchTensor: ${values.length} values for shape [${shape}]`);
  if (shape.length > 2) throw new RangeError('torchTensor: at most 2 dimensions');
  const summarize = numel > PRINT_OPTS.threshold;
  const prefix = 'tensor(';
  const indent = prefix.length;
  let body;
  if (numel === 0) {
    body = '[]';
  } else if (shape.length === 0) {
    body = torchScalar(values[0]);
  } else {
    const [rows, cols] = shape.length === 1 ? [1, shape[0]] : shape;
    const rowIdx = shape.length === 1 ? [0] : shown(rows, summarize);
    const colIdx = shown(cols, summarize);
    const fmt = torchFormatter(rowIdx.flatMap((i) => (i === null ? [] : colIdx.flatMap((j) => (j === null ? [] : [values[i * cols + j]])))));
    const row = (i, ind) => vectorStr((j) => values[i * cols + j], cols, ind, summarize, fmt);
    body = shape.length === 1
      ? row(0, indent)
      : `[${rowIdx.map((i) => (i === null ? '...' : row(i, indent + 1))).join(`,\n${' '.repeat(indent + 1)}`)}]`;
  }
  const suffixes = [];
  if (numel === 0 && shape.length !== 1) suffixes.push(`size=(${shape.join(', ')})`);
  if (dtype === 'float64') suffixes.push('dtype=torch.float64');
  return addSuffixes(prefix + body, suffixes, indent);
}

/** torch's `_add_suffixes`: `, suffix` on the last line, or on a new line when it would pass the line width. */
function addSuffixes(str, suffixes, indent) {
  let out = str;
  let lastLen = str.length - str.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (lastLen + s.length + 2 > PRINT_OPTS.linewidth) {
      out += `,\n${' '.repeat(indent)}${s}`;
      lastLen = indent + s.length;
    } else {
      out += `, ${s}`;
      lastLen += s.length + 2;
    }
  }
  return `${out})`;
}
