// measure.js — one lesson at one setting: first chart, page bytes, latency,
// the cost of a worker restart, a drag of every slider, and (vanishing at
// default settings) memory over many updates.
import { pageBytes, watchResponses } from './bytes.js';
import { dragAll } from './drag.js';
import { memoryTest, workerStart } from './heaps.js';
import { measureLatency } from './latency.js';
import { openPage, settle } from './page.js';
import { LESSONS } from './settings.js';

const dot = () => process.stdout.write('·');

/** Measures `setting` ({panel, name, query, samples?}) on the app at `base`; resolves to its row. */
export async function measureSetting(browser, base, setting, opts) {
  const { panel } = setting;
  const { slider: key, heapSlider } = LESSONS[panel];
  const heavy = setting.name !== 'default';
  const timeout = heavy ? 900_000 : 20_000;
  // A drag at the largest settings waits for its last result at most this long:
  // an Init job there takes about a minute.
  const dragTimeout = heavy ? (setting.maxWaitS ?? opts.maxWaitS) * 1000 : timeout;
  // A setting whose results take minutes (samples: 0) is measured while it
  // computes: no latency samples, no wait for it to settle first.
  const waitFirst = setting.samples !== 0;
  const row = { panel, setting: setting.name, query: setting.query };
  let responses;
  const url = `${base}?tab=${panel}&lang=en${setting.query ? `&${setting.query}` : ''}`;
  const { page, errors, cdp, first, hooks, close } = await openPage(browser, url, timeout, (p) => { responses = watchResponses(p, base); });
  try {
    row.firstChart = first;
    row.inWorker = hooks.inWorker;
    row.restartAfter = hooks.restartAfter;
    row.bytes = pageBytes(await responses());
    if (waitFirst) await settle(page, panel, timeout);
    const refusal = await page.evaluate((p) => {
      const m = document.querySelector(`#panel-${p} [data-out=memory]:not([hidden])`);
      return m ? m.textContent.trim() : null;
    }, panel);
    if (refusal) row.refused = refusal;

    // -- slider-to-chart latency
    const n = setting.samples ?? (heavy ? opts.maxSamples : opts.samples);
    if (n > 0) row.latency = await measureLatency(page, panel, key, n, timeout, (i) => { if (heavy || i % 10 === 9) dot(); });

    // -- a trivial job on a running and on a restarted worker
    if (!heavy) row.worker = await workerStart(page);

    // -- every slider dragged; the depth slider's drag is also the summary's
    const { drags, skipped } = await dragAll(page, panel, opts.drag, dragTimeout, dot);
    row.drags = drags;
    row.skippedSliders = skipped;
    row.drag = drags.find((d) => d.slider === key) ?? null;

    // -- memory over many updates (the cheapest lesson at default settings)
    if (heapSlider && !heavy) {
      await settle(page, panel, timeout);
      row.memory = await memoryTest(page, cdp, panel, heapSlider, opts.updates, timeout, dot);
    }
    row.errors = errors;
  } finally {
    await close();
  }
  return row;
}
