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
import { addMessages, t } from './i18n.js';
import messages from './messages/charts.js';

addMessages(messages, 'the charts');

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
/**
 * A chart is made when its lesson is built, before its first result: drawing
 * it then (empty axes, ~30% of making it) only delays the first chart with
 * data.  Until a dataset first has data, its draws are skipped.
 */
const firstDataPlugin = {
  id: 'glFirstData',
  beforeDraw(chart) {
    if (!chart.$hadData) chart.$hadData = chart.data.datasets.some((d) => d.data.length > 0) || !!chart.$bundle?.lines.length;
    return chart.$hadData;
  },
};

/** Saves chart's context and clips it to the plotting area (restore() after drawing). */
function clipToArea(chart) {
  const { ctx, chartArea: area } = chart;
  ctx.save();
  ctx.beginPath();
  ctx.rect(area.left, area.top, area.width, area.height);
  ctx.clip();
}

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
    const { ctx, scales: { x, y } } = chart;
    clipToArea(chart);
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

/**
 * Markers on every `every`-th point of a line, from its `at`-th on (a series'
 * `marks`: {style, every, at, radius}), in the line's colours: a shape that
 * tells lines apart where they overlap.  Drawn here rather than given as a
 * scriptable pointRadius, which made Chart.js resolve the options of every
 * point of the line on every update (at depth 200, ~25 ms a chart instead of
 * ~10).  Points of a gap (y null) get none.
 */
const marksPlugin = {
  id: 'glMarks',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const drawPoint = globalThis.Chart.helpers.drawPoint;
    chart.data.datasets.forEach((ds, i) => {
      const m = ds.$marks;
      if (!m || !chart.isDatasetVisible(i)) return;
      const pts = chart.getDatasetMeta(i).data;
      const opts = { pointStyle: m.style, radius: m.radius, rotation: 0, borderWidth: ds.borderWidth };
      clipToArea(chart);
      ctx.strokeStyle = ds.borderColor;
      ctx.fillStyle = ds.backgroundColor;
      ctx.lineWidth = ds.borderWidth;
      for (let k = m.at; k < pts.length; k += Math.max(1, m.every)) {
        if (!pts[k].skip) drawPoint(ctx, opts, pts[k].x, pts[k].y);
      }
      ctx.restore();
    });
  },
};

/** The lines (arrays of {x, y}, y null for a gap) that chart's bundle draws
 *  at its next update, with {color, width}; [] for none. */
export function setBundle(chart, lines, { color: token = '--chart-fan', width = 1 } = {}) {
  chart.$bundle = { lines, token, width };
}

/**
 * Series that draw as one line.  Two visible datasets coincide when they have
 * the same x at every point, a point drawn where the other has one, and at
 * every such point values within a relative 1e-3 of each other or closer
 * than COINCIDE_PX on the chart as drawn (sigmoid's mean and median differ by
 * 7% at most: on an axis of 60 decades that is a fraction of a pixel).
 */
export const COINCIDE_PX = 2;
const COINCIDE_REL = 1e-3;

/**
 * The pairs of chart's visible legend series that coincide, as drawn at its
 * last update: [{a, b (dataset indices, a < b), rel (largest relative difference)}].
 */
export function coincidingPairs(chart) {
  const y = chart.scales?.y;
  // the series the legend lists (a label starting with '_' is left out of it)
  const sets = chart.data.datasets.map((ds, i) => (chart.isDatasetVisible(i) && ds.data.length && !ds.label.startsWith('_') ? ds.data : null));
  const pairs = [];
  for (let a = 0; a < sets.length; a++) {
    for (let b = a + 1; b < sets.length; b++) {
      const p = sets[a], q = sets[b];
      if (!p || !q || p.length !== q.length) continue;
      let rel = 0, px = 0, both = 0, same = true;
      for (let i = 0; i < p.length && same; i++) {
        if (p[i].x !== q[i].x || (p[i].y === null) !== (q[i].y === null)) same = false;
        else if (p[i].y !== null) {
          both++;
          const u = p[i].y, v = q[i].y;
          if (u !== v) rel = Math.max(rel, Math.abs(u - v) / Math.max(Math.abs(u), Math.abs(v)));
          if (y) px = Math.max(px, Math.abs(y.getPixelForValue(u) - y.getPixelForValue(v)));
        }
      }
      if (same && both && (rel < COINCIDE_REL || (y && px < COINCIDE_PX))) pairs.push({ a, b, rel });
    }
  }
  return pairs;
}

/** One sentence per pair of coinciding series of chart, in the current language ('' for none). */
export function coincideText(chart, pairs = coincidingPairs(chart)) {
  const label = (i) => chart.data.datasets[i].label.replace(/^_/, '');
  return pairs.map(({ a, b, rel }) => t(rel === 0 ? 'chart.equal' : 'chart.coincide', {
    a: label(a), b: label(b), pct: fmtNum(100 * rel),
  })).join(' ');
}

/**
 * Calls chart.$onCoincide(pairs) (this: the chart) after every update (new
 * data, a resize, a theme), so a note saying which series draw as one line
 * stays true.
 */
const coincidePlugin = {
  id: 'glCoincide',
  afterUpdate(chart) {
    if (chart.$onCoincide) chart.$onCoincide.call(chart, coincidingPairs(chart));
  },
};

/**
 * A line chart on a linear x axis.  opts: {yLog, xTitle, yTitle, datasets:
 * [{label, color, dash, width, points}], legend (default true), onCoincide
 * (called with coincidingPairs after every update)}.
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
        ...axisOptions(opts.xLog, { autoSkip: false, maxRotation: 0 }),
        title: { display: !!opts.xTitle, text: opts.xTitle || '' },
      },
      y: {
        ...axisOptions(opts.yLog),
        title: { display: !!opts.yTitle, text: opts.yTitle || '' },
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
  const chart = new Chart(canvas, {
    type: 'line',
    plugins: [firstDataPlugin, bundlePlugin, coincidePlugin, marksPlugin],
    data: { datasets: (opts.datasets || []).map(datasetStyle) },
    options,
  });
  if (opts.onCoincide) chart.$onCoincide = opts.onCoincide;
  chart.$base = opts.datasets || []; // the styles setSeries falls back on, by index
  return chart;
}

/** Fewest labelled ticks a log axis shows, and most (Chart.js measures every label). */
export const LOG_TICKS_MIN = 3;
const LOG_TICKS_MAX = 12;
/** Narrowest relative range a log axis ticks as it is; toPrecision(12) labels it apart. */
const NARROWEST = 1e-10;

/** Every `every`-th of values, at most `most` of them (every other decade, every third…). */
function thin(values, most) {
  const every = Math.max(1, Math.ceil(values.length / most));
  return values.filter((_, i) => i % every === 0);
}

/**
 * The ticks of a log axis over [min, max], each of them labelled: the powers
 * of ten when at least LOG_TICKS_MIN fall inside (thinned evenly to at most
 * LOG_TICKS_MAX when the axis spans 30 decades); under three decades the
 * 1-2-5 steps of each decade, then every m·10^k (m = 1…9); on a range too
 * narrow even for those (a gradient that stays 1 ± 2%), evenly spaced round
 * numbers.  Chart.js's own log ticks label only the powers of ten, so a range
 * below a decade (ReLU's 0.5…1) showed a single labelled tick.
 */
export function logTickValues(min, max) {
  if (!(min > 0 && max >= min && Number.isFinite(max))) return [];
  const tol = 1e-9;
  const inside = (v) => v >= min * (1 - tol) && v <= max * (1 + tol);
  const lo = Math.floor(Math.log10(min)), hi = Math.ceil(Math.log10(max));
  const decades = [];
  for (let k = lo; k <= hi; k++) if (inside(10 ** k)) decades.push(k);
  if (decades.length >= LOG_TICKS_MIN) return thin(decades, LOG_TICKS_MAX).map((k) => Number(`1e${k}`));
  for (const steps of [[1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
    const vals = [];
    for (let k = lo; k <= hi; k++) for (const m of steps) if (inside(m * 10 ** k)) vals.push(Number(`${m}e${k}`));
    if (vals.length >= LOG_TICKS_MIN) return thin(vals, LOG_TICKS_MAX);
  }
  // evenly spaced: the widest round step (1, 2 or 5 × 10^k) giving at least
  // 3 ticks inside (8 at most).  A range narrower than NARROWEST of its values (a line that is
  // one number up to rounding) gets none: the caller widens it.  Without
  // that bound min / step passed 2^53, where i++ no longer moves, and the
  // loop grew its array until the page died (found by the soak test).
  if (max - min <= NARROWEST * max) return [];
  const raw = (max - min) / (LOG_TICKS_MIN + 1);
  const p = 10 ** Math.floor(Math.log10(raw));
  const ticks = (step) => {
    const first = Math.ceil(min / step - tol);
    const vals = [];
    for (let i = 0; i < LOG_TICKS_MAX && (first + i) * step <= max * (1 + tol); i++) vals.push(Number(((first + i) * step).toPrecision(12)));
    return vals;
  };
  // the widest step with three ticks: p itself has four or more (raw ≥ p), so one does
  for (const m of [10, 5, 2, 1]) {
    const vals = ticks(m * p);
    if (vals.length >= LOG_TICKS_MIN) return vals;
  }
  return [];
}

/**
 * v rounded down (dir < 0) or up to a multiple of 10^e: an end of a log axis
 * just outside the data, as Chart.js's own ends were.  v itself where the
 * step is not a positive double or the rounded value would not enclose it (a
 * subnormal's digits); the largest double where rounding up would overflow.
 */
function roundLogEnd(v, e, dir) {
  const p = 10 ** e;
  if (!(p > 0 && Number.isFinite(p))) return v;
  const r = (dir < 0 ? Math.floor((v / p) * (1 + 1e-12)) : Math.ceil((v / p) * (1 - 1e-12))) * p;
  if (dir > 0 && r === Infinity) return Number.MAX_VALUE;
  // the 1e-12 that keeps 3·10^e from rounding to 4·10^e must not cut the data
  return r > 0 && Number.isFinite(r) && (dir < 0 ? r <= v : r >= v) ? r : v;
}

/**
 * The ends of a log axis over data in [lo, hi] (0 < lo <= hi, finite): over
 * a decade or more, each end rounded outward to m·10^k (m = 1…9, its own k);
 * a narrower range to a tenth of its width's power of ten, so that a gradient
 * of 1 ± 2% still fills the plot.
 */
export function logAxisEnds(lo, hi) {
  if (hi / lo >= 10) return [roundLogEnd(lo, Math.floor(Math.log10(lo)), -1), roundLogEnd(hi, Math.floor(Math.log10(hi)), 1)];
  const e = Math.floor(Math.log10(hi - lo)) - 1;
  return [roundLogEnd(lo, e, -1), roundLogEnd(hi, e, 1)];
}

/**
 * beforeBuildTicks of every log axis: keeps the range of the data (bounds the
 * options set included) and narrows the axis to one point, so that Chart.js's
 * own tick generator makes a single tick.  Over the real range it made every
 * 1…9 × 10^k (~1,400 for 140 decades, ~6,600 for 600), and its rounding
 * failed at the extremes: data near 1e-138 started its ticks at 0, data past
 * 1e308 ended them at 2e308 = Infinity.  The axis's ends are Chart.js's first
 * and last tick, so ours were then never made and its thousands of labels
 * were measured instead: 50–170 ms an update during a drag.
 */
function keepLogRange(axis) {
  axis.$range = [axis.min, axis.max];
  axis.max = axis.min;
}

/**
 * afterBuildTicks of every log axis: restores the range keepLogRange kept,
 * rounded outward (logAxisEnds) where the options set no bound, and gives it
 * logTickValues' ticks, widened to the round values next to the data when
 * the range holds fewer than LOG_TICKS_MIN (a single value: Chart.js already
 * spans a decade either side).
 */
function logTicks(axis) {
  const [lo, hi] = axis.$range;
  const { minDefined, maxDefined } = axis.getUserBounds();
  const valid = lo > 0 && hi >= lo && Number.isFinite(hi);
  const [a, b] = valid ? logAxisEnds(lo, hi) : [lo, hi];
  axis.min = minDefined ? lo : a;
  axis.max = maxDefined ? hi : b;
  let values = logTickValues(axis.min, axis.max);
  if (values.length < LOG_TICKS_MIN && valid) {
    const widened = logTickValues(axis.min / 1.5, axis.max * 1.5);
    if (widened.length >= LOG_TICKS_MIN) {
      values = widened;
      if (!minDefined) axis.min = Math.min(axis.min, values[0]);
      if (!maxDefined) axis.max = Math.max(axis.max, values[values.length - 1]);
    }
  }
  axis.ticks = (values.length ? values : valid ? [axis.min, axis.max] : []).map((value) => ({ value }));
  // what Chart.js's buildTicks sets from the axis's ends
  [axis.start, axis.end] = axis.options.reverse ? [axis.max, axis.min] : [axis.min, axis.max];
}

/**
 * A log axis's tick label: powers of ten as 0.01, 1, 1e-5; others with as
 * many digits as tell them from their neighbours in `ticks` (0.5, 2e-7,
 * 0.9995).
 */
export function logTick(v, i = 0, ticks = []) {
  const e = Math.log10(v);
  const k = Math.round(e);
  if (Math.abs(e - k) < 1e-9) return Math.abs(k) < 4 ? String(Number(v.toPrecision(1))) : `1e${k}`;
  let gap = Infinity;
  for (const j of [i - 1, i + 1]) if (ticks[j]) gap = Math.min(gap, Math.abs(ticks[j].value - v));
  const digits = Math.min(15, Math.max(1, Number.isFinite(gap) ? Math.ceil(Math.log10(v / gap) + 1e-9) + 1 : 3));
  const f = Math.floor(e + 1e-9);
  if (f >= -3 && f < 4) return String(Number(v.toPrecision(digits)));
  return `${Number((v / 10 ** f).toPrecision(digits))}e${f}`;
}

/** The options of a log (log = true) or linear axis, ticks included. */
function axisOptions(log, extra = {}) {
  return {
    type: log ? 'logarithmic' : 'linear',
    ticks: log ? { callback: logTick, ...extra } : {},
    beforeBuildTicks: log ? keepLogRange : undefined,
    afterBuildTicks: log ? logTicks : undefined,
  };
}

/** Switches a chart's y axis between log and linear (drawn at its next update). */
export function setLogY(chart, log) {
  const y = chart.options.scales.y;
  if ((y.type === 'logarithmic') === log) return;
  const { ticks, ...rest } = axisOptions(log);
  Object.assign(y, rest);
  y.ticks = { ...ticks, color: y.ticks?.color };
}

/** A series' style keys: the dataset option each sets, and its default. */
const STYLE = {
  dash: ['borderDash', []],
  width: ['borderWidth', 2],
  pointRadius: ['pointRadius', 0],
  pointStyle: ['pointStyle', 'circle'],
  showLine: ['showLine', true],
  order: ['order', 0],
};

/** Sets ds's style from series d, then base (the chart's own for that index), then the defaults. */
function applyStyle(ds, d, base = {}) {
  for (const [key, [option, fallback]] of Object.entries(STYLE)) ds[option] = d[key] ?? base[key] ?? fallback;
  ds.$marks = d.marks ?? base.marks ?? null; // drawn by marksPlugin
  return ds;
}

/** Chart.js dataset options from {label, color, dash, width, pointRadius, pointStyle, showLine, order, points, fill}, and marks (marksPlugin). */
export function datasetStyle(d) {
  return paint(applyStyle({ label: d.label, data: d.points || [] }, d), d.color, d.fill || d.color);
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
 * Replaces datasets' data/labels in place and redraws without animation
 * (each dataset's style from its series, else from the chart's datasets at
 * creation, else the defaults);
 * titles = [x, y] sets the axis titles in the same redraw (Chart.js applies
 * option changes only at an update, so titles set afterwards would lag one
 * draw behind).
 */
export function setSeries(chart, series, titles = null) {
  if (titles) setTitles(chart, ...titles);
  series.forEach((s, i) => {
    const ds = chart.data.datasets[i] || (chart.data.datasets[i] = datasetStyle(s));
    // a dataset keeps its index, not its role: when the series before it come
    // and go (a scheme without theory, fewer lanes) it must not keep the dash
    // of the line it drew before
    applyStyle(ds, s, chart.$base?.[i]);
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
