// hostile-url.test.js — links crafted to hurt, in real Chromium: every state
// key of the page set to each hostile value (markup and script payloads,
// numbers that are not decimals or not finite, very long values, prototype
// names).  For each link: no dialog, no element or handler injected, no
// console error, one notice for every value the page did not take as given
// (and none for the others), and no main-thread task ≥ 200 ms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, watch } from './browser.js';
import { LESSONS } from '../../web/lessons/index.js';
import { pageSchema, registerLessons } from '../../web/app/registry.js';
import { coerce, MAX_VALUE } from '../../web/state.js';
import { pageSpecs } from '../../web/app/main.js';

const app = useApp();

// The page's schema as main.js builds it.
const SCHEMA = pageSchema(registerLessons(LESSONS), pageSpecs(LESSONS.map((l) => l.id), 'en'));
const KEYS = Object.keys(SCHEMA).filter((k) => k !== 'lang' && k !== 'tab');

const HOSTILE = [ // each for every key at once
  '<img src=x onerror=alert(1)>',
  '"><script>alert(1)</script>',
  "'><svg onload=alert(1)>",
  'javascript:alert(1)',
  '{{constructor.constructor("alert(1)")()}}',
  '__proto__', 'constructor', 'toString',
  '0x10', '1e309', '-1e309', 'NaN', 'Infinity', '1e-400', '１２', '\u0000', '%00', ' ', '',
  '9'.repeat(400),
  'x'.repeat(MAX_VALUE + 1),
];
/** Links with one very long value each (500 KB; Chromium takes URLs up to 2 MB): parsed
 *  and echoed whole, such a value blocked the page for 1–2 s. */
const LONG = ['v_depth', 'tr_q'].map((key) => ({ key, value: '7'.repeat(500_000) }));

/** Installs the observers a hostile link is judged by, before the page's scripts run. */
async function instrument(page) {
  await page.addInitScript(() => {
    globalThis.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) globalThis.__longest = Math.max(globalThis.__longest, e.duration);
    }).observe({ type: 'longtask', buffered: true });
    globalThis.alert = globalThis.confirm = globalThis.prompt = () => { globalThis.__alerted = true; };
  });
}

test(`every state key × ${HOSTILE.length} hostile values: no dialog, no injection, no console error, a notice for each changed value, no task ≥ 200 ms`, async () => {
  const page = await app.browser.newPage();
  const w = watch(page, app.base);
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await instrument(page);
  // In the hash (which the page reads first, as from file://): a server
  // refuses a query of the longest links (Node's 16 KB header limit).
  let loads = 0;
  const open = async (query, tab) => {
    await page.goto(`${app.base}?load=${++loads}#${query}`);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
    await page.waitForSelector(`#panel-${tab}[data-drawn]`, { timeout: 30000 });
  };
  // the first load compiles the bundles (~300 ms on 2 busy cores): not judged
  await open('lang=en', LESSONS[0].id);
  // The start-up task alone takes 60–170 ms on 2 idle cores, up to ~300
  // when other work shares them; a task the hostile value causes (1–2 s
  // before the fix) comes back on every load.  So a link is loaded up to 3
  // times while its longest task is ≥ 200 ms, and one still that long must
  // stay under twice the start-up of a plain link of the same lesson and
  // language, measured the same way just after.
  let best = Infinity; // the shortest longest-task of the loads of a link
  const settle = async (query, tab) => {
    best = Infinity;
    for (let k = 0; k < 3 && best >= 200; k++) {
      await open(query, tab);
      best = Math.min(best, await page.evaluate(() => globalThis.__longest));
    }
    return best;
  };
  const judge = async (ms, tab, label) => {
    if (ms < 200) return;
    const lang = await page.evaluate(() => document.documentElement.lang.slice(0, 2));
    const plain = await settle(`lang=${lang}&tab=${tab}`, tab);
    console.log(`  ${label}: longest task ${ms.toFixed(0)} ms; a plain link of ${tab}: ${plain.toFixed(0)} ms`);
    assert.ok(ms < Math.max(200, 2 * plain), `${label}: a main-thread task of ${ms} ms (a plain link: ${plain} ms)`);
  };
  let links = 0, notices = 0, longest = 0;
  for (const [i, value] of HOSTILE.entries()) {
    const tab = LESSONS[i % LESSONS.length].id; // each lesson is built from hostile values in turn
    const q = new URLSearchParams({ lang: i % 2 ? 'zh' : 'en', tab });
    for (const k of KEYS) q.set(k, value);
    await open(q, tab);
    await settle(q, tab);
    const seen = await page.evaluate(() => ({
      notices: [...document.querySelectorAll('#notices .notice')].map((n) => n.textContent),
      injected: document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload], [onclick]').length,
      scripts: [...document.scripts].map((s) => s.getAttribute('src')),
      alerted: Boolean(globalThis.__alerted),
    }));
    seen.longest = best;
    const label = `value #${i} (${JSON.stringify(value.slice(0, 30))}…)`;
    assert.equal(seen.injected, 0, `${label}: injected elements`);
    assert.equal(seen.alerted, false, `${label}: alert called`);
    assert.ok(seen.scripts.every((s) => s && /^web\/gen\/[a-z.-]+\.js$/.test(s)), `${label}: scripts ${seen.scripts}`);
    // a notice names each key whose value was not taken as given, and no other
    const changed = KEYS.filter((k) => value.length > MAX_VALUE || coerce(SCHEMA[k], value).problem);
    // a well-formed fig that names no figure of the lesson is not used either: its own notice says so
    const noFig = !changed.includes('fig') && value !== '' ? 1 : 0;
    assert.equal(seen.notices.length, changed.length + noFig, `${label}: ${seen.notices.length} notices for ${changed.length + noFig} changed values`);
    for (const k of changed) assert.ok(seen.notices.some((n) => n.includes(`${k}=`)), `${label}: no notice for ${k}`);
    if (noFig) assert.ok(seen.notices.some((n) => n.includes(`“${value}”`)), `${label}: no notice for fig`);
    assert.ok(seen.notices.every((n) => n.length < 400), `${label}: a notice echoes too much`);
    await judge(seen.longest, tab, label);
    links++;
    notices += seen.notices.length;
    longest = Math.max(longest, seen.longest);
  }
  for (const { key, value } of LONG) {
    const tab = LESSONS.find((l) => key.startsWith(`${l.prefix}_`)).id;
    await settle(`lang=en&tab=${tab}&${key}=${value}`, tab);
    const seen = await page.evaluate(() => ({
      notices: [...document.querySelectorAll('#notices .notice')].map((n) => n.textContent) }));
    seen.longest = best;
    assert.equal(seen.notices.length, 1, `${key}: one notice`);
    assert.ok(seen.notices[0].includes(`${key}=7777`) && seen.notices[0].length < 400, seen.notices[0].slice(0, 400));
    await judge(seen.longest, tab, `${key} = 500 KB`);
    longest = Math.max(longest, seen.longest);
    links++;
  }
  assert.deepEqual(dialogs, []);
  assert.deepEqual(w.errors, []);
  assert.deepEqual(w.external, []);
  console.log(`  ${links} links × ${KEYS.length} keys: ${notices} notices, longest main-thread task ${longest.toFixed(0)} ms`);
  await page.close();
});
