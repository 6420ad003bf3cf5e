// heatmap.js — pixel pictures drawn straight onto a canvas (no Chart.js):
// a value per (row, column) coloured by its log₁₀, and a two-class
// probability field with the data on top.  Colours may be named by their
// custom property (web/style.css), resolved for the theme on show.
import { color } from './charts.js';

/** Viridis at five stops, for t in [0, 1]. */
const STOPS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
export function viridis(t) {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  return STOPS[i].map((c, j) => Math.round(c + f * (STOPS[i + 1][j] - c)));
}
/** Colours of the heatmap's scale: viridis at LUT_SIZE evenly spaced points,
 *  made once (a colour per cell computed from the stops cost ~1 ms a lane). */
const LUT_SIZE = 256;
let LUT = null;
function viridisTable() {
  LUT ??= Array.from({ length: LUT_SIZE }, (_, i) => viridis(i / (LUT_SIZE - 1)));
  return LUT;
}
/** What each canvas shows now (the numbers and the colour scale it was last
 *  drawn with), for the figure's export (web/app/export.js): canvas → spec. */
const shown = new WeakMap();
/** The spec `canvas` was last drawn with by drawHeatmap or drawRegions ({kind:
 *  'heatmap' | 'regions', …the call's spec}), or undefined if never. */
export function drawnSpec(canvas) { return shown.get(canvas); }

/** The colour of an exact zero ("update lost") and of a non-finite value. */
export const ZERO_RGB = [230, 0, 230];
export const NONFINITE_RGB = [150, 150, 150];

/**
 * Draws values[col * rows + row] (col = step, row = layer) for col < cols
 * onto canvas, one pixel per cell (the page scales it), row 0 at the bottom:
 * colour = viridis of (log₁₀ v − lo)/(hi − lo), ZERO_RGB for 0, NONFINITE_RGB
 * for Inf/NaN; columns ≥ cols stay blank.  ticks (a Uint8Array per column,
 * may be null) mark with a bright pixel row at the bottom where clipping acted.
 * spec.label (optional) names the quantity, for the export.
 */
export function drawHeatmap(canvas, spec) {
  const { values, rows, total, cols, lo, hi, ticks = null } = spec;
  shown.set(canvas, { kind: 'heatmap', ...spec });
  const h = rows + (ticks ? 2 : 0);
  if (canvas.width !== total || canvas.height !== h) {
    canvas.width = Math.max(1, total);
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(canvas.width, h);
  const d = img.data;
  const lut = viridisTable();
  const scale = (LUT_SIZE - 1) / (hi - lo);
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) {
      const v = values[c * rows + r];
      const rgb = !Number.isFinite(v) ? NONFINITE_RGB : v === 0 ? ZERO_RGB
        : lut[Math.min(LUT_SIZE - 1, Math.max(0, Math.round((Math.log10(Math.abs(v)) - lo) * scale)))];
      const o = 4 * ((rows - 1 - r) * canvas.width + c);
      d[o] = rgb[0]; d[o + 1] = rgb[1]; d[o + 2] = rgb[2]; d[o + 3] = 255;
    }
    if (ticks && ticks[c]) {
      const o = 4 * ((rows + 1) * canvas.width + c);
      d[o] = 214; d[o + 1] = 39; d[o + 2] = 40; d[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

/**
 * Draws a grid × grid field of class-1 probabilities (row 0 at the top) over
 * [−extent, extent]² scaled to the canvas, then the points X (pairs) coloured
 * by class y.  The field is the class colours faded 55% towards the page's
 * background (--bg), so the points stand out on it in either theme.
 */
export function drawRegions(canvas, spec) {
  const { prob, grid, extent, X, y, colors: names } = spec;
  shown.set(canvas, { kind: 'regions', ...spec });
  const colors = names.map(color);
  const ctx = canvas.getContext('2d');
  const w = canvas.width;
  const hgt = canvas.height;
  const off = offscreen(grid, grid);
  const octx = off.getContext('2d');
  const img = octx.createImageData(grid, grid);
  const [c0, c1] = colors.map(hexRgb);
  const bg = hexRgb(color('--bg') || '#ffffff');
  for (let i = 0; i < grid * grid; i++) {
    const p = Number.isFinite(prob[i]) ? prob[i] : 0.5;
    for (let j = 0; j < 3; j++) img.data[4 * i + j] = Math.round(bg[j] + ((p * c1[j] + (1 - p) * c0[j]) - bg[j]) * 0.45);
    img.data[4 * i + 3] = 255;
  }
  octx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, 0, 0, w, hgt);
  ctx.drawImage(pointsLayer(X, y, colors, w, hgt, extent), 0, 0);
}

/** The data's points drawn once onto a transparent canvas of w × h, kept for
 *  the next snapshot of the same data: hundreds of anti-aliased discs per
 *  snapshot made the frame's paint a long task while four lanes trained. */
const layers = new WeakMap(); // X → {key, canvas}
function pointsLayer(X, y, colors, w, h, extent) {
  const key = `${w}x${h}:${extent}:${colors.join()}`;
  const hit = layers.get(X);
  if (hit && hit.key === key && hit.y === y) return hit.canvas;
  const canvas = offscreen(w, h);
  const ctx = canvas.getContext('2d');
  const px = (v) => ((v + extent) / (2 * extent)) * w;
  const py = (v) => ((extent - v) / (2 * extent)) * h;
  for (let i = 0; i < y.length; i++) {
    ctx.fillStyle = colors[y[i]];
    ctx.beginPath();
    ctx.arc(px(X[2 * i]), py(X[2 * i + 1]), 1.8, 0, 2 * Math.PI);
    ctx.fill();
  }
  layers.set(X, { key, y, canvas });
  return canvas;
}

/** A canvas of w × h pixels not in the page (OffscreenCanvas where there is one). */
function offscreen(w, h) {
  if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(w, h);
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}

function hexRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
