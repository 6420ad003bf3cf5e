// presets.js — the Training presets probe: each preset chosen in turn, as a
// learner would, and trained to the end while the page streams its frames;
// the longest main-thread task and frame gap while it trains.
import { openPage, settle } from './page.js';

/** In the page: chooses preset `name`, waits (at most timeout ms) until every
 *  lane has trained and the result is drawn, and reports the long tasks that
 *  started meanwhile and the longest gap between frames. */
async function train([panel, name, timeout]) {
  const root = document.getElementById(`panel-${panel}`);
  const select = root.querySelector('select[name=tr_preset]');
  const b = globalThis.__bench;
  const drawn0 = Number(root.dataset.drawn || 0);
  const t0 = performance.now();
  const frameGaps = b.watchFrames();
  select.value = name;
  select.dispatchEvent(new Event('input', { bubbles: true })); // as a user's choice fires them
  select.dispatchEvent(new Event('change', { bubbles: true }));
  const settled = await b.settle(root, timeout);
  const maxGap = frameGaps.stop();
  const t1 = performance.now();
  await new Promise((ok) => setTimeout(ok, 100)); // long tasks are reported asynchronously
  const tasks = b.longtasks.filter((e) => e.start >= t0 && e.start <= t1);
  return {
    preset: name, settled, ms: t1 - t0, draws: Number(root.dataset.drawn || 0) - drawn0,
    longtasks: tasks.length, maxLongtask: tasks.reduce((m, e) => Math.max(m, e.duration), 0), maxFrameGap: maxGap,
  };
}

/** Opens the Training lesson and trains every preset of its select in turn;
 *  resolves to {runs: [{preset, settled, ms, draws, longtasks, maxLongtask, maxFrameGap}], errors}. */
export async function presetsProbe(browser, base, timeout, tick) {
  const { page, errors, close } = await openPage(browser, `${base}?tab=train&lang=en`, timeout);
  try {
    await settle(page, 'train', timeout);
    // every preset in the select's order, the one on show (already trained) last
    const names = await page.evaluate(() => {
      const sel = document.querySelector('#panel-train select[name=tr_preset]');
      const all = [...sel.options].map((o) => o.value);
      return [...all.filter((v) => v !== sel.value), sel.value];
    });
    const runs = [];
    for (const name of names) {
      runs.push(await page.evaluate(train, ['train', name, timeout]));
      tick();
    }
    return { runs, errors };
  } finally {
    await close();
  }
}
