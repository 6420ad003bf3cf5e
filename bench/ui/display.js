// display.js — the display-only probe: a control that only changes what is
// shown (which layer's histogram, which statistic is plotted) should redraw
// from the result on screen and compute nothing.
import { median } from '../lib/stats.js';
import { openPage, settle } from './page.js';

/** In the page: changes control `key` of lesson `panel` (a slider one step, a
 *  select to its next option; the events a user's change fires), times input →
 *  data-drawn incremented → painted, and counts the scheduler's 'submit'
 *  events from the input until `graceMs` after the paint. */
function change([panel, key, timeout, graceMs]) {
  const root = document.getElementById(`panel-${panel}`);
  const ctl = root.querySelector(`.control[data-key="${key}"]`);
  const el = ctl && (ctl.querySelector('input[type=range]') || ctl.querySelector('select'));
  if (!el) return Promise.resolve({ missing: true });
  const b = globalThis.__bench;
  let from, to;
  if (el.tagName === 'SELECT') {
    from = el.value;
    to = el.options[(el.selectedIndex + 1) % el.options.length].value;
  } else {
    from = Number(el.value);
    to = from + 1 <= Number(el.max) ? from + 1 : from - 1;
  }
  b.events = [];
  const drawn = b.nextDraw(root, Number(root.dataset.drawn || 0), timeout);
  el.value = String(to);
  const t0 = performance.now();
  el.dispatchEvent(new Event('input', { bubbles: true }));
  if (el.tagName === 'SELECT') el.dispatchEvent(new Event('change', { bubbles: true }));
  const submits = () => b.events.filter((e) => e.type === 'submit').length;
  return drawn.then(async (t1) => {
    if (t1 === null) return { from, to, timeout: true, submits: submits() };
    const t2 = await b.afterPaint();
    await new Promise((ok) => setTimeout(ok, graceMs)); // a job submitted late still counts
    return { from, to, drawn: t1 - t0, painted: t2 - t0, submits: submits() };
  });
}

/**
 * Opens lesson probe.panel at probe.query, waits for its first result, then
 * changes each of probe.controls probe.samples times (each change settled
 * before the next).  Returns {panel, query, firstChart, controls: [{key,
 * samples, timeouts, median, max, submits}], errors}.
 */
export async function displayProbe(browser, base, probe, timeout, tick) {
  const url = `${base}?tab=${probe.panel}&lang=en&${probe.query}`;
  const { page, errors, first, close } = await openPage(browser, url, timeout);
  const out = { panel: probe.panel, query: probe.query, firstChart: first, controls: [] };
  try {
    await settle(page, probe.panel, timeout);
    for (const key of probe.controls) {
      const runs = [];
      for (let i = 0; i < probe.samples; i++) {
        runs.push(await page.evaluate(change, [probe.panel, key, timeout, 300]));
        await settle(page, probe.panel, timeout);
        tick();
      }
      if (runs[0].missing) { out.controls.push({ key, missing: true }); continue; }
      const ok = runs.filter((r) => !r.timeout);
      out.controls.push({
        key, values: runs.map((r) => `${r.from}→${r.to}`), samples: ok.length, timeouts: runs.length - ok.length,
        median: median(ok.map((r) => r.painted)), max: ok.length ? Math.max(...ok.map((r) => r.painted)) : null,
        drawnMedian: median(ok.map((r) => r.drawn)),
        submits: runs.reduce((a, r) => a + r.submits, 0),
      });
    }
    out.errors = errors;
  } finally {
    await close();
  }
  return out;
}
