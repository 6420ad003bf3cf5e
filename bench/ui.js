#!/usr/bin/env node
// ui.js — the UI benchmark (`npm run bench:ui`): drives headless Chromium over
// every lesson at its default and its maximum settings and measures
//   · time from navigation start to the first chart painted, and the bytes
//     of every file the page loads,
//   · slider-to-chart latency (input event → result drawn → next frame painted),
//   · the longest main-thread task and frame gap during a scripted drag of
//     every slider of the lesson,
//   · the JS heap, both wasm heaps and the live allocations before and after
//     1,000 consecutive updates,
//   · (the display probe) what a display-only control costs and computes,
//   · (the presets probe) the longest task while each Training preset trains,
//   · (the pool probe) Init's largest network in 1 worker and in the page's pool,
//   · (the start-up probe) navigation → first chart painted, cold, for the product
//     page from file:// and over http (a fresh browser per run).
// Prints tables, checks the goals of the issue, and writes bench/ui-results.json.
//
//   node bench/ui.js [--only WHAT,…] [--display] [--presets] [--pool] [--startup] [--samples N] [--updates N] [--max-wait S] [--no-build]
//
// It serves the test build of the page (tools/serve.js with testHooks) and
// uses only its DOM and globalThis.gradlabTest.  All timing is taken inside
// the page with performance.now() (whose origin is the navigation start),
// never across the DevTools pipe.  The parts are in bench/ui/.
import { spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { launch } from '../tests/browser/browser.js';
import { serve } from '../tools/serve.js';
import { ROOT, ensureWebGen, genStamp, newestMtime } from './lib/build.js';
import { fixed as ms, loadLine } from './lib/table.js';
import { displayProbe } from './ui/display.js';
import { poolLines, poolProbe } from './ui/pool.js';
import { presetsProbe } from './ui/presets.js';
import { startupLines, startupProbe } from './ui/startup.js';
import { poolSize } from '../web/app/scheduler.js';
import { measureSetting } from './ui/measure.js';
import { bytesTable, detailsTable, displayLines, dragTable, goals, presetsLines, summaryTable } from './ui/report.js';
import { DISPLAY, LONG_TASK, POOL, parseArgs } from './ui/settings.js';

const OUT = path.join(ROOT, 'bench', 'ui-results.json');
/** What the page loads from web/gen/, and the test build served in app.js's place. */
const GEN = ['app.js', 'app-test.js', 'worker-src.js', 'gradlab.js', 'chart.umd.min.js'];

/** Newest modification time (ms) of the sources web/gen/ is built from. */
function newestSource() {
  return Math.max(newestMtime(path.join(ROOT, 'web')), newestMtime(path.join(ROOT, 'src')),
    statSync(path.join(ROOT, 'build-wasm.sh')).mtimeMs);
}

async function main() {
  const { opts, chosen } = parseArgs(process.argv.slice(2));
  const build = ensureWebGen({ files: GEN, newest: newestSource(), allowed: opts.build });
  const git = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() || null;
  const meta = {
    date: new Date().toISOString(), git, build, node: process.version,
    cpus: cpus().length, cpuModel: cpus()[0]?.model, loadavgStart: loadavg(),
  };
  const stamp = genStamp(GEN);
  const { server, url } = await serve({ port: 0, testHooks: true });
  const { browser, context } = await launch({
    args: ['--enable-precise-memory-info', '--disable-background-timer-throttling', '--disable-renderer-backgrounding'],
  });
  meta.chromium = context.browser()?.version() ?? null;
  const rows = [];
  let display = null;
  let presets = null;
  let pool = null;
  let startup = null;
  const t0 = performance.now();
  try {
    if (!meta.chromium) {
      const p = await browser.newPage();
      meta.chromium = await p.evaluate(() => navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? navigator.userAgent);
      await p.close();
    }
    console.log(`GradLab UI benchmark — Chromium ${meta.chromium}, ${meta.cpus} CPUs, load ${loadLine(meta.loadavgStart)}`);
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
    if (opts.display) {
      process.stdout.write(`  display probe: ${DISPLAY.panel} at ${DISPLAY.query} `);
      const t = performance.now();
      try {
        display = await displayProbe(browser, url, DISPLAY, 900_000, () => process.stdout.write('·'));
      } catch (e) {
        display = { error: e.message };
        process.stdout.write(` ERROR: ${e.message.split('\n')[0]}`);
      }
      console.log(` ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    if (opts.presets) {
      process.stdout.write('  presets probe: Training, every preset ');
      const t = performance.now();
      try {
        presets = await presetsProbe(browser, url, 900_000, () => process.stdout.write('·'));
      } catch (e) {
        presets = { error: e.message };
        process.stdout.write(` ERROR: ${e.message.split('\n')[0]}`);
      }
      console.log(` ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    if (opts.pool) {
      process.stdout.write(`  pool probe: ${POOL.panel} at ${POOL.query.replaceAll('&', ', ')}, 1 worker and the page's pool `);
      const t = performance.now();
      try {
        pool = await poolProbe(browser, url, POOL, poolSize, 900_000, () => process.stdout.write('·'));
      } catch (e) {
        pool = { error: e.message };
        process.stdout.write(` ERROR: ${e.message.split('\n')[0]}`);
      }
      console.log(` ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  if (opts.startup) { // browsers of its own, after the others have closed
    process.stdout.write(`  start-up probe: ${opts.startupRuns} cold loads from file:// and over http `);
    const t = performance.now();
    try {
      startup = await startupProbe({ runs: opts.startupRuns, tick: () => process.stdout.write('·') });
    } catch (e) {
      startup = { error: e.message };
      process.stdout.write(` ERROR: ${e.message.split('\n')[0]}`);
    }
    console.log(` ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  meta.wallS = (performance.now() - t0) / 1000;
  meta.loadavgEnd = loadavg();
  meta.genChanged = genStamp(GEN) !== stamp;
  if (meta.genChanged) console.warn('\nwarning: web/gen/ was rebuilt while the benchmark ran: later rows measured another build');
  const restartAfter = rows.find((r) => r.restartAfter)?.restartAfter;
  const checks = goals(rows, display, presets, pool, startup);
  if (rows.length) {
    console.log(`\nTimes in ms, measured in the page.  first chart: navigation start → first result painted.
latency: slider 'input' event → lesson's data-drawn incremented → next frame painted (median, p95 by nearest rank;
  with few samples p95 is the largest).  drag (of the latency's slider here; every slider below): ${opts.drag} input
  events, one per animation frame, from the slider's value to the farther end of its range and back, then the
  last result; long tasks are the PerformanceObserver 'longtask' entries (it only reports tasks over ${LONG_TASK} ms:
  0 / — means none); max frame gap: longest interval between animation frames during the drag.  restarts:
  compute-worker restarts (a job running > ${restartAfter ?? '?'} ms is abandoned for a newer one of its lane).\n`);
    console.log(summaryTable(rows));
    console.log(`\nWhere the time goes (medians over the latency samples): input→job: input → the job submitted to the
  scheduler; job: submitted → result back, of which computing: the job's own time where it ran;
  draw: result → charts drawn; draw→paint: → frame painted.
  page ready: navigation → body[data-ready]; load tasks: long tasks before the first chart.  drag ms: the drag's
  input events; last result: last event → last result painted.\n`);
    console.log(detailsTable(rows));
    console.log(`\nEvery slider of each lesson dragged (${opts.drag} events, value → farther end → value).  jobs: requests
  submitted to the scheduler during the drag.  last result: last event → settled; at the largest settings a drag
  waits at most ${opts.maxWaitS} s for it (--max-wait), then the next drag starts.\n`);
    console.log(dragTable(rows));
    console.log('\nPage bytes: every file the page loaded from the server, sized as the product serves it (the file on\n'
      + '  disk; web/gen/app.js is the product bundle, not the test build the bench is served), and gzip -9 of it\n'
      + '  (Node\'s zlib at level 9; the gzip command also stores the file name).\n');
    console.log(bytesTable(rows));
  }
  for (const r of rows.filter((x) => x.worker)) {
    console.log(`\n${r.panel}/${r.setting}: a trivial job takes ${ms(r.worker.warmMs)} ms on a running worker, ${ms(r.worker.coldMs)} ms on a freshly (re)started one`);
  }
  for (const r of rows) {
    if (r.refused) console.log(`\n${r.panel}/${r.setting}: the core refused the network — ${r.refused}`);
    if (r.error) console.log(`\n${r.panel}/${r.setting}: ERROR ${r.error}`);
    if (r.errors?.length) console.log(`\n${r.panel}/${r.setting}: page errors: ${r.errors.join(' | ')}`);
    if (r.skippedSliders?.length) console.log(`\n${r.panel}/${r.setting}: hidden or disabled sliders not dragged: ${r.skippedSliders.join(', ')}`);
  }
  if (display) {
    console.log(`\n${displayLines(display)}`);
    if (display.errors?.length) console.log(`display probe: page errors: ${display.errors.join(' | ')}`);
  }
  if (presets) {
    console.log(`\n${presetsLines(presets)}`);
    if (presets.errors?.length) console.log(`presets probe: page errors: ${presets.errors.join(' | ')}`);
  }
  if (pool) {
    console.log(`\n${poolLines(pool)}`);
    if (pool.errors?.length) console.log(`pool probe: page errors: ${pool.errors.join(' | ')}`);
  }
  if (startup) console.log(`\n${startup.error ? `start-up probe: ERROR ${startup.error}` : startupLines(startup)}`);
  console.log('\nGoals:');
  for (const g of checks) console.log(`  [${g.met ? 'met' : 'NOT met'}] ${g.goal}\n      ${g.detail}`);
  console.log(`\nload average ${loadLine(meta.loadavgStart)} → ${loadLine(meta.loadavgEnd)} on ${meta.cpus} CPUs: other work on the`
    + ` machine inflates every time above.  Wall time ${meta.wallS.toFixed(0)} s.`);
  writeFileSync(OUT, `${JSON.stringify({ meta, options: opts, rows, display, presets, pool, startup, goals: checks }, null, 2)}\n`);
  console.log(`wrote ${OUT.slice(ROOT.length)}`);
  if (rows.some((r) => r.error) || display?.error || presets?.error || pool?.error || startup?.error) process.exitCode = 1;
}

main().catch((e) => {
  console.error(`bench/ui.js: ${e.stack || e.message}`);
  process.exit(1);
});
