// soak.test.js — 1,000 random actions by a restless learner, in real Chromium:
// tabs, sliders (dragged or typed, hostile text included), selects, buttons,
// language and theme, with no pause for the jobs they start (so requests are
// coalesced, superseded and cancelled all the time).  Every 250 actions the
// page is let settle and checked: the lesson on show finishes its jobs, the
// computing worker holds no live allocation (every _malloc freed), its wasm
// heap stays bounded, and the page's JS heap after a GC does not grow from
// the first checkpoint to the later ones beyond what a lesson holds.  No
// console error, no page error, no request outside the app.
// GRADLAB_SOAK_ACTIONS sets a longer run, GRADLAB_SOAK_SEED other actions
// (each error is printed with its stack).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, watch } from './browser.js';
import { serve } from '../../tools/serve.js';

const ACTIONS = Number(process.env.GRADLAB_SOAK_ACTIONS) || 1000;
const CHECK_EVERY = 250;
const SEED = Number(process.env.GRADLAB_SOAK_SEED) || 1000;

/** Runs n random actions in the page from seed; resolves to a tally of what was done. */
function act(page, seed, n) {
  return page.evaluate(async ([seed0, count]) => {
    let s = seed0 >>> 0; // mulberry32: the same actions for the same seed
    const rnd = () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let x = Math.imul(s ^ (s >>> 15), 1 | s);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const pick = (list) => list[Math.floor(rnd() * list.length)];
    const TEXT = ['0', '-1', '1e309', 'abc', '', '0x10', '3.5', '99999', '1e-9', '<b>x</b>'];
    const tally = {};
    const fire = (el, type) => el.dispatchEvent(new Event(type, { bubbles: true }));
    for (let i = 0; i < count; i++) {
      const panel = document.querySelector('section.panel:not([hidden])');
      const sliders = [...panel.querySelectorAll('input[type=range]')];
      const boxes = [...panel.querySelectorAll('input[type=number]')];
      const selects = [...panel.querySelectorAll('select')];
      const buttons = [...panel.querySelectorAll('button[data-act]')].filter((b) => !b.disabled);
      const r = rnd();
      let kind;
      if (r < 0.05) {
        kind = 'tab';
        pick([...document.querySelectorAll('[role=tab]')]).click();
      } else if (r < 0.08) {
        kind = 'lang';
        const l = document.getElementById('lang');
        l.value = l.value === 'en' ? 'zh' : 'en';
        fire(l, 'change');
      } else if (r < 0.1) {
        kind = 'theme';
        const th = document.getElementById('theme');
        th.value = pick(['auto', 'light', 'dark']);
        fire(th, 'change');
      } else if (r < 0.55 && sliders.length) {
        kind = 'slider';
        // mostly the lighter quarter of each range (the jobs stay short), now and then its top
        const el = pick(sliders);
        const lo = Number(el.min), hi = Number(el.max);
        el.value = String(lo + (rnd() < 0.1 ? 1 : 0.25 * rnd()) * (hi - lo));
        fire(el, 'input');
        if (rnd() < 0.3) fire(el, 'change');
      } else if (r < 0.7 && boxes.length) {
        kind = 'box';
        const el = pick(boxes);
        el.value = rnd() < 0.5 ? pick(TEXT) : String(Number(el.min) + rnd() * 3);
        fire(el, 'change');
      } else if (r < 0.85 && selects.length) {
        kind = 'select';
        const el = pick(selects);
        el.selectedIndex = Math.floor(rnd() * el.options.length);
        fire(el, 'change');
      } else if (buttons.length) {
        kind = 'button';
        pick(buttons).click();
      } else {
        kind = 'none';
      }
      tally[kind] = (tally[kind] || 0) + 1;
      await new Promise((ok) => setTimeout(ok, rnd() < 0.8 ? 0 : 40));
    }
    return tally;
  }, [seed, n]);
}

/** Lets the page settle (every request answered or dropped, the lesson on show drawn) and measures it. */
async function checkpoint(page) {
  await page.waitForFunction(() => {
    const p = document.querySelector('section.panel:not([hidden])');
    return p && !p.hasAttribute('aria-busy') && !p.hasAttribute('data-draw-pending') && globalThis.gradlabTest.scheduler.stats().submitted
      === (({ done, cancelled, failed }) => done + cancelled + failed)(globalThis.gradlabTest.scheduler.stats());
  }, null, { timeout: 120000, polling: 100 });
  const heap = await page.evaluate(() => globalThis.gradlabTest.scheduler.run('app/heap'));
  const js = await page.evaluate(() => { globalThis.gc(); return performance.memory.usedJSHeapSize; });
  return { ...heap, js };
}

test(`soak: ${ACTIONS} random actions — no error, no leak in the worker, bounded heaps`, async () => {
  const { server, url } = await serve({ port: 0, testHooks: true });
  const { browser, page } = await launch({ args: ['--js-flags=--expose-gc', '--enable-precise-memory-info'] });
  try {
    const w = watch(page, url);
    await page.goto(`${url}?lang=en`);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
    const marks = [];
    const tally = {};
    for (let done = 0; done < ACTIONS; done += CHECK_EVERY) {
      const n = Math.min(CHECK_EVERY, ACTIONS - done);
      for (const [k, v] of Object.entries(await act(page, SEED + done, n))) tally[k] = (tally[k] || 0) + v;
      const m = await checkpoint(page);
      marks.push(m);
      console.log(`  after ${done + n} actions: worker live allocations ${m.live}, wasm heap ${(m.bytes / 2 ** 20).toFixed(0)} MB, JS heap ${(m.js / 2 ** 20).toFixed(1)} MB`);
      assert.equal(m.live, 0, 'every allocation of the worker is freed once it is idle');
      assert.ok(m.bytes <= 512 * 2 ** 20, `wasm heap ${m.bytes}`);
    }
    console.log(`  actions: ${JSON.stringify(tally)}`);
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.external, []);
    // the JS heap after a GC holds what the lesson on show holds (a long race
    // at its largest setting: 40 MB), so one checkpoint may be high; a leak
    // raises them all.  The lowest of the later half must stay within 50% +
    // 8 MB of the first.
    const first = marks[0].js;
    const later = Math.min(...marks.slice(Math.floor(marks.length / 2)).map((m) => m.js));
    assert.ok(later <= 1.5 * first + 8 * 2 ** 20, `JS heap ${later} at best in the later half, after ${first}`);
    const st = await page.evaluate(() => globalThis.gradlabTest.scheduler.stats());
    console.log(`  scheduler: ${JSON.stringify(st)}`);
    assert.ok(st.cancelled > 0, 'the soak exercised supersession');
  } finally {
    await browser.close();
    server.close();
  }
});
