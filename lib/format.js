// format.js — number formatting shared by the CLI's JSON and tables.

/** JSON with non-finite numbers as the strings "Infinity", "-Infinity", "NaN". */
export function toJSON(value) {
  return JSON.stringify(value, (k, v) => {
    if (ArrayBuffer.isView(v)) return Array.from(v, finiteOrString);
    return finiteOrString(v);
  });
}
function finiteOrString(v) {
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
