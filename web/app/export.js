// export.js — every figure of a lesson out of the page: a PNG of what it shows
// and a file of exactly the numbers it plots.  The runtime calls
// mountExports(ctx) once a lesson's view is built; it finds the figures in the
// view (no template names them): each Chart.js canvas of a .chart-box
// (canvas[data-chart=NAME]) and, in the training lesson, each lane's heatmap
// (canvas.heatmap[data-heat=k]) and decision regions (canvas.regions[data-region=k]),
// and puts a small group of buttons after each.  Files are named
// <lesson>-<figure>.<ext>: vanishing-curve.png, train-heat1.csv, train-regions1.json.
//
// PNG: PNG_SCALE × devicePixelRatio image pixels per CSS pixel of the figure
// ("2× device pixels": 2× its CSS size on a screen of ratio 1), on an opaque
// background of the theme on show, with the figure's title (its canvas's
// title, which names it for a screen reader too) and its legend drawn in.  A
// chart is re-rendered at that resolution by Chart.js itself, title on,
// inside one task (the page never paints the intermediate state), and then
// put back.
//
// CSV: a comment line with the figure's title, one with the URL of the
// settings that produced it (the lesson's every key: opening it recomputes the
// same numbers), then a header naming the columns (the x axis, then each
// series by its legend label) and one row per x.  A cell is the value computed,
// also where the chart shows a gap (web/charts.js points() keeps it), with
// non-finite numbers as the CLI writes them (format.js finiteOrString:
// Infinity, -Infinity, NaN); an empty cell: that series has no point there.
// The decision regions (a field and a point cloud, not a table) are JSON,
// written by the CLI's toJSON.
//
// A figure whose job is computing is exported once it has been drawn, so the
// file and the URL are of the same settings.
import { addMessages, t } from '../i18n.js';
import { color } from '../charts.js';
import { NONFINITE_RGB, ZERO_RGB, drawnSpec, viridis } from '../heatmap.js';
import { finiteOrString, toJSON } from '../format.js';
import messages from '../messages/export.js';

addMessages(messages, 'the export');

/** Image pixels of an exported PNG per device pixel of the figure on screen. */
export const PNG_SCALE = 2;
/** Image pixels per CSS pixel: PNG_SCALE × the screen's devicePixelRatio. */
export const pngScale = () => PNG_SCALE * (globalThis.devicePixelRatio || 1);

/**
 * The figures of a lesson's view (in document order within each kind):
 * [{name, kind: 'chart' | 'heatmap' | 'regions', canvas, anchor (what the
 * buttons follow)}].
 */
export function findFigures(root) {
  const figs = [];
  for (const canvas of root.querySelectorAll('.chart-box > canvas[data-chart]')) {
    figs.push({ name: canvas.dataset.chart, kind: 'chart', canvas, anchor: canvas.parentElement });
  }
  for (const canvas of root.querySelectorAll('canvas.heatmap[data-heat]')) {
    figs.push({ name: `heat${canvas.dataset.heat}`, kind: 'heatmap', canvas, anchor: canvas });
  }
  for (const canvas of root.querySelectorAll('canvas.regions[data-region]')) {
    figs.push({ name: `regions${canvas.dataset.region}`, kind: 'regions', canvas, anchor: canvas });
  }
  return figs;
}

/**
 * Puts the export buttons after every figure of ctx.root: PNG, and CSV (JSON
 * for decision regions).  Each button is named by its action and the figure's
 * title (aria-labelledby: itself, then the canvas, whose title follows the
 * language and the lane's settings).  Returns the figures, each with its
 * bar (the group of buttons after it).
 */
export function mountExports(ctx) {
  const { root } = ctx;
  const lesson = ctx.lesson.id;
  const figs = findFigures(root);
  for (const fig of figs) {
    fig.canvas.id ||= `export-${lesson}-${fig.name}`;
    const bar = document.createElement('div');
    bar.className = 'export';
    bar.setAttribute('role', 'group');
    bar.setAttribute('aria-labelledby', fig.canvas.id);
    for (const format of ['png', fig.kind === 'regions' ? 'json' : 'csv']) {
      const b = document.createElement('button');
      b.type = 'button';
      b.id = `${fig.canvas.id}-${format}`;
      b.dataset.export = format;
      b.setAttribute('aria-labelledby', `${b.id} ${fig.canvas.id}`);
      b.innerHTML = `<span class="visually-hidden" data-i18n="export.download"></span> <span data-i18n="export.${format}"></span>`;
      b.addEventListener('click', () => {
        exportFigure(ctx, fig, format).catch((e) => ctx.notify(t('export.failed', { msg: e && e.message ? e.message : String(e) }), bar));
      });
      bar.append(b);
    }
    fig.anchor.after(bar);
    fig.bar = bar;
  }
  return figs;
}

/** Makes the file of `fig` in `format` ('png' | 'csv' | 'json') once the lesson is idle, and downloads it. */
async function exportFigure(ctx, fig, format) {
  await whenIdle(ctx.root);
  const file = `${ctx.lesson.id}-${fig.name}.${format}`;
  if (format === 'png') return download(await figurePng(fig), file);
  const text = format === 'json' ? regionsJson(fig, ctx.settingsUrl()) : figureCsv(fig, ctx.settingsUrl());
  return download(new Blob([text], { type: format === 'json' ? 'application/json' : 'text/csv' }), file);
}

/** Resolves once `root` (a lesson) has no job pending and nothing left to draw. */
function whenIdle(root) {
  const busy = () => root.hasAttribute('aria-busy') || root.hasAttribute('data-draw-pending');
  if (!busy()) return Promise.resolve();
  return new Promise((resolve) => {
    const watch = new MutationObserver(() => {
      if (busy()) return;
      watch.disconnect();
      resolve();
    });
    watch.observe(root, { attributes: true, attributeFilter: ['aria-busy', 'data-draw-pending'] });
  });
}

/** Saves `blob` as `name` through a temporary <a download> (no request leaves the page). */
function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000); // after the browser has read it
}

// ---- numbers -------------------------------------------------------------------

/** One CSV field: numbers as the CLI writes them, text quoted when it must be. */
function field(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(finiteOrString(v));
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const csvLine = (cells) => cells.map(field).join(',');
/** The comment lines every data file starts with: what it is and the settings that made it. */
const preamble = (fig, url) => [`# GradLab: ${fig.canvas.title || fig.name}`, `# ${url}`];

/** The CSV of the figure: a chart's series, or a heatmap's grid (figureData). */
export function figureCsv(fig, url) {
  const { columns, rows, notes } = figureData(fig);
  const lines = [...preamble(fig, url), ...notes.map((n) => `# ${n}`), csvLine(columns), ...rows.map(csvLine)];
  return lines.join('\n') + '\n';
}

function chartOf(fig) {
  const chart = globalThis.Chart?.getChart(fig.canvas);
  if (!chart) throw new Error(t('export.notDrawn', { name: fig.name }));
  return chart;
}

/**
 * Exactly the numbers a figure plots, as a table: {columns (header names),
 * rows (arrays of cells: numbers, strings, or null for no point), notes
 * (lines that say how to read it)}.  The CSV export writes it and the data
 * table (web/app/datatable.js) shows it, so both hold the same numbers.
 */
export function figureData(fig) {
  if (fig.kind === 'heatmap') return heatmapData(fig);
  if (fig.kind === 'regions') return regionsData(fig);
  return chartData(chartOf(fig));
}

/**
 * A chart's plotted numbers: the columns are the x axis title, then each
 * visible series with a point, by its label without the '_' that hides it
 * from the legend, then the lines a bundle draws; one row per x, in
 * increasing x.  A series with the same x twice (a step in a density line)
 * takes a second row at that x.
 */
function chartData(chart) {
  const series = [];
  chart.data.datasets.forEach((ds, i) => {
    if (ds.data.length && chart.isDatasetVisible(i)) series.push({ label: ds.label.replace(/^_/, ''), points: ds.data });
  });
  (chart.$bundle?.lines || []).forEach((line, i) => {
    if (line.length) series.push({ label: t('export.trial', { i: i + 1 }), points: line });
  });
  const rows = new Map(); // `${x}#${occurrence}` → {x, k, cells}
  series.forEach((s, j) => {
    const seen = new Map();
    for (const p of s.points) {
      const k = seen.get(p.x) || 0;
      seen.set(p.x, k + 1);
      const key = `${p.x}#${k}`;
      if (!rows.has(key)) rows.set(key, { x: p.x, k, cells: new Array(series.length).fill(null) });
      rows.get(key).cells[j] = p.v !== undefined ? p.v : p.y;
    }
  });
  const sorted = [...rows.values()].sort((a, b) => a.x - b.x || a.k - b.k);
  const xTitle = chart.options.scales.x.title?.text || 'x';
  return { columns: [xTitle, ...series.map((s) => s.label)], rows: sorted.map((r) => [r.x, ...r.cells]), notes: [] };
}

/** A heatmap's drawn columns as rows: step, the value of each layer (row of the picture), whether clipping acted. */
function heatmapData(fig) {
  const spec = drawnSpec(fig.canvas);
  if (!spec) throw new Error(t('export.notDrawn', { name: fig.name }));
  const { values, rows, cols, lo, hi, ticks, label } = spec;
  const columns = [t('export.step'), ...Array.from({ length: rows }, (_, r) => t('export.layer', { l: r })), ...(ticks ? [t('export.clipped')] : [])];
  const out = [];
  for (let c = 0; c < cols; c++) out.push([c, ...values.subarray(c * rows, (c + 1) * rows), ...(ticks ? [ticks[c]] : [])]);
  return { columns, rows: out, notes: [t('export.scale', { what: label || fig.name, lo: `1e${lo}`, hi: `1e${hi}` })] };
}

/** The decision regions' training points (x₁, x₂, class) as a table; the field of probabilities is in the JSON export. */
function regionsData(fig) {
  const spec = drawnSpec(fig.canvas);
  if (!spec) throw new Error(t('export.notDrawn', { name: fig.name }));
  const { X, y } = spec;
  return { columns: ['x₁', 'x₂', t('export.classCol')], rows: Array.from(y, (c, i) => [X[2 * i], X[2 * i + 1], c]), notes: [] };
}

/** The decision regions as JSON: the field of class-1 probabilities (rows from the top) and the points with their classes. */
export function regionsJson(fig, url) {
  const spec = drawnSpec(fig.canvas);
  if (!spec) throw new Error(t('export.notDrawn', { name: fig.name }));
  const { prob, grid, extent, X, y } = spec;
  return toJSON({
    title: fig.canvas.title, settings: url, extent, grid,
    prob: Array.from({ length: grid }, (_, r) => prob.subarray(r * grid, (r + 1) * grid)),
    points: Array.from(y, (c, i) => [X[2 * i], X[2 * i + 1], c]),
  }) + '\n';
}

// ---- pictures --------------------------------------------------------------------

/** The PNG (a Blob) of the figure. */
export async function figurePng(fig) {
  const s = pngScale();
  const rect = fig.canvas.getBoundingClientRect();
  const out = document.createElement('canvas');
  out.width = Math.round(rect.width * s);
  out.height = Math.round(rect.height * s);
  const g = out.getContext('2d');
  g.fillStyle = color('--bg');
  g.fillRect(0, 0, out.width, out.height);
  if (fig.kind === 'chart') drawChart(g, chartOf(fig), fig.canvas, s, out);
  else drawPicture(g, fig, s, out);
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error(t('export.noPng')))), 'image/png'));
}

const fontFamily = () => globalThis.Chart?.defaults.font.family || 'sans-serif';

/** `text` broken into lines no wider than `width` in the context's font. */
function wrap(g, text, width) {
  const lines = [];
  let line = '';
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && g.measureText(next).width > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Draws a Chart.js chart at s image pixels per CSS pixel with its title: the
 * chart re-renders itself at that ratio with the title on, is copied, and is
 * put back as it was — all in this task, so the page never shows it.
 */
function drawChart(g, chart, canvas, s, out) {
  const o = chart.config.options;
  const had = { ratio: o.devicePixelRatio, title: o.plugins.title };
  const font = { family: fontFamily(), size: 13, weight: 'bold' };
  g.font = `bold ${font.size}px ${font.family}`;
  o.devicePixelRatio = s;
  o.plugins.title = { display: true, text: wrap(g, canvas.title, chart.width - 24), color: color('--fg'), font };
  try {
    chart.update('none');
    chart.resize();
    g.drawImage(canvas, 0, 0, out.width, out.height);
  } finally {
    if (had.ratio === undefined) delete o.devicePixelRatio;
    else o.devicePixelRatio = had.ratio;
    if (had.title === undefined) delete o.plugins.title;
    else o.plugins.title = had.title;
    chart.update('none');
    chart.resize();
  }
}

/**
 * Draws a heatmap or decision regions: the title on top, the picture (pixels
 * kept sharp; the regions square) in the middle, its legend below — the
 * colour scale and the special colours, or the two classes.
 */
function drawPicture(g, fig, s, out) {
  const spec = drawnSpec(fig.canvas);
  if (!spec) throw new Error(t('export.notDrawn', { name: fig.name }));
  const pad = 6 * s;
  const size = 12 * s;
  const fg = color('--fg');
  g.textBaseline = 'top';
  g.fillStyle = fg;
  g.font = `bold ${size}px ${fontFamily()}`;
  const title = wrap(g, fig.canvas.title || fig.name, out.width - 2 * pad);
  title.forEach((line, i) => g.fillText(line, pad, pad + i * size * 1.25));
  const top = pad + title.length * size * 1.25 + pad / 2;
  g.font = `${size}px ${fontFamily()}`;
  const legend = layoutLegend(g, legendItems(spec), out.width - 2 * pad, size);
  const bottom = out.height - pad - legend.height;
  let [x, y, w, h] = [pad, top, out.width - 2 * pad, Math.max(1, bottom - top - pad / 2)];
  if (spec.kind === 'regions') { // square, centred
    const side = Math.min(w, h);
    [x, y, w, h] = [x + (w - side) / 2, y + (h - side) / 2, side, side];
  }
  g.imageSmoothingEnabled = false;
  g.drawImage(fig.canvas, x, y, w, h);
  legend.draw(pad, bottom, fg);
}

/** The legend's entries: {swatch: [r, g, b] | 'scale', text}. */
function legendItems(spec) {
  if (spec.kind === 'regions') {
    return spec.colors.map((c, i) => ({ swatch: color(c), text: t('export.class', { c: i }) }));
  }
  const rgb = (c) => `rgb(${c.join(',')})`;
  const items = [{ swatch: 'scale', text: `1e${spec.lo} … 1e${spec.hi}` }, { swatch: rgb(ZERO_RGB), text: t('export.zero') },
    { swatch: rgb(NONFINITE_RGB), text: t('export.nonfinite') }];
  if (spec.ticks) items.push({ swatch: 'rgb(214,39,40)', text: t('export.clipped') });
  return items;
}

/** Lays the legend's entries out in lines of `width`: {height, draw(x, y, textColor)}. */
function layoutLegend(g, items, width, size) {
  const gap = size * 0.8;
  const swatchW = (it) => (it.swatch === 'scale' ? size * 6 : size);
  const placed = [];
  let x = 0, line = 0;
  for (const it of items) {
    const w = swatchW(it) + size * 0.4 + g.measureText(it.text).width;
    if (x > 0 && x + w > width) { x = 0; line++; }
    placed.push({ ...it, x, line });
    x += w + gap;
  }
  const lineH = size * 1.4;
  return {
    height: (line + 1) * lineH,
    draw(x0, y0, fg) {
      g.textBaseline = 'middle';
      for (const it of placed) {
        const x = x0 + it.x, y = y0 + it.line * lineH, mid = y + lineH / 2;
        const sw = swatchW(it);
        if (it.swatch === 'scale') {
          for (let i = 0; i < sw; i++) {
            g.fillStyle = `rgb(${viridis(i / (sw - 1)).join(',')})`;
            g.fillRect(x + i, mid - size / 2, 1, size);
          }
        } else {
          g.fillStyle = it.swatch;
          g.fillRect(x, mid - size / 2, sw, size);
        }
        g.fillStyle = fg;
        g.fillText(it.text, x + sw + size * 0.4, mid);
      }
    },
  };
}
