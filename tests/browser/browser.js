// browser.js — launches Debian's Chromium through playwright-core, headless,
// with a fresh profile and no background networking (this machine has no
// internet; Chromium's own connections would only fail noisily).
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { serve } from '../../tools/serve.js';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Launches Chromium with a fresh profile; resolves to {browser, context, page}
 * where browser.close() also removes the profile.  deviceScaleFactor is the
 * screen's devicePixelRatio.  `args` are extra Chromium
 * switches (the UI benchmark adds --js-flags=--expose-gc and
 * --enable-precise-memory-info).
 */
export async function launch({ width = 1200, height = 900, locale = 'en-US', deviceScaleFactor = 1, args = [] } = {}) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run 'apt-get install -y chromium' (npm test does it when run as root)`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'gradlab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width, height },
    deviceScaleFactor,
    locale,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--allow-file-access-from-files',
      ...args,
    ],
  });
  const page = context.pages()[0] || (await context.newPage());
  const browser = {
    newPage: () => context.newPage(),
    close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); },
  };
  return { browser, context, page };
}

/**
 * Watches a page (and its frames) for what must never happen: console
 * errors, uncaught exceptions, and requests to anything but the app's own
 * origin (`allowed`: a base URL, or a list of them: the embed test's course
 * page has its own), file:, data: and blob: URLs.  Returns {errors,
 * external}, filled as the page runs.
 */
export function watch(page, allowed) {
  const origins = [allowed ?? []].flat();
  const errors = [];
  const external = [];
  // each error is also printed with where it came from, so a failure in CI can be traced
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    errors.push(m.text());
    const at = m.location();
    console.error(`console error: ${m.text()} (${at.url}:${at.lineNumber}:${at.columnNumber})`);
  });
  page.on('pageerror', (e) => { errors.push(e.message); console.error(`page error: ${e.stack}`); });
  page.on('request', (r) => {
    const u = r.url();
    if (u.startsWith('data:') || u.startsWith('file:') || u.startsWith('blob:')) return;
    if (origins.some((o) => o && u.startsWith(o))) return;
    external.push(u);
  });
  return { errors, external };
}

/** Opens the app with a query string and waits until the panel on show has drawn. */
export async function openApp(page, base, query = '') {
  await page.goto(base + (query ? `?${query.replace(/^\?/, '')}` : ''));
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  await page.waitForSelector('section.panel:not([hidden])[data-drawn]', { timeout: 30000 });
}

/** The URL of index.html from disk. */
export function fileUrl() {
  return new URL('../../index.html', import.meta.url).href;
}

/** Data of dataset `i` of the Chart on the canvas matching `selector`. */
export function chartData(page, selector, i = 0) {
  return page.evaluate(([sel, k]) => {
    const c = globalThis.Chart.getChart(document.querySelector(sel));
    return c.data.datasets[k].data.map((p) => [p.x, p.y]);
  }, [selector, i]);
}

/** The app's current state as parsed from its URL (query or hash). */
export function urlParams(page) {
  return page.evaluate(() => {
    globalThis.gradlabTest?.flushUrl(); // the page writes the URL once changes pause
    return Object.fromEntries(new URLSearchParams(location.hash.length > 1 ? location.hash.slice(1) : location.search));
  });
}

/**
 * Serves this checkout on a free port and launches Chromium, for a test
 * file's before() hook; resolves to {base, browser, stop()}.
 */
export async function startApp() {
  const { server, url } = await serve({ port: 0, testHooks: true });
  const { browser } = await launch();
  return {
    base: url,
    browser,
    async stop() {
      await browser.close();
      server.close();
    },
  };
}

/**
 * Waits until lesson `id` has no job pending (its section has no aria-busy)
 * and nothing left to draw (no data-draw-pending: the drawing its last result
 * asked for has finished, all its time slices included).
 */
export async function waitIdle(page, id, timeout = 30000) {
  await page.waitForFunction((p) => {
    const root = document.getElementById(`panel-${p}`);
    return !root.hasAttribute('aria-busy') && !root.hasAttribute('data-draw-pending');
  }, id, { timeout, polling: 20 });
}

/**
 * Serves the app and launches Chromium around a test file (before/after
 * hooks); returns an object that holds {base, browser} once they are up.
 */
export function useApp() {
  const app = {};
  before(async () => Object.assign(app, await startApp()));
  after(() => app.stop?.());
  return app;
}

/** Starts counting the scheduler's submissions by lane (test build); read them with submits(page). */
export function countSubmits(page) {
  return page.evaluate(() => {
    globalThis.__submits = {};
    globalThis.gradlabTest.scheduler.onEvent((e) => {
      if (e.type === 'submit') globalThis.__submits[e.lane] = (globalThis.__submits[e.lane] || 0) + 1;
    });
  });
}
export const submits = (page) => page.evaluate(() => ({ ...globalThis.__submits }));

/** axe-core from npm, evaluated through the DevTools protocol (the page's CSP rightly refuses an inline <script>). */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's violations on the page, as 'rule (impact): targets' lines: on
 * the whole document, or only on the elements matching `only` (a selector).
 */
export async function axe(page, only = null) {
  if (!(await page.evaluate(() => typeof globalThis.axe === 'object'))) await page.evaluate(AXE);
  const result = await page.evaluate((sel) => globalThis.axe.run(sel ? { include: [...document.querySelectorAll(sel)].map((e) => [e]) } : document,
    { resultTypes: ['violations'] }), only);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
