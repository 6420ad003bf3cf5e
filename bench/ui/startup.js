// startup.js — the start-up probe (issue 15, item 5): navigation start → first
// chart painted, cold, for the product page (index.html with web/gen/app.js,
// not the test build) opened from file:// and over http.  Cold means a fresh
// browser with a fresh profile for every run: no HTTP cache, no V8 code cache.
// It also counts every request the page makes, so that a script or the wasm
// fetched twice shows up (the core is inside web/gen/worker-src.js: there must
// be no request for gradlab.js at all).
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { launch } from '../../tests/browser/browser.js';
import { serve } from '../../tools/serve.js';
import { ROOT } from '../lib/build.js';
import { median } from '../lib/stats.js';
import { fixed as ms } from '../lib/table.js';
import { instrument } from './page.js';

/** One cold load of `url`: {painted, drawn, ready, scripts (ms at which each script finished), requests {name: count}}. */
export async function coldLoad(url, timeout) {
  const { browser, page } = await launch();
  const requests = {};
  page.on('request', (r) => {
    const name = r.url().startsWith('data:') ? 'data:' : r.url().startsWith('blob:') ? 'blob:' : path.basename(new URL(r.url()).pathname) || '/';
    requests[name] = (requests[name] ?? 0) + 1;
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.addInitScript(instrument);
    await page.goto(url);
    await page.waitForFunction(() => globalThis.__bench.firstPainted !== null, null, { timeout, polling: 10 });
    const t = await page.evaluate(() => {
      const b = globalThis.__bench;
      const res = Object.fromEntries(performance.getEntriesByType('resource')
        .map((e) => [e.name.split('/').pop(), Math.round(e.responseEnd)]));
      const nav = performance.getEntriesByType('navigation')[0];
      return {
        painted: b.firstPainted, drawn: b.firstDrawn, ready: b.ready,
        domInteractive: nav?.domInteractive ?? null, resources: res,
        longtasks: b.longtasks.map((l) => Math.round(l.duration)),
      };
    });
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    return { ...t, requests };
  } finally {
    await browser.close();
  }
}

/**
 * Cold start-up of the product page from file:// and over http, `runs` times
 * each (alternating, so that a slow spell of the host hits both alike).
 * Resolves to {runs, file: {...}, http: {...}}, each with the medians of
 * painted/drawn/ready/domInteractive, every run's painted, and the requests of
 * the last run.
 */
export async function startupProbe({ runs = 5, timeout = 60_000, tick = () => {} } = {}) {
  const fileUrl = pathToFileURL(path.join(ROOT, 'index.html')).href;
  const { server, url } = await serve({ port: 0 });
  const all = { file: [], http: [] };
  try {
    for (let i = 0; i < runs; i++) {
      all.file.push(await coldLoad(fileUrl, timeout)); tick();
      all.http.push(await coldLoad(url, timeout)); tick();
    }
  } finally {
    server.close();
  }
  const sum = (xs) => ({
    painted: median(xs.map((x) => x.painted)),
    drawn: median(xs.map((x) => x.drawn)),
    ready: median(xs.map((x) => x.ready)),
    domInteractive: median(xs.map((x) => x.domInteractive)),
    paintedRuns: xs.map((x) => Math.round(x.painted)),
    longtasks: xs.at(-1).longtasks,
    resources: xs.at(-1).resources,
    requests: xs.at(-1).requests,
    twice: Object.entries(xs.at(-1).requests).filter(([n, c]) => c > 1 && n !== 'data:' && n !== 'blob:').map(([n]) => n),
  });
  return { runs, file: sum(all.file), http: sum(all.http) };
}

/** The probe's lines for the report. */
export function startupLines(r) {
  const row = (name, x) => `  ${name.padEnd(8)} painted ${ms(x.painted).padStart(6)} ms (runs ${x.paintedRuns.join(', ')}); `
    + `page built ${ms(x.ready)} ms, result drawn ${ms(x.drawn)} ms; tasks ≥ 50 ms in the last run: ${x.longtasks.join(', ') || 'none'}; `
    + `requests: ${Object.entries(x.requests).map(([n, c]) => `${n}${c > 1 ? ` ×${c}` : ''}`).join(', ')}`;
  return [`Start-up, cold (a fresh browser and profile each run), the product page, median of ${r.runs}: navigation start →`,
    '  page built (body[data-ready]) → first result drawn → that frame painted.',
    row('file://', r.file), row('http', r.http)].join('\n');
}
