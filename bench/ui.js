#!/usr/bin/env node
// ui.js — the UI benchmark (`npm run bench:ui`): drives headless Chromium over
// every panel at its default and its maximum settings and measures
//   · time from navigation start to the first chart painted,
//   · slider-to-chart latency (input event → result drawn → next frame painted),
//   · the longest main-thread task during a scripted slider drag,
//   · the JS heap, both wasm heaps and the live allocations before and after
//     1,000 consecutive updates.
// Prints a table, checks the goals of the issue, and writes bench/ui-results.json.
//
//   node bench/ui.js [--only PANEL[:SETTING],…] [--samples N] [--updates N] [--no-build]
//
// All timing is taken inside the page with performance.now() (whose origin is
// the navigation start), never across the DevTools pipe.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../tests/browser/browser.js';
import { serve } from '../tools/serve.js';
import { RESTART_AFTER } from '../web/compute.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'bench', 'ui-results.json');

/** One frame at 60 Hz (ms): the latency goal at default settings. */
const FRAME = 1000 / 60;
/** The longest main-thread task the goals allow (ms); also the longtask API's floor. */
const LONG_TASK = 50;

// ---- what is measured ---------------------------------------------------------
// Each panel's "depth" slider is the one moved: it changes the cost of the job
// the most directly.  Latency samples alternate one step down and one step up,
// so every sample is computed at (or one step off) the setting being measured.
const PANELS = {
  vanishing: { slider: 'v_depth', heapSlider: 'v_seed' },
  exploding: { slider: 'x_steps' },
  init: { slider: 'i_depth' },
};
const SETTINGS = [
  { panel: 'vanishing', name: 'default', query: '' },
  { panel: 'vanishing', name: 'max', query: 'v_depth=100&v_samples=100000' },
  { panel: 'exploding', name: 'default', query: '' },
  { panel: 'exploding', name: 'max', query: 'x_n=64&x_steps=1000&x_trials=200' },
  { panel: 'init', name: 'default', query: '' },
  // The largest allowed network (depth 200, width 1024, batch 256, four
  // schemes): minutes per job, so only two latency samples.
  { panel: 'init', name: 'max', query: 'i_depth=200&i_width=1024&i_batch=256&i_s1=normal&i_s2=xavier_normal&i_s3=kaiming_normal&i_s4=torch_default', samples: 2 },
];

// ---- command line -------------------------------------------------------------
function parseArgs(argv) {
  const opts = { only: null, samples: 30, maxSamples: 5, updates: 1000, build: true, drag: 40 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    const int = (v, lo) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < lo) usage(`${a} must be an integer ≥ ${lo}, got ${v}`);
      return n;
    };
    if (a === '--only') opts.only = val().split(',');
    else if (a === '--samples') opts.samples = int(val(), 1);
    else if (a === '--updates') opts.updates = int(val(), 1);
    else if (a === '--no-build') opts.build = false;
    else if (a === '-h' || a === '--help') { console.log(HELP); process.exit(0); } else usage(`unknown option '${a}'`);
  }
  return opts;
}
const HELP = `node bench/ui.js [--only PANEL[:SETTING],…] [--samples N] [--updates N] [--no-build]
  --only      e.g. vanishing or init:default (default: every panel and setting)
  --samples   latency samples at default settings (default 30; 5 at max)
  --updates   updates of the memory test (default 1000)
  --no-build  do not run ./build-wasm.sh even if web/gen/ is missing or stale`;
function usage(msg) {
  console.error(`bench/ui.js: ${msg}\n${HELP}`);
  process.exit(2);
}

// ---- build --------------------------------------------------------------------
const GEN = ['app.js', 'worker-src.js', 'gradlab.js', 'chart.umd.min.js'].map((f) => join(ROOT, 'web', 'gen', f));

/** Newest modification time (ms) of the sources web/gen/ is built from. */
function newestSource() {
  let newest = statSync(join(ROOT, 'build-wasm.sh')).mtimeMs;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'gen') walk(p); } else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(join(ROOT, 'web'));
  walk(join(ROOT, 'src'));
  return newest;
}

/** Identifies the build being measured (the files' sizes and times). */
function genStamp() {
  return GEN.map((f) => (existsSync(f) ? `${statSync(f).size}:${statSync(f).mtimeMs}` : '-')).join(',');
}

/** Runs ./build-wasm.sh when web/gen/ is missing or older than its sources. */
function ensureBuilt(allowed) {
  const missing = GEN.filter((f) => !existsSync(f));
  const stale = !missing.length && Math.min(...GEN.map((f) => statSync(f).mtimeMs)) < newestSource();
  if (!missing.length && !stale) return 'up to date';
  if (!allowed) {
    if (missing.length) throw new Error(`web/gen/ is incomplete (${missing.join(', ')}) and --no-build was given`);
    console.warn('warning: web/gen/ is older than its sources; measuring it anyway (--no-build)');
    return 'stale';
  }
  console.log(`==> ${missing.length ? 'web/gen/ is missing' : 'web/gen/ is stale'}: ./build-wasm.sh`);
  const r = spawnSync('./build-wasm.sh', [], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`./build-wasm.sh failed (exit ${r.status})`);
  return 'rebuilt';
}

// ---- in-page instrumentation ------------------------------------------------------
// Installed before any page script runs: records when the first chart is drawn
// and painted, and every long task from the start.
function instrument() {
  const b = { longtasks: [], firstDrawn: null, firstPainted: null, ready: null };
  globalThis.__bench = b;
  /** Resolves after the frame that follows now has been rendered: the rAF
   *  callback runs just before that frame's paint, and a message posted from
   *  it is handled only after the frame's rendering steps. */
  b.afterPaint = () => new Promise((ok) => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => ok(performance.now());
    ch.port2.postMessage(0);
  }));
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

/** In the page: records when each job is handed to the compute worker and
 *  when its result comes back, to split a latency into its parts. */
function wrapCompute() {
  const b = globalThis.__bench;
  const c = globalThis.gradlab.compute;
  const run = c.run.bind(c);
  b.runs = [];
  c.run = (job, state, progress) => {
    const rec = { job, start: performance.now(), done: null, computeMs: null };
    b.runs.push(rec);
    const p = run(job, state, progress);
    // Attached before the panel's own .then, so `done` precedes its drawing.
    p.then(() => { rec.done = performance.now(); rec.computeMs = c.lastJobMs; }, () => {});
    return p;
  };
}

/** In the page: how long a job takes from the moment the worker is (re)started
 *  — what every restart during a drag costs before any result can come back.
 *  Restarts the worker the way compute.js does. */
async function coldStart() {
  const c = globalThis.gradlab.compute;
  if (!c.inWorker || c.running) return null;
  const warm0 = performance.now();
  await c.run('heap', {});
  const warm = performance.now() - warm0;
  c.worker.terminate();
  c.worker = c._spawn();
  const t0 = performance.now();
  await c.run('heap', {});
  return { warmMs: warm, coldMs: performance.now() - t0 };
}

/** In the page: one latency sample.  Moves the slider to `value` after a random
 *  phase within the frame (a real input event lands anywhere in a frame), then
 *  times input → data-drawn incremented → next frame painted. */
function latencySample([panel, key, value, timeout]) {
  const root = document.getElementById(`panel-${panel}`);
  const slider = root.querySelector(`.control[data-key="${key}"] input[name="${key}-slider"]`);
  const b = globalThis.__bench;
  return new Promise((ok) => setTimeout(() => {
    const before = Number(root.dataset.drawn || 0);
    let t0;
    b.runs = [];
    const timer = setTimeout(() => { mo.disconnect(); ok({ timeout: true }); }, timeout);
    const mo = new MutationObserver(() => {
      if (Number(root.dataset.drawn || 0) <= before) return;
      const t1 = performance.now();
      mo.disconnect();
      clearTimeout(timer);
      // The job this input started: the last one handed over before the draw.
      const run = b.runs.filter((r) => r.job === panel && r.done !== null && r.done <= t1).pop();
      b.afterPaint().then((t2) => ok({
        drawn: t1 - t0,
        painted: t2 - t0,
        // input → job handed to the worker (the update waits for the next frame)
        schedule: run ? run.start - t0 : null,
        // job handed over → result back on the main thread (worker compute + messaging)
        worker: run ? run.done - run.start : null,
        // of which the job's own time where it ran (the rest: messages, waiting)
        compute: run ? run.computeMs : null,
        // result back → chart drawn (Chart.js update, tables, readouts)
        draw: run ? t1 - run.done : null,
        // chart drawn → the frame that shows it has been painted
        paint: t2 - t1,
      }));
    });
    mo.observe(root, { attributes: true, attributeFilter: ['data-drawn'] });
    slider.value = String(value);
    t0 = performance.now();
    slider.dispatchEvent(new Event('input', { bubbles: true }));
  }, Math.random() * (1000 / 60)));
}

/** In the page: waits until the panel has no job in flight and has drawn the
 *  newest result (aria-busy is set while one runs), then one more frame. */
async function settle([panel, timeout]) {
  const root = document.getElementById(`panel-${panel}`);
  const end = performance.now() + timeout;
  await globalThis.__bench.afterPaint(); // the update is scheduled for the next frame
  while (root.hasAttribute('aria-busy')) {
    if (performance.now() > end) return false;
    await new Promise((ok) => setTimeout(ok, 5));
  }
  await globalThis.__bench.afterPaint();
  return true;
}

/** In the page: a scripted drag — `values` as input events, one per animation
 *  frame (~60 Hz; Chromium also delivers a real drag's events once a frame) —
 *  then waits for the last result.  Reports the long tasks that started
 *  during the drag or the wait, and the longest gap between frames. */
async function drag([panel, key, values, timeout]) {
  const root = document.getElementById(`panel-${panel}`);
  const slider = root.querySelector(`.control[data-key="${key}"] input[name="${key}-slider"]`);
  const b = globalThis.__bench;
  const drawn0 = Number(root.dataset.drawn || 0);
  const restarts0 = globalThis.gradlab.compute.restarts;
  const t0 = performance.now();
  let last = t0;
  let maxGap = 0;
  let running = true;
  const tick = (now) => { maxGap = Math.max(maxGap, now - last); last = now; if (running) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  for (const v of values) {
    await new Promise((ok) => requestAnimationFrame(ok));
    slider.value = String(v);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
  }
  const tInputs = performance.now();
  const settled = await (async () => {
    const end = performance.now() + timeout;
    await b.afterPaint();
    while (root.hasAttribute('aria-busy')) {
      if (performance.now() > end) return false;
      await new Promise((ok) => setTimeout(ok, 5));
    }
    await b.afterPaint();
    return true;
  })();
  running = false;
  const t1 = performance.now();
  // Long tasks are reported asynchronously: give the observer a moment.
  await new Promise((ok) => setTimeout(ok, 100));
  const tasks = b.longtasks.filter((e) => e.start >= t0 && e.start <= t1);
  return {
    events: values.length,
    inputMs: tInputs - t0,
    lastResultMs: t1 - tInputs,
    settled,
    results: Number(root.dataset.drawn || 0) - drawn0,
    restarts: globalThis.gradlab.compute.restarts - restarts0,
    longtasks: tasks.length,
    maxLongtask: tasks.reduce((m, e) => Math.max(m, e.duration), 0),
    // Long tasks while the events were coming in, and the longest of those
    // after (the wait for the last result, usually its drawing).
    longtasksDuringInput: tasks.filter((e) => e.start <= tInputs).length,
    maxLongtaskAfterInput: tasks.filter((e) => e.start > tInputs).reduce((m, e) => Math.max(m, e.duration), 0),
    maxFrameGap: maxGap,
    noLongtaskApi: !!b.noLongtask,
  };
}

/** In the page: the heaps.  The JS heap is the page's (not the worker's); the
 *  wasm heaps are the worker's (the 'heap' job) and, only when jobs run on the
 *  main thread (no worker), the main thread's core — otherwise it is never loaded. */
async function heaps() {
  const { compute } = globalThis.gradlab;
  const worker = await compute.run('heap', {});
  const main = compute.inWorker ? null : await compute.loadCore();
  return {
    jsHeap: performance.memory ? performance.memory.usedJSHeapSize : null,
    mainWasm: main ? main.heapBytes() : null,
    mainLive: main ? main.allocs - main.frees : 0,
    workerWasm: worker.bytes,
    workerLive: worker.live,
    inWorker: compute.inWorker,
    restarts: compute.restarts,
    nodes: document.getElementsByTagName('*').length,
  };
}

// ---- statistics -----------------------------------------------------------------
function quantile(xs, q) {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]; // nearest rank
}
function median(xs) {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ---- one panel at one setting -------------------------------------------------------
async function measureSetting(browser, base, setting, opts) {
  const { panel } = setting;
  const key = PANELS[panel].slider;
  const heavy = setting.name !== 'default';
  const timeout = heavy ? 900_000 : 20_000;
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.addInitScript(instrument);
  const cdp = await page.context().newCDPSession(page);
  const gc = () => cdp.send('HeapProfiler.collectGarbage');
  const row = { panel, setting: setting.name, query: setting.query };
  try {
    // -- first chart
    const url = `${base}?tab=${panel}&lang=en${setting.query ? `&${setting.query}` : ''}`;
    await page.goto(url);
    await page.waitForFunction(() => globalThis.__bench.firstPainted !== null, null, { timeout, polling: 20 });
    const first = await page.evaluate(() => {
      const b = globalThis.__bench;
      return {
        ready: b.ready, drawn: b.firstDrawn, painted: b.firstPainted,
        longtasks: b.longtasks.length, maxLongtask: b.longtasks.reduce((m, e) => Math.max(m, e.duration), 0),
        inWorker: document.body.dataset.worker === '1',
      };
    });
    row.firstChart = first;
    row.inWorker = first.inWorker;
    await page.evaluate(settle, [panel, timeout]);
    await page.evaluate(wrapCompute);
    const refusal = await page.evaluate((p) => {
      const m = document.querySelector(`#panel-${p} [data-out=memory]:not([hidden])`);
      return m ? m.textContent.trim() : null;
    }, panel);
    if (refusal) row.refused = refusal;

    // -- slider-to-chart latency
    const { value, max, min } = await page.evaluate(([p, k]) => {
      const s = document.querySelector(`#panel-${p} input[name="${k}-slider"]`);
      return { value: Number(s.value), max: Number(s.max), min: Number(s.min) };
    }, [panel, key]);
    const other = value + 1 <= max ? value + 1 : value - 1;
    const n = setting.samples ?? (heavy ? opts.maxSamples : opts.samples);
    const samples = [];
    let timeouts = 0;
    for (let i = 0; i < n; i++) {
      const r = await page.evaluate(latencySample, [panel, key, i % 2 ? value : other, timeout]);
      if (r.timeout) { timeouts++; await page.evaluate(settle, [panel, timeout]); } else samples.push(r);
      process.stdout.write(heavy ? '·' : i % 10 === 9 ? '·' : '');
    }
    await page.evaluate(settle, [panel, timeout]);
    // Leave the slider where it started.
    if (n % 2) await page.evaluate(latencySample, [panel, key, value, timeout]);
    const painted = samples.map((s) => s.painted);
    const drawn = samples.map((s) => s.drawn);
    row.latency = {
      slider: key, values: [value, other], samples: samples.length, timeouts,
      median: median(painted), p95: quantile(painted, 0.95), max: painted.length ? Math.max(...painted) : null,
      drawnMedian: median(drawn), drawnP95: quantile(drawn, 0.95),
      // Medians of the parts (they need not add up to the median of the whole).
      parts: Object.fromEntries(['schedule', 'worker', 'compute', 'draw', 'paint'].map((k) => [k, median(samples.map((x) => x[k]).filter((x) => x !== null))])),
    };

    // -- longest main-thread task during a drag: half the events one way, half back
    const half = opts.drag / 2;
    const dir = value + half <= max ? 1 : -1;
    const values = [];
    for (let i = 1; i <= half; i++) values.push(Math.min(max, Math.max(min, value + dir * i)));
    for (let i = half - 1; i >= 0; i--) values.push(value + dir * i);
    if (!heavy) row.worker = await page.evaluate(coldStart);
    row.drag = { slider: key, from: value, to: value + dir * half, ...(await page.evaluate(drag, [panel, key, values, timeout])) };
    process.stdout.write('·');

    // -- memory over many updates (the cheapest panel at default settings)
    if (panel === 'vanishing' && setting.name === 'default') {
      const hk = PANELS[panel].heapSlider;
      const update = (v) => page.evaluate(latencySample, [panel, hk, v, timeout]);
      for (let i = 1; i <= 20; i++) await update(i); // warm up: JIT, lazily built objects, chart caches
      await page.evaluate(settle, [panel, timeout]);
      await gc();
      await gc();
      const before = await page.evaluate(heaps);
      let lost = 0;
      for (let i = 1; i <= opts.updates; i++) {
        const r = await update(((i - 1) % 1000) + 1); // seeds 1..1000 on the slider
        if (r.timeout) lost++;
        if (i % 100 === 0) process.stdout.write('·');
      }
      await page.evaluate(settle, [panel, timeout]);
      await gc();
      await gc();
      const after = await page.evaluate(heaps);
      row.memory = { updates: opts.updates, slider: hk, timeouts: lost, before, after };
    }
    row.errors = errors;
  } finally {
    await cdp.detach().catch(() => {});
    await page.close();
  }
  return row;
}

// ---- report ---------------------------------------------------------------------------
const ms = (v, d = 1) => (v === null || v === undefined ? '—' : v.toFixed(d));
const mib = (b) => (b === null || b === undefined ? '—' : `${(b / 2 ** 20).toFixed(2)} MiB`);

function table(rows) {
  const head = ['panel', 'setting', 'first chart', 'latency med', 'p95', 'n', 'drag ev', 'results', 'restarts', 'long tasks', 'max task', 'max frame gap'];
  const body = rows.map((r) => [
    r.panel, r.setting + (r.refused ? ' (refused)' : ''),
    ms(r.firstChart?.painted), ms(r.latency?.median), ms(r.latency?.p95),
    r.latency ? `${r.latency.samples}${r.latency.timeouts ? `+${r.latency.timeouts}t/o` : ''}` : '—',
    String(r.drag?.events ?? '—'), String(r.drag?.results ?? '—'), String(r.drag?.restarts ?? '—'),
    String(r.drag?.longtasks ?? '—'), ms(r.drag?.maxLongtask), ms(r.drag?.maxFrameGap),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}

/** Where the time goes: the first chart's parts and the latency's parts (medians). */
function details(rows) {
  const head = ['panel', 'setting', 'page ready', 'load tasks', 'longest load task', 'input→job', 'job (worker)', 'computing', 'draw', 'draw→paint', 'drag ms', 'last result'];
  const body = rows.filter((r) => r.latency).map((r) => [
    r.panel, r.setting,
    ms(r.firstChart.ready), String(r.firstChart.longtasks), ms(r.firstChart.maxLongtask),
    ms(r.latency.parts.schedule), ms(r.latency.parts.worker), ms(r.latency.parts.compute), ms(r.latency.parts.draw), ms(r.latency.parts.paint),
    ms(r.drag?.inputMs, 0), ms(r.drag?.lastResultMs, 0),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}

function goals(rows) {
  const out = [];
  const drags = rows.filter((r) => r.drag);
  const noLong = drags.length > 0 && drags.every((r) => r.drag.longtasks === 0 && r.drag.settled);
  out.push({
    goal: `no main-thread task longer than ${LONG_TASK} ms while dragging, at every setting measured`,
    met: noLong,
    detail: noLong
      ? `no long task in ${drags.length} drags (the longtask API reports only tasks ≥ ${LONG_TASK} ms)`
      : `${drags.filter((r) => r.drag.longtasks).map((r) => `${r.panel}/${r.setting}: ${r.drag.longtasks} long task(s), longest ${ms(r.drag.maxLongtask)} ms`
        + ` (${r.drag.longtasksDuringInput} while the events came in; longest after them ${ms(r.drag.maxLongtaskAfterInput)} ms)`).join('; ')}`
        + (drags.some((r) => !r.drag.settled) ? '; some drags never settled' : ''),
  });
  const defs = rows.filter((r) => r.setting === 'default' && r.latency);
  const fast = defs.length > 0 && defs.every((r) => r.latency.median !== null && r.latency.median < FRAME);
  out.push({
    goal: `at default settings, slider → painted chart under one frame (${FRAME.toFixed(1)} ms) at the median`,
    met: fast,
    detail: defs.map((r) => `${r.panel} ${ms(r.latency.median)} ms (drawn ${ms(r.latency.drawnMedian)} ms)`).join('; '),
  });
  const mem = rows.find((r) => r.memory);
  if (mem) {
    const { before: b, after: a } = mem.memory;
    const jsGrowth = a.jsHeap !== null && b.jsHeap !== null ? a.jsHeap - b.jsHeap : null;
    // "Flat": the wasm heaps did not grow and nothing is left allocated; the JS
    // heap (after a forced GC) within 1 MiB — noise from V8's own caches.
    const flat = a.mainWasm === b.mainWasm && a.workerWasm === b.workerWasm && a.mainLive === 0 && a.workerLive === 0
      && a.restarts === b.restarts && jsGrowth !== null && jsGrowth < 2 ** 20 && mem.memory.timeouts === 0;
    out.push({
      goal: `memory flat over ${mem.memory.updates} updates (wasm heaps unchanged, no live allocations, JS heap within 1 MiB)`,
      met: flat,
      detail: `JS heap ${mib(b.jsHeap)} → ${mib(a.jsHeap)} (${jsGrowth === null ? '—' : `${jsGrowth >= 0 ? '+' : ''}${(jsGrowth / 1024).toFixed(0)} KiB`}); `
        + `worker wasm ${mib(b.workerWasm)} → ${mib(a.workerWasm)}, live ${b.workerLive} → ${a.workerLive}; `
        + (b.mainWasm === null ? 'main-thread core not loaded (jobs run in the worker); '
          : `main wasm ${mib(b.mainWasm)} → ${mib(a.mainWasm)}, live ${b.mainLive} → ${a.mainLive}; `)
        + `DOM elements ${b.nodes} → ${a.nodes}; worker restarts ${b.restarts} → ${a.restarts}`,
    });
  }
  return out;
}

// ---- main -----------------------------------------------------------------------------
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const chosen = SETTINGS.filter((s) => !opts.only || opts.only.some((o) => {
    const [p, n] = o.split(':');
    return p === s.panel && (!n || n === s.name);
  }));
  if (!chosen.length) usage(`--only ${opts.only.join(',')} matches no panel/setting`);
  const build = ensureBuilt(opts.build);
  const git = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() || null;
  const meta = {
    date: new Date().toISOString(), git, build, node: process.version,
    cpus: cpus().length, cpuModel: cpus()[0]?.model, loadavgStart: loadavg(),
  };
  const stamp = genStamp();
  const { server, url } = await serve(0);
  const { browser, context } = await launch({
    args: ['--enable-precise-memory-info', '--disable-background-timer-throttling', '--disable-renderer-backgrounding'],
  });
  meta.chromium = context.browser()?.version() ?? null;
  const rows = [];
  try {
    if (!meta.chromium) {
      const p = await browser.newPage();
      meta.chromium = await p.evaluate(() => navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? navigator.userAgent);
      await p.close();
    }
    console.log(`GradLab UI benchmark — Chromium ${meta.chromium}, ${meta.cpus} CPUs, load ${meta.loadavgStart.map((l) => l.toFixed(2)).join(' ')}`);
    for (const s of chosen) {
      process.stdout.write(`  ${s.panel} / ${s.name} `);
      const t = performance.now();
      try {
        rows.push(await measureSetting(browser, url, s, opts));
      } catch (e) {
        rows.push({ panel: s.panel, setting: s.name, query: s.query, error: e.message });
        process.stdout.write(` ERROR: ${e.message.split('\n')[0]}`);
      }
      console.log(` ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  meta.loadavgEnd = loadavg();
  meta.genChanged = genStamp() !== stamp;
  if (meta.genChanged) console.warn('\nwarning: web/gen/ was rebuilt while the benchmark ran: later rows measured another build');
  const checks = goals(rows);
  console.log(`\nTimes in ms, measured in the page.  first chart: navigation start → first result painted.
latency: slider 'input' event → panel's data-drawn incremented → next frame painted (median, p95 by nearest rank;
  with few samples p95 is the largest).  drag: ${opts.drag} input events, one per animation frame, then the last result;
  long tasks are the PerformanceObserver 'longtask' entries (it only reports tasks ≥ ${LONG_TASK} ms: 0 / — means none);
  max frame gap: longest interval between animation frames during the drag.  restarts: compute-worker restarts
  (a job running > ${RESTART_AFTER} ms is abandoned for a newer one).\n`);
  console.log(table(rows));
  console.log(`\nWhere the time goes (medians over the latency samples): input→job: the update waits for the next
  animation frame; job: handed to the worker → result back, of which computing: the job's own time in the worker;
  draw: result → charts drawn; draw→paint: → frame painted.
  page ready: navigation → body[data-ready]; load tasks: long tasks before the first chart.  drag ms: the drag's
  input events; last result: last event → last result painted.\n`);
  console.log(details(rows));
  for (const r of rows.filter((x) => x.worker)) {
    console.log(`\n${r.panel}/${r.setting}: a trivial job takes ${ms(r.worker.warmMs)} ms on a running worker, ${ms(r.worker.coldMs)} ms on a freshly (re)started one`);
  }
  for (const r of rows) {
    if (r.refused) console.log(`\n${r.panel}/${r.setting}: the core refused the network — ${r.refused}`);
    if (r.error) console.log(`\n${r.panel}/${r.setting}: ERROR ${r.error}`);
    if (r.errors?.length) console.log(`\n${r.panel}/${r.setting}: page errors: ${r.errors.join(' | ')}`);
    if (r.drag && !r.drag.settled) console.log(`\n${r.panel}/${r.setting}: the drag's last result did not arrive in time`);
  }
  console.log('\nGoals:');
  for (const g of checks) console.log(`  [${g.met ? 'met' : 'NOT met'}] ${g.goal}\n      ${g.detail}`);
  console.log(`\nload average ${meta.loadavgStart.map((l) => l.toFixed(2)).join(' ')} → ${meta.loadavgEnd.map((l) => l.toFixed(2)).join(' ')}`
    + ` on ${meta.cpus} CPUs: other work on the machine inflates every time above.`);
  writeFileSync(OUT, `${JSON.stringify({ meta, options: opts, rows, goals: checks }, null, 2)}\n`);
  console.log(`wrote ${OUT.slice(ROOT.length)}`);
  if (rows.some((r) => r.error)) process.exitCode = 1;
}

main().catch((e) => {
  console.error(`bench/ui.js: ${e.stack || e.message}`);
  process.exit(1);
});
