// charts.js — Chart.js helpers.  One Chart per canvas, created once and then
// updated in place with chart.update('none') (no animation, no re-creation).
// Chart.js comes from npm (web/gen/chart.umd.min.js, a classic script that
// defines the global Chart).
//
// Non-finite numbers: Chart.js cannot place Infinity or NaN on an axis, so
// finiteOrNull() turns them into null, which Chart.js draws as a gap; panels
// say in words where and why a series stopped (e.g. float32 overflow).
//
// Colours: a lesson names a colour by its custom property in web/style.css
// (COLORS[i] is '--series-i'; a literal '#rrggbb' works too); the charts
// resolve it for the theme on show, and rethemeCharts() recolours every chart
// (axes, grid, legend, datasets) when the theme changes.
import { fmtNum, linearTick } from './format.js';
import { cssColor } from './theme.js';

export { fmtNum };

/** The Chart constructor (global from chart.umd.min.js), with linear axes
 *  labelled by linearTick (format.js: Chart.js's own labels without Intl, whose
 *  first use costs a fresh page 50–150 ms before its first chart). */
function ChartCtor() {
  const C = globalThis.Chart;
  if (!C) throw new Error('Chart.js (web/gen/chart.umd.min.js) is not loaded: run ./build-wasm.sh');
  if (C.defaults.scales.linear.ticks.callback !== linearTick) C.defaults.scales.linear.ticks.callback = linearTick;
  return C;
}

/** The series colours, as the names of their custom properties (web/style.css). */
export const COLORS = Array.from({ length: 8 }, (_, i) => `--series-${i}`);

/** Resolved colours of the theme on show, by property name; emptied on a theme change. */
const resolved = new Map();
/** A colour as Chart.js and a canvas take it: a custom property's value, or the colour itself. */
export function color(c) {
  if (typeof c !== 'string' || !c.startsWith('--')) return c;
  if (!resolved.has(c)) resolved.set(c, cssColor(c));
  return resolved.get(c);
}

/** Writes the axis, grid, title and legend colours of the theme on show into
 *  options (a new chart's config, or chart.options of a live one). */
function themeOptions(o) {
  const text = color('--chart-text');
  const grid = color('--chart-grid');
  o.color = text;
  for (const scale of Object.values(o.scales)) {
    (scale.ticks ||= {}).color = text;
    (scale.title ||= {}).color = text;
    (scale.grid ||= {}).color = grid;
    (scale.border ||= {}).color = grid;
  }
  ((o.plugins.legend ||= {}).labels ||= {}).color = text;
}

/** Recolours every chart on the page for the theme now on show, and redraws it. */
export function rethemeCharts() {
  resolved.clear();
  const C = globalThis.Chart;
  if (!C) return;
  for (const chart of Object.values(C.instances)) {
    themeOptions(chart.options);
    for (const ds of chart.data.datasets) paint(ds);
    chart.update('none');
  }
}

/** y as a number, or null (a gap) when it is not finite or not positive on a log axis. */
export function finiteOrNull(y, log = false) {
  return Number.isFinite(y) && (!log || y > 0) ? y : null;
}

/**
 * Points {x, y} from parallel arrays, with gaps for values an axis cannot show;
 * a gap keeps the value it stands for as v ({x, y: null, v: Infinity}), so an
 * export writes the number computed, not the hole in the line.
 */
export function points(xs, ys, log = false) {
  const out = new Array(ys.length);
  for (let i = 0; i < ys.length; i++) {
    const v = Number(ys[i]);
    const y = finiteOrNull(v, log);
    out[i] = y === null ? { x: Number(xs[i]), y, v } : { x: Number(xs[i]), y };
  }
  return out;
}

/**
 * Many thin lines drawn straight onto the canvas beneath the datasets (the
 * Exploding panel's fan of trials).  As datasets, Chart.js would build an
 * element and resolve options for every point of every line (~0.15 ms a
 * 100-point line on the benchmark machine, most of a redraw); here each line
 * is one path, stroked on its own so that overlapping lines look denser.  The
 * lines widen the y axis to fit and take no part in legend or tooltip.  Set
 * with setBundle().
 */
const bundlePlugin = {
  id: 'glBundle',
  afterDataLimits(chart, { scale }) {
    const b = chart.$bundle;
    if (!b || scale.axis !== 'y') return;
    const log = scale.type === 'logarithmic';
    let lo = Infinity, hi = -Infinity;
    for (const line of b.lines) {
      for (const p of line) {
        if (!Number.isFinite(p.y) || (log && p.y <= 0)) continue; // what the axis cannot show
        if (p.y < lo) lo = p.y;
        if (p.y > hi) hi = p.y;
      }
    }
    if (!(lo <= hi)) return;
    // Without any dataset value the scale holds a made-up range (0..1, 1..10
    // on a log axis): the lines replace it rather than widen it.  Bounds the
    // options set stay.
    const data = scale.getMinMax(true);
    const empty = !(Number.isFinite(data.min) && Number.isFinite(data.max));
    const { minDefined, maxDefined } = scale.getUserBounds();
    if (!minDefined) scale.min = empty ? lo : Math.min(scale.min, lo);
    if (!maxDefined) scale.max = empty ? hi : Math.max(scale.max, hi);
  },
  beforeDatasetsDraw(chart) {
    const b = chart.$bundle;
    if (!b || !b.lines.length) return;
    const { ctx, chartArea: area, scales: { x, y } } = chart;
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.width, area.height);
    ctx.clip();
    ctx.strokeStyle = color(b.token);
    ctx.lineWidth = b.width;
    ctx.lineJoin = 'round';
    for (const line of b.lines) {
      ctx.beginPath();
      let pen = false; // a null y lifts it: a gap, as in a dataset
      for (const p of line) {
        if (p.y === null) {
          pen = false;
          continue;
        }
        const px = x.getPixelForValue(p.x), py = y.getPixelForValue(p.y);
        if (pen) ctx.lineTo(px, py);
        else ctx.moveTo(px, py);
        pen = true;
      }
      ctx.stroke();
    }
    ctx.restore();
  },
};

/** The lines (arrays of {x, y}, y null for a gap) that chart's bundle draws
 *  at its next update, with {color, width}; [] for none. */
export function setBundle(chart, lines, { color: token = '--chart-fan', width = 1 } = {}) {
  chart.$bundle = { lines, token, width };
}

/**
 * A line chart on a linear x axis.  opts: {yLog, xTitle, yTitle, datasets:
 * [{label, color, dash, width, points}], legend (default true)}.
 */
export function lineChart(canvas, opts) {
  const Chart = ChartCtor();
  // Never animated (reduced motion or not): a redraw shows the new state at once.
  const options = {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    normalized: true,
    spanGaps: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    elements: { point: { radius: 0, hitRadius: 6, hoverRadius: 4 }, line: { tension: 0 } },
    scales: {
      x: {
        type: opts.xLog ? 'logarithmic' : 'linear',
        title: { display: !!opts.xTitle, text: opts.xTitle || '' },
        ticks: opts.xLog ? { callback: (v) => logTick(v), autoSkip: false, maxRotation: 0 } : {},
        afterBuildTicks: opts.xLog ? decadesOnly : undefined,
      },
      y: {
        type: opts.yLog ? 'logarithmic' : 'linear',
        title: { display: !!opts.yTitle, text: opts.yTitle || '' },
        ticks: opts.yLog ? { callback: (v) => logTick(v) } : {},
        afterBuildTicks: opts.yLog ? decadesOnly : undefined,
      },
    },
    plugins: {
      legend: { display: opts.legend !== false, labels: { filter: (item) => !item.text.startsWith('_') } },
      tooltip: {
        filter: (item) => !item.dataset.label.startsWith('_'),
        callbacks: {
          title: (items) => (items.length ? `${opts.xLabel ? opts.xLabel() : 'x'} = ${fmtNum(items[0].parsed.x)}` : ''),
          label: (item) => `${item.dataset.label}: ${fmtNum(item.parsed.y)}`,
        },
      },
    },
  };
  themeOptions(options);
  return new Chart(canvas, {
    type: 'line',
    plugins: [bundlePlugin],
    data: { datasets: (opts.datasets || []).map(datasetStyle) },
    options,
  });
}

/**
 * Keeps only the powers of ten of a log axis (at most ~12, thinned evenly):
 * Chart.js builds 1…9 × 10^k and measures every label, which costs more than
 * drawing the data when the axis spans 30 decades.
 */
function decadesOnly(axis) {
  const decades = axis.ticks.filter((t) => Math.abs(Math.log10(t.value) - Math.round(Math.log10(t.value))) < 1e-9);
  const every = Math.max(1, Math.ceil(decades.length / 12));
  axis.ticks = decades.length >= 2 ? decades.filter((_, i) => i % every === 0) : axis.ticks;
}

/** Log-axis ticks: only powers of ten, written 1e-5. */
function logTick(v) {
  const e = Math.log10(v);
  return Math.abs(e - Math.round(e)) < 1e-9 ? (Math.abs(e) < 4 ? String(Number(v.toPrecision(1))) : `1e${Math.round(e)}`) : '';
}

/** Chart.js dataset options from {label, color, dash, width, points, fill}. */
export function datasetStyle(d) {
  return paint({
    label: d.label,
    data: d.points || [],
    borderDash: d.dash || [],
    borderWidth: d.width ?? 2,
    pointRadius: d.pointRadius ?? 0,
    pointStyle: d.pointStyle || 'circle',
    showLine: d.showLine ?? true,
    order: d.order ?? 0,
  }, d.color, d.fill || d.color);
}

/** The colour names a dataset was given ({line, fill}), to resolve again for another theme. */
const named = new WeakMap();
/** Sets a dataset's colours for the theme on show (from line and fill, or the names it was given). */
function paint(ds, line, fill) {
  if (line !== undefined) named.set(ds, { line, fill });
  const n = named.get(ds);
  if (!n) return ds;
  ds.borderColor = color(n.line);
  ds.backgroundColor = color(n.fill);
  return ds;
}

/**
 * Replaces datasets' data/labels in place and redraws without animation;
 * titles = [x, y] sets the axis titles in the same redraw (Chart.js applies
 * option changes only at an update, so titles set afterwards would lag one
 * draw behind).
 */
export function setSeries(chart, series, titles = null) {
  if (titles) setTitles(chart, ...titles);
  series.forEach((s, i) => {
    const ds = chart.data.datasets[i] || (chart.data.datasets[i] = datasetStyle(s));
    if (s.points) ds.data = s.points;
    if (s.label !== undefined) ds.label = s.label;
    if (s.hidden !== undefined) ds.hidden = s.hidden;
    const n = named.get(ds);
    if (s.color !== undefined && (!n || s.color !== n.line || (s.fill || s.color) !== n.fill)) paint(ds, s.color, s.fill || s.color);
  });
  chart.data.datasets.length = series.length;
  chart.update('none');
}

function setTitles(chart, xTitle, yTitle) {
  chart.options.scales.x.title.text = xTitle;
  chart.options.scales.y.title.text = yTitle;
  chart.options.scales.x.title.display = !!xTitle;
  chart.options.scales.y.title.display = !!yTitle;
}

/**
 * lineChart(canvas, opts) made on first use: get() returns the chart,
 * creating it then.  Creating a Chart costs ~25 ms (it measures the page), so
 * a view with several charts creates them inside its time-sliced drawing
 * rather than all at once when it is built.
 */
export function lazyChart(canvas, opts) {
  let chart = null;
  return () => (chart ||= lineChart(canvas, opts));
}
