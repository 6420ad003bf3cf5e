// page.js — a page of the app under measurement: the instrumentation installed
// before its scripts run, the subscription to its test hooks, and waiting for
// a lesson to settle.  The functions handed to page.evaluate / addInitScript
// run inside the page: they are serialised, so they use nothing from here.
//
// The page is the test build (tools/serve.js with testHooks: web/gen/app-test.js
// in place of web/gen/app.js), which defines globalThis.gradlabTest once
// body[data-ready="1"]; see bench/README.md for that contract.  The bench
// touches nothing else of the page but its DOM.

/** In the page, before any page script: records when the first chart is drawn
 *  and painted, and every long task from the start; provides afterPaint() and
 *  settle(root, timeout) to the other in-page functions (globalThis.__bench). */
export function instrument() {
  const b = { longtasks: [], firstDrawn: null, firstPainted: null, ready: null, events: [] };
  globalThis.__bench = b;
  /** Resolves after the frame that follows now has been rendered: the rAF
   *  callback runs just before that frame's paint, and a message posted from
   *  it is handled only after the frame's rendering steps. */
  b.afterPaint = () => new Promise((ok) => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => ok(performance.now());
    ch.port2.postMessage(0);
  }));
  /** Waits until the lesson `root` has no job pending and has drawn the newest
   *  result (aria-busy is set while a job is pending), then one more frame;
   *  false if that takes longer than timeout ms. */
  b.settle = async (root, timeout) => {
    const end = performance.now() + timeout;
    await b.afterPaint(); // an update may be scheduled for the next frame
    while (root.hasAttribute('aria-busy')) {
      if (performance.now() > end) return false;
      await new Promise((ok) => setTimeout(ok, 5));
    }
    await b.afterPaint();
    return true;
  };
  /** Starts watching animation frames; stop() ends it and returns the longest
   *  gap between two frames (ms) since the start. */
  b.watchFrames = () => {
    let last = performance.now();
    let maxGap = 0;
    let running = true;
    const tick = (now) => { maxGap = Math.max(maxGap, now - last); last = now; if (running) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    return { stop: () => { running = false; return maxGap; } };
  };
  /** Resolves to the time root's data-drawn rises above `before` (a draw
   *  completed), or to null after timeout ms. */
  b.nextDraw = (root, before, timeout) => new Promise((ok) => {
    const timer = setTimeout(() => { mo.disconnect(); ok(null); }, timeout);
    const mo = new MutationObserver(() => {
      if (Number(root.dataset.drawn || 0) <= before) return;
      const t = performance.now();
      mo.disconnect();
      clearTimeout(timer);
      ok(t);
    });
    mo.observe(root, { attributes: true, attributeFilter: ['data-drawn'] });
  });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration, name: e.name });
    }).observe({ type: 'longtask', buffered: true });
  } catch { b.noLongtask = true; }
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.attributeName === 'data-drawn' && b.firstDrawn === null) {
        b.firstDrawn = performance.now();
        b.afterPaint().then((t) => { b.firstPainted = t; });
      }
      if (r.attributeName === 'data-ready' && b.ready === null) b.ready = performance.now();
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-drawn', 'data-ready'] });
}

/** In the page, once it is ready: subscribes to the scheduler's events (kept
 *  in __bench.events, which the measurements empty) and says how it computes. */
function hook() {
  const T = globalThis.gradlabTest;
  if (!T) return null;
  const b = globalThis.__bench;
  b.unsubscribe ??= T.scheduler.onEvent((ev) => b.events.push(ev));
  return { inWorker: T.scheduler.inWorker, restartAfter: T.scheduler.RESTART_AFTER };
}

/**
 * Opens `url` in a new page of `browser` with the instrumentation, and waits
 * for the first chart painted (timeout ms).  Resolves to {page, errors, cdp,
 * first: {ready, drawn, painted, longtasks, maxLongtask}}; close() it after.
 * onPage(page) is called before the navigation (to watch its responses).
 */
export async function openPage(browser, url, timeout, onPage = () => {}) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  onPage(page);
  await page.addInitScript(instrument);
  const cdp = await page.context().newCDPSession(page);
  const close = async () => {
    await cdp.detach().catch(() => {});
    await page.close();
  };
  try {
    await page.goto(url);
    await page.waitForFunction(() => globalThis.__bench.firstPainted !== null, null, { timeout, polling: 20 });
    const first = await page.evaluate(() => {
      const b = globalThis.__bench;
      return {
        ready: b.ready, drawn: b.firstDrawn, painted: b.firstPainted,
        longtasks: b.longtasks.length, maxLongtask: b.longtasks.reduce((m, e) => Math.max(m, e.duration), 0),
      };
    });
    await page.waitForSelector('body[data-ready="1"]', { timeout });
    const hooks = await page.evaluate(hook);
    if (!hooks) {
      throw new Error('the page has no test hooks (globalThis.gradlabTest): web/gen/app-test.js must be the test build, ' +
        'served by tools/serve.js with testHooks: true');
    }
    return { page, errors, cdp, first, hooks, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Waits in the page until lesson `panel` has settled (see instrument); false on timeout. */
export function settle(page, panel, timeout) {
  return page.evaluate(([p, t]) => globalThis.__bench.settle(document.getElementById(`panel-${p}`), t), [panel, timeout]);
}
