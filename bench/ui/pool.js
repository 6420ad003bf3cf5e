// pool.js — the pool probe: the Initialization lesson's largest network (four
// schemes, one job each) computed from a fresh page in a pool of 1 worker and
// in a pool of w = max(2, the page's own pool size) workers, alternating; the
// time from navigation to every scheme drawn, then, in the same page, from a
// new seed (which every scheme reads) to every scheme drawn again: the job
// itself, its workers running, without the page's start-up (~1 s, the same in
// both pools).  The speed-up is that of the job; what it says about 4 and 8
// cores follows.
import { openPage, settle } from './page.js';

/** In the page: the pool it made, and the workers it has spawned. */
function poolOf() {
  const s = globalThis.gradlabTest.scheduler;
  return { size: s.size, workers: s.workers(), cores: navigator.hardwareConcurrency };
}

/** In the page: moves the seed slider one up and times input → every job
 *  answered and drawn (ms), or null after timeout ms. */
async function reseed([panel, timeout]) {
  const root = document.getElementById(`panel-${panel}`);
  const slider = root.querySelector('.control[data-key$="_seed"] input[type=range]');
  slider.value = String(Number(slider.value) + 1);
  const t0 = performance.now();
  slider.dispatchEvent(new Event('input', { bubbles: true }));
  return (await globalThis.__bench.settle(root, timeout)) ? performance.now() - t0 : null;
}

/** Opens the lesson with a pool of `workers`, waits until it has settled, then recomputes it with a new seed. */
async function once(browser, base, p, workers, timeout) {
  const url = `${base}?tab=${p.panel}&lang=en&${p.query}&testworkers=${workers}`;
  const { page, errors, close } = await openPage(browser, url, timeout);
  try {
    const settled = await settle(page, p.panel, timeout);
    const ms = await page.evaluate(() => performance.now()); // from the navigation start
    const job = settled ? await page.evaluate(reseed, [p.panel, timeout]) : null;
    return { ...(await page.evaluate(poolOf)), settled: settled && job !== null, ms, job, errors };
  } finally {
    await close();
  }
}

/**
 * Resolves to {cores, own (the page's pool size), size (w), used, runs: {1: [ms],
 * pool: [ms]}, t1, tw, speedup, serial, expect: {4, 8}}.
 * With n equal independent jobs and a serial part s of the one-worker time T1,
 * T(w) = T1·(s + (1 − s)·⌈n/w⌉/n); the two measured times give s, and the
 * expectation for a machine of c cores is T1/T(poolSize(c)).
 */
export async function poolProbe(browser, base, p, poolSize, timeout, tick) {
  const runs = { 1: [], pool: [] }; // navigation → drawn
  const jobs = { 1: [], pool: [] }; // a new seed → drawn
  let info = null;
  const errors = [];
  const cores = await (async () => {
    const page = await browser.newPage();
    try { return await page.evaluate(() => navigator.hardwareConcurrency); } finally { await page.close(); }
  })();
  const own = poolSize(cores), w = Math.max(2, own);
  for (let i = 0; i < p.runs; i++) {
    for (const which of i % 2 ? ['pool', 1] : [1, 'pool']) {
      const r = await once(browser, base, p, which === 1 ? 1 : w, timeout);
      if (!r.settled) throw new Error(`Init did not settle within ${timeout / 1000} s in a pool of ${which}`);
      if (which === 'pool') info = r;
      runs[which].push(r.ms);
      jobs[which].push(r.job);
      errors.push(...r.errors);
      tick();
    }
  }
  const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  const nav1 = med(runs[1]), navw = med(runs.pool);
  const t1 = med(jobs[1]), tw = med(jobs.pool), n = 4;
  const share = Math.ceil(n / w) / n; // the parallel part's time in w workers, relative to 1
  const serial = share < 1 ? Math.min(1, Math.max(0, (tw / t1 - share) / (1 - share))) : null;
  const expect = {};
  if (serial !== null) {
    for (const c of [4, 8]) expect[c] = 1 / (serial + (1 - serial) * Math.ceil(n / poolSize(c)) / n);
  }
  return { cores, own, size: w, used: info.workers, runs, jobs, nav1, navw, t1, tw, speedup: t1 / tw, serial, expect, errors };
}

/** The probe's lines of the report. */
export function poolLines(r) {
  if (r.error) return `pool probe: ERROR ${r.error}`;
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const lines = [`Pool: ${r.cores} logical cores → the page's pool has ${r.own} worker(s).  Initialization's largest `
    + `network, four schemes (medians of ${r.jobs[1].length}): a new seed → every scheme drawn again: 1 worker ${s(r.t1)}, `
    + `a pool of ${r.size} (${r.used} spawned) ${s(r.tw)} — ${r.speedup.toFixed(2)}× faster; from the navigation, `
    + `page start-up included: ${s(r.nav1)} and ${s(r.navw)} (${(r.nav1 / r.navw).toFixed(2)}×).`];
  if (r.serial !== null) {
    lines.push(`  Serial part of the job (messages, drawing, the longest job's excess): ${(100 * r.serial).toFixed(0)}% of the one-worker time; `
      + `expected speed-up with the same four jobs: ${Object.entries(r.expect).map(([c, x]) => `${c} cores (pool ${c === '4' ? 3 : 4}) ${x.toFixed(2)}×`).join(', ')}.`);
  }
  return lines.join('\n');
}
