// report.js — bench/ui.js's output: the summary per lesson and setting, where
// the time goes, every drag, the page's bytes, the display probe, and the
// goals of the issue.
import { fixed as ms, textTable } from '../lib/table.js';
import { FRAME, LONG_TASK, STARTUP_GOAL } from './settings.js';

const mib = (b) => (b === null || b === undefined ? '—' : `${(b / 2 ** 20).toFixed(2)} MiB`);
/** A slider value in at most 4 significant digits (log-scale sliders have long ones). */
const short = (v) => String(Number(v.toPrecision(4)));
const int = (n) => (n === null || n === undefined ? '—' : n.toLocaleString('en-US'));

export function summaryTable(rows) {
  const head = ['lesson', 'setting', 'first chart', 'latency med', 'p95', 'n', 'drag ev', 'results', 'restarts', 'long tasks', 'max task', 'max frame gap'];
  const body = rows.map((r) => [
    r.panel, r.setting + (r.refused ? ' (refused)' : ''),
    ms(r.firstChart?.painted), ms(r.latency?.median), ms(r.latency?.p95),
    r.latency ? `${r.latency.samples}${r.latency.timeouts ? `+${r.latency.timeouts}t/o` : ''}` : '—',
    String(r.drag?.events ?? '—'), String(r.drag?.results ?? '—'), String(r.drag?.restarts ?? '—'),
    String(r.drag?.longtasks ?? '—'), ms(r.drag?.maxLongtask), ms(r.drag?.maxFrameGap),
  ]);
  return textTable(head, body).join('\n');
}

/** Where the time goes: the first chart's parts and the latency's parts (medians). */
export function detailsTable(rows) {
  const head = ['lesson', 'setting', 'page ready', 'load tasks', 'longest load task', 'input→job', 'job (worker)', 'computing', 'draw', 'draw→paint', 'drag ms', 'last result'];
  const body = rows.filter((r) => r.latency).map((r) => [
    r.panel, r.setting,
    ms(r.firstChart.ready), String(r.firstChart.longtasks), ms(r.firstChart.maxLongtask),
    ms(r.latency.parts.schedule), ms(r.latency.parts.worker), ms(r.latency.parts.compute), ms(r.latency.parts.draw), ms(r.latency.parts.paint),
    ms(r.drag?.inputMs, 0), ms(r.drag?.lastResultMs, 0),
  ]);
  return textTable(head, body).join('\n');
}

/** Every drag: lesson, setting, slider, worst task, worst frame gap, results drawn. */
export function dragTable(rows) {
  const head = ['lesson', 'setting', 'slider', 'values', 'worst task ms', 'long tasks', 'worst frame ms', 'results drawn', 'jobs', 'restarts', 'last result ms'];
  const body = rows.flatMap((r) => (r.drags ?? []).map((d) => [
    r.panel, r.setting, d.slider, `${short(d.from)}→${short(d.to)}→${short(d.from)}`,
    ms(d.maxLongtask), String(d.longtasks), ms(d.maxFrameGap), String(d.results), String(d.submitted), String(d.restarts),
    d.settled ? ms(d.lastResultMs, 0) : `> ${(d.waitLimitMs / 1000).toFixed(0)} s (gave up)`,
  ]));
  return textTable(head, body, { left: 4 }).join('\n');
}

/** The bytes of every file the pages loaded (the product's, raw and gzip -9), and each lesson's sum. */
export function bytesTable(rows) {
  const files = new Map();
  for (const r of rows) for (const f of r.bytes?.files ?? []) files.set(f.path, f);
  const body = [...files.values()].map((f) => [f.path.endsWith('/') ? `${f.path.slice(1)}index.html` : f.path.slice(1), int(f.bytes), int(f.gzip)]);
  const out = textTable(['file', 'bytes', 'gzip -9'], body, { left: 1 });
  const sums = new Map(); // total → the pages that loaded that much
  for (const r of rows.filter((x) => x.bytes)) {
    const k = `${int(r.bytes.bytes)} bytes, gzip -9 ${int(r.bytes.gzip)}`;
    sums.set(k, [...(sums.get(k) ?? []), `${r.panel}/${r.setting}`]);
  }
  for (const [sum, who] of sums) out.push(`total ${sum}: ${who.join(', ')}`);
  const failed = rows.flatMap((r) => r.bytes?.failed ?? []);
  if (failed.length) out.push(`not counted (not 200): ${[...new Set(failed)].join(', ')}`);
  return out.join('\n');
}

export function displayLines(d) {
  if (d.error) return `display probe: ERROR ${d.error}`;
  const out = [`display-only controls on ${d.panel} at ${d.query} (first chart ${ms(d.firstChart?.painted)} ms):`];
  for (const c of d.controls) {
    if (c.missing) { out.push(`  ${c.key}: no such control`); continue; }
    out.push(`  ${c.key} (${c.values.join(', ')}): input → painted median ${ms(c.median)} ms, max ${ms(c.max)} ms`
      + ` (drawn ${ms(c.drawnMedian)} ms)${c.timeouts ? `, ${c.timeouts} timed out` : ''}; jobs submitted: ${c.submits}`);
  }
  return out.join('\n');
}

export function presetsLines(p) {
  if (p.error) return `presets probe: ERROR ${p.error}`;
  const out = ['Training presets, each chosen and trained to the end (its frames streamed and drawn):'];
  for (const r of p.runs) {
    out.push(`  ${r.preset.padEnd(10)} ${r.settled ? `trained and drawn in ${(r.ms / 1000).toFixed(1)} s` : `not done after ${(r.ms / 1000).toFixed(0)} s`},`
      + ` ${r.draws} draws; long tasks ${r.longtasks}${r.longtasks ? ` (worst ${ms(r.maxLongtask)} ms)` : ''}; worst frame ${ms(r.maxFrameGap)} ms`);
  }
  return out.join('\n');
}

export function goals(rows, display, presets = null, pool = null, startup = null) {
  const out = [];
  const drags = rows.flatMap((r) => (r.drags ?? []).map((d) => ({ ...d, where: `${r.panel}/${r.setting}/${d.slider}` })));
  const slow = drags.filter((d) => d.longtasks);
  const noLong = drags.length > 0 && !slow.length;
  if (drags.length) out.push({
    goal: `no main-thread task of ${LONG_TASK} ms or more while dragging any slider, at every setting measured`,
    met: noLong,
    detail: noLong
      ? `no long task in ${drags.length} drags (the longtask API reports only tasks over ${LONG_TASK} ms)`
      : slow.map((d) => `${d.where}: ${d.longtasks} long task(s), longest ${ms(d.maxLongtask)} ms`
        + ` (${d.longtasksDuringInput} while the events came in; longest after them ${ms(d.maxLongtaskAfterInput)} ms)`).join('; '),
  });
  const unsettled = drags.filter((d) => !d.settled); // none when there are no drags
  if (unsettled.length) {
    out.at(-1).detail += `; waited at most the limit for the last result, which had not come in: ${unsettled.map((d) => `${d.where} (${(d.waitLimitMs / 1000).toFixed(0)} s)`).join(', ')}`;
  }
  const defs = rows.filter((r) => r.setting === 'default' && r.latency);
  const fast = defs.length > 0 && defs.every((r) => r.latency.median !== null && r.latency.median < FRAME);
  if (defs.length) out.push({
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
  if (display && !display.error) {
    const cs = display.controls.filter((c) => !c.missing);
    const none = cs.length > 0 && cs.every((c) => c.submits === 0 && !c.timeouts);
    out.push({
      goal: 'a display-only control computes nothing (no job submitted) and redraws',
      met: none,
      detail: cs.map((c) => `${c.key}: ${c.submits} job(s) submitted, painted in ${ms(c.median)} ms`).join('; '),
    });
  }
  if (presets && !presets.error) {
    const slow = presets.runs.filter((r) => r.longtasks || !r.settled);
    out.push({
      goal: `every Training preset trains to the end with no main-thread task of ${LONG_TASK} ms or more`,
      met: presets.runs.length > 0 && !slow.length,
      detail: slow.length ? slow.map((r) => `${r.preset}: ${r.settled ? `${r.longtasks} long task(s), longest ${ms(r.maxLongtask)} ms` : 'did not finish'}`).join('; ')
        : `${presets.runs.length} presets, no long task`,
    });
  }
  if (pool && !pool.error) {
    out.push({
      goal: `a pool of ${pool.size} computes Initialization's largest network ≥ 1.7× faster than one worker (${pool.cores} cores; the page's own pool: ${pool.own})`,
      met: pool.speedup >= 1.7,
      detail: `a new seed → drawn: 1 worker ${(pool.t1 / 1000).toFixed(1)} s, the pool ${(pool.tw / 1000).toFixed(1)} s: ${pool.speedup.toFixed(2)}× `
        + `(from the navigation: ${(pool.nav1 / pool.navw).toFixed(2)}×)`,
    });
  }
  if (startup && !startup.error) {
    const worst = Math.max(startup.file.painted, startup.http.painted);
    const twice = [...startup.file.twice, ...startup.http.twice];
    out.push({
      goal: `start-up: navigation → first chart painted ≤ ${STARTUP_GOAL} ms cold (median of ${startup.runs}), from file:// and http, nothing loaded twice`,
      met: worst <= STARTUP_GOAL && !twice.length,
      detail: `file:// ${ms(startup.file.painted)} ms, http ${ms(startup.http.painted)} ms`
        + (twice.length ? `; loaded twice: ${twice.join(', ')}` : '; every file loaded once'),
    });
  }
  return out;
}
