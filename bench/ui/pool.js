// pool.js — the pool probe: the Initialization lesson's largest network (four
// schemes, one job each) computed from a fresh page in a pool of 1 worker and
// in a pool of w = max(2, the page's own pool size) workers, alternating; the
// time from navigation to every scheme drawn, and what the speed-up says about
// 4 and 8 cores.
import { openPage, settle } from './page.js';

/** In the page: the pool it made, and the workers it has spawned. */
function poolOf() {
  const s = globalThis.gradlabTest.scheduler;
  return { size: s.size, workers: s.workers(), cores: navigator.hardwareConcurrency };
}

/** Opens the lesson with a pool of `workers` and waits until it has settled. */
async function once(browser, base, p, workers, timeout) {
  const url = `${base}?tab=${p.panel}&lang=en&${p.query}&testworkers=${workers}`;
  const { page, errors, close } = await openPage(browser, url, timeout);
  try {
    const settled = await settle(page, p.panel, timeout);
    const ms = await page.evaluate(() => performance.now()); // from the navigation start
    return { ...(await page.evaluate(poolOf)), settled, ms, errors };
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
  const runs = { 1: [], pool: [] };
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
      errors.push(...r.errors);
      tick();
    }
  }
  const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  const t1 = med(runs[1]), tw = med(runs.pool), n = 4;
  const share = Math.ceil(n / w) / n; // the parallel part's time in w workers, relative to 1
  const serial = share < 1 ? Math.min(1, Math.max(0, (tw / t1 - share) / (1 - share))) : null;
  const expect = {};
  if (serial !== null) {
    for (const c of [4, 8]) expect[c] = 1 / (serial + (1 - serial) * Math.ceil(n / poolSize(c)) / n);
  }
  return { cores, own, size: w, used: info.workers, runs, t1, tw, speedup: t1 / tw, serial, expect, errors };
}

/** The probe's lines of the report. */
export function poolLines(r) {
  if (r.error) return `pool probe: ERROR ${r.error}`;
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const lines = [`Pool: ${r.cores} logical cores → the page's pool has ${r.own} worker(s).  Initialization's largest `
    + `network, four schemes, navigation → every scheme drawn: 1 worker ${s(r.t1)}, a pool of ${r.size} (${r.used} spawned) `
    + `${s(r.tw)} — ${r.speedup.toFixed(2)}× faster.`];
  if (r.serial !== null) {
    lines.push(`  Serial part (start-up, drawing, the longest job's excess): ${(100 * r.serial).toFixed(0)}% of the one-worker time; `
      + `expected speed-up with the same four jobs: ${Object.entries(r.expect).map(([c, x]) => `${c} cores (pool ${c === '4' ? 3 : 4}) ${x.toFixed(2)}×`).join(', ')}.`);
  }
  return lines.join('\n');
}
