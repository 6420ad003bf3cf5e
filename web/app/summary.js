// summary.js — a figure's live text summary: one sentence, from the numbers
// on show, in the page's language, written by the lesson
// (web/lessons/<id>/summaries.js) with the helpers below.  The sentence is
// the chart's accessible description and sits in a polite live region, which
// is written only once changes pause (readers.js), and silently when the
// change is the language or the first drawing: a screen reader hears what a
// control did, not every frame of a drag or an animation.
import { getLang } from '../i18n.js';
import { fmtNum } from '../format.js';

export { fmtNum };

/**
 * Every dataset of a Chart.js chart as plotted: [{label, shown, points: [{x, v}]}],
 * index-aligned with chart.data.datasets; v is the value computed (also where
 * the chart shows a gap); shown: visible, with points, and in the legend.
 */
export function lineData(chart) {
  return chart.data.datasets.map((ds, i) => ({
    label: (ds.label || '').replace(/^_/, ''),
    shown: chart.isDatasetVisible(i) && ds.data.length > 0 && !(ds.label || '').startsWith('_'),
    points: ds.data.map((p) => ({ x: p.x, v: p.v !== undefined ? p.v : p.y })),
  }));
}

/** The last point of a line, or undefined. */
export const last = (line) => line.points[line.points.length - 1];

/** How many powers of ten separate a and b (log10 |b/a|, rounded), or null when one is 0 or not finite. */
export function orders(a, b) {
  const r = Math.log10(Math.abs(b / a));
  return Number.isFinite(r) ? Math.round(r) : null;
}

/** Items joined as a list in the page's language. */
export const list = (items) => items.join(getLang() === 'zh' ? '；' : '; ');

/** The smallest and largest finite value of a line's points ({lo, hi} or null). */
export function range(values) {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return lo <= hi ? { lo, hi } : null;
}

/**
 * Writes `text` into the live region `el`; quiet: with the region off for
 * the change (a new language, the first drawing), on again afterwards.
 */
export function writeSummary(el, text, quiet) {
  if (el.textContent === text) return;
  if (quiet) el.setAttribute('aria-live', 'off');
  el.textContent = text;
  // back on after the accessibility tree has taken the quiet change in
  if (quiet) setTimeout(() => el.setAttribute('aria-live', 'polite'), 300);
}
