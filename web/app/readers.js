// readers.js — every figure of a lesson for a reader who does not see it:
// under each figure a static "what you're looking at" line (the axes and what
// a point is; explanatory text, so prose=0 hides it, and it still describes the canvas), a live one-sentence summary of what it shows now (the
// canvas's accessible description), for a chart or a heatmap a "Data table"
// button that shows exactly the numbers it plots (export.js figureData),
// and on a Chart.js chart the tooltip by keyboard (chartkeys.js).
//
// The runtime calls mountReaders(ctx, figs) once the view and its export bars
// are built.  The lesson's summaries.js names, per figure ({name: the export's
// figure name, 'heat' / 'regions' for a lane's pictures, or a data-fig id for a
// figure without a canvas}), its line and its sentence:
//   {what: 'message key', say(f) → sentence}
// f: {chart (Chart.js, or null before it is made), spec (what a heatmap or
// regions canvas last drew), canvas, el (a figure without canvas), root,
// state, lane}.  Summaries and open tables are refreshed once the lesson's
// charts have not changed for SETTLE ms: a drag, a playing animation or a
// training run announces where it stopped, not every frame; and only the
// figures on screen are announced, so one change is not read out six times.
import { addMessages, applyI18n, getLang, t } from '../i18n.js';
import { figureData } from './export.js';
import { drawnSpec } from '../heatmap.js';
import { renderNothing, renderTable } from './datatable.js';
import { chartKeys } from './chartkeys.js';
import { writeSummary } from './summary.js';
import messages from '../messages/readers.js';

addMessages(messages, 'the readers');

/** Quiet time (ms) after the last change of a chart before its summary is announced. */
export const SETTLE = 600;

/** Lesson roots watching their charts' updates: root → changed(). */
const watching = new Map();
let registered = false;
/** One Chart.js plugin for every chart: an update tells the lesson holding the canvas. */
function watchCharts() {
  if (registered || !globalThis.Chart) return;
  registered = true;
  globalThis.Chart.register({
    id: 'glReaders',
    afterUpdate(chart) {
      for (const [root, changed] of watching) if (root.contains(chart.canvas)) changed();
    },
  });
}

/** The key of a figure in summaries.js. */
const keyOf = (fig) => (fig.kind === 'heatmap' ? 'heat' : fig.kind === 'regions' ? 'regions' : fig.name);

/** A new element with attributes. */
function make(tag, attrs = {}) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/**
 * Adds the readers' side to every figure of ctx.root.  figs: the figures
 * mountExports found ({name, kind, canvas, anchor, bar}).
 */
export function mountReaders(ctx, figs) {
  const { root, lesson } = ctx;
  const table = lesson.summaries || {};
  const units = [];
  const prefix = `rd-${lesson.id}`;
  // how to use the arrow keys: one hidden line for every chart of the lesson
  const keys = make('p', { id: `${prefix}-keys`, hidden: '', 'data-i18n': 'readers.keys' });
  root.append(keys);

  for (const fig of figs) {
    const entry = table[keyOf(fig)];
    const id = `${prefix}-${fig.name}`;
    // a lane's pictures are figure parts themselves (data-fig on the canvas): so are these lines
    const figAttr = fig.canvas.dataset.fig ? { 'data-fig': fig.canvas.dataset.fig } : {};
    const what = entry?.what ? make('p', { id: `${id}-what`, class: 'note what prose', 'data-i18n': entry.what, ...figAttr }) : null;
    const summary = make('p', { id: `${id}-summary`, class: 'visually-hidden', 'aria-live': 'off', 'data-summary': fig.name, ...figAttr });
    const box = make('div', { id: `${id}-table`, class: 'data-table-box', hidden: '', 'data-table': fig.name, ...figAttr });
    const button = make('button', { type: 'button', id: `${id}-tablebtn`, 'aria-expanded': 'false', 'aria-controls': box.id,
      'aria-labelledby': `${id}-tablebtn ${fig.canvas.id}`, 'data-table-toggle': fig.name });
    button.append(make('span', { 'data-i18n': 'readers.table' }));
    fig.bar.append(button);
    fig.bar.after(...[what, summary, box].filter(Boolean));
    const describedBy = [what?.id, summary.id];
    const unit = { fig, entry, summary, box, button, el: null, quiet: true };
    if (fig.kind === 'chart') {
      const getChart = () => globalThis.Chart?.getChart(fig.canvas) || null;
      const say = make('p', { class: 'visually-hidden', 'aria-live': 'polite', 'data-say': fig.name, ...figAttr });
      box.before(say);
      chartKeys(fig.canvas, getChart, (text) => { say.textContent = text; });
      fig.canvas.setAttribute('role', 'application');
      fig.canvas.setAttribute('aria-roledescription', t('readers.chart'));
      describedBy.push(keys.id);
    }
    fig.canvas.setAttribute('aria-describedby', describedBy.join(' '));
    button.addEventListener('click', () => {
      const open = box.hidden;
      box.hidden = !open;
      button.setAttribute('aria-expanded', String(open));
      if (open) fillTable(unit);
    });
    units.push(unit);
  }

  // figures without a canvas (a printed matrix, the derivation's table): a line and a summary after them
  const withCanvas = new Set(figs.flatMap((f) => (f.canvas.closest('[data-fig]')?.dataset.fig || '').split(/\s+/)));
  for (const [key, entry] of Object.entries(table)) {
    if (withCanvas.has(key) || figs.some((f) => keyOf(f) === key)) continue;
    const parts = [...root.querySelectorAll('[data-fig]')].filter((e) => e.dataset.fig.split(/\s+/).includes(key));
    if (!parts.length) continue;
    const el = parts[parts.length - 1];
    const id = `${prefix}-${key}`;
    const what = entry.what ? make('p', { id: `${id}-what`, class: 'note what prose', 'data-i18n': entry.what, 'data-fig': key }) : null;
    const summary = make('p', { id: `${id}-summary`, class: 'visually-hidden', 'aria-live': 'off', 'data-summary': key, 'data-fig': key });
    el.after(...[what, summary].filter(Boolean));
    units.push({ fig: null, entry, summary, el: parts[0], quiet: true });
  }
  applyI18n(root);

  function fillTable(u) {
    let data = null;
    try { data = figureData(u.fig); } catch { data = null; }
    if (data) renderTable(u.box, data, u.fig.canvas.title || u.fig.name, u.box.id);
    else renderNothing(u.box);
  }

  let lang = getLang();
  function refresh() {
    timer = null;
    const relabelled = getLang() !== lang;
    lang = getLang();
    for (const u of units) {
      if (relabelled && u.fig?.kind === 'chart') u.fig.canvas.setAttribute('aria-roledescription', t('readers.chart'));
      let text = '';
      if (u.entry?.say) {
        const f = {
          root, state: ctx.state, el: u.el, canvas: u.fig?.canvas || null,
          chart: u.fig?.kind === 'chart' ? globalThis.Chart?.getChart(u.fig.canvas) || null : null,
          spec: u.fig && u.fig.kind !== 'chart' ? drawnSpec(u.fig.canvas) || null : null,
          lane: u.fig ? Number(u.fig.canvas.dataset.heat || u.fig.canvas.dataset.region || 0) : 0,
        };
        // a chart made on first use, or a picture, that is not drawn yet has nothing to say
        const drawn = !u.fig || f.spec || f.chart?.data.datasets.some((ds) => ds.data.length);
        try {
          text = drawn ? u.entry.say(f) || '' : '';
        } catch (e) {
          console.error(`summary of ${lesson.id}/${u.fig?.name || 'figure'}:`, e); // a bug in summaries.js: the tests watch for it
        }
      }
      if (!text) text = t('readers.notDrawn');
      // only figures on screen speak up (Init redraws six at once); the others' descriptions change quietly
      const rect = (u.fig?.canvas || u.el).getBoundingClientRect();
      const onScreen = rect.bottom > 0 && rect.top < innerHeight && rect.height > 0;
      writeSummary(u.summary, text, u.quiet || relabelled || !onScreen);
      if (text !== t('readers.notDrawn')) u.quiet = false;
      if (u.box && !u.box.hidden) fillTable(u);
    }
    delete root.dataset.readersPending;
  }
  let timer = null;
  function changed() {
    root.dataset.readersPending = ''; // tests wait for it to go
    clearTimeout(timer);
    timer = setTimeout(refresh, SETTLE);
  }
  watching.set(root, changed);
  watchCharts();
  // a drawing of the lesson (pictures drawn by hand, tables, a new language) counts as a change too
  new MutationObserver(changed).observe(root, { attributes: true, attributeFilter: ['data-drawn'] });
  changed();
}
