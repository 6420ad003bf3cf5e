// chartkeys.js — a Chart.js chart's tooltip by keyboard.  The canvas takes
// focus (tabindex=0); Left/Right move the active point along a line,
// Up/Down go to the nearest x on the previous / next line, Home/End to the
// ends of the line, Escape hides it.  The point is shown by Chart.js's own
// tooltip (the same one the mouse shows) and its values are announced.
// Lines are the legend's: visible datasets whose label does not start with
// '_'; points are those the axis can place (a gap has no position).
import { t } from '../i18n.js';
import { fmtNum } from '../format.js';

const MOVES = {
  ArrowRight: (s) => ({ ...s, j: s.j + 1 }),
  ArrowLeft: (s) => ({ ...s, j: s.j - 1 }),
  ArrowDown: (s) => ({ ...s, line: s.line + 1, keepX: true }),
  ArrowUp: (s) => ({ ...s, line: s.line - 1, keepX: true }),
  Home: (s) => ({ ...s, j: 0 }),
  End: (s) => ({ ...s, j: Infinity }),
};

/** The lines a reader can visit: [{d (dataset index), label, idx (indices of placeable points)}]. */
function linesOf(chart) {
  const out = [];
  chart.data.datasets.forEach((ds, d) => {
    if (!chart.isDatasetVisible(d) || (ds.label || '').startsWith('_')) return;
    const idx = [];
    ds.data.forEach((p, i) => { if (p && Number.isFinite(p.x) && Number.isFinite(p.y)) idx.push(i); });
    if (idx.length) out.push({ d, label: ds.label, idx });
  });
  return out;
}

/**
 * Makes `canvas` (whose Chart getChart() returns, or null before it is made)
 * answer the keys above; say(text) announces a point.  Returns {clear()}.
 */
export function chartKeys(canvas, getChart, say) {
  canvas.tabIndex = 0;
  let at = null; // {line, j}: the active point, by position among linesOf()

  function show(chart, lines) {
    const line = lines[at.line];
    const i = line.idx[at.j];
    const active = [{ datasetIndex: line.d, index: i }];
    chart.setActiveElements(active);
    const el = chart.getDatasetMeta(line.d).data[i];
    chart.tooltip.setActiveElements(active, { x: el.x, y: el.y });
    chart.render();
    const p = chart.data.datasets[line.d].data[i];
    const { x, y } = chart.options.scales;
    say(t('readers.point', {
      series: line.label, x: x.title?.text || 'x', xv: fmtNum(p.x), y: y.title?.text || 'y', yv: fmtNum(p.y),
      i: at.j + 1, n: line.idx.length,
    }));
  }

  function clear(announce) {
    const chart = getChart();
    at = null;
    if (!chart) return;
    chart.setActiveElements([]);
    chart.tooltip.setActiveElements([], { x: 0, y: 0 });
    chart.render();
    if (announce) say(t('readers.cleared'));
  }

  canvas.addEventListener('keydown', (ev) => {
    const chart = getChart();
    if (!chart || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (ev.key === 'Escape') {
      if (at) { ev.preventDefault(); clear(true); }
      return;
    }
    const move = MOVES[ev.key];
    if (!move) return;
    ev.preventDefault(); // arrows and Home/End would scroll the page
    const lines = linesOf(chart);
    if (!lines.length) { say(t('readers.noPoints')); return; }
    let next;
    if (!at) next = { line: 0, j: ev.key === 'ArrowLeft' || ev.key === 'End' ? Infinity : 0 };
    else next = move(at);
    next.line = Math.max(0, Math.min(lines.length - 1, next.line));
    if (next.keepX && at && lines[at.line]) {
      // the point of the new line nearest in x to the one left
      const from = lines[Math.min(at.line, lines.length - 1)];
      const xOld = chart.data.datasets[from.d].data[from.idx[Math.min(at.j, from.idx.length - 1)]].x;
      const data = chart.data.datasets[lines[next.line].d].data;
      let best = 0;
      lines[next.line].idx.forEach((i, k) => {
        if (Math.abs(data[i].x - xOld) < Math.abs(data[lines[next.line].idx[best]].x - xOld)) best = k;
      });
      next.j = best;
    }
    next.j = Math.max(0, Math.min(lines[next.line].idx.length - 1, next.j));
    at = { line: next.line, j: next.j };
    show(chart, lines);
  });
  canvas.addEventListener('blur', () => { if (at) clear(false); });
  return { clear: () => clear(false) };
}
