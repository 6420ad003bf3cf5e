// heaps.js — memory over many updates, and what a worker (re)start costs.
import { sample } from './latency.js';
import { settle } from './page.js';

/** In the page: the heaps.  The JS heap is the page's (not the worker's); the
 *  wasm heaps are the computing thread's (the 'app/heap' job) and, only when
 *  jobs run on the main thread (no worker), the main thread's core — otherwise
 *  it is never loaded. */
async function heaps() {
  const T = globalThis.gradlabTest;
  const s = T.scheduler;
  const worker = await s.run('app/heap', {});
  const main = T.mainCore();
  return {
    jsHeap: performance.memory ? performance.memory.usedJSHeapSize : null,
    mainWasm: main ? main.heapBytes() : null,
    mainLive: main ? main.allocs - main.frees : 0,
    workerWasm: worker.bytes,
    workerLive: worker.live,
    inWorker: s.inWorker,
    restarts: s.stats().restarts,
    nodes: document.getElementsByTagName('*').length,
  };
}

/** In the page: how long a trivial job takes on the running worker, and on a
 *  freshly restarted one — what every restart during a drag costs before any
 *  result can come back.  null without a worker or while a job is pending. */
async function coldStart() {
  const s = globalThis.gradlabTest.scheduler;
  const st = s.stats();
  // every request ends done, cancelled or failed: the rest are pending
  if (!s.inWorker || st.submitted - st.done - st.cancelled - st.failed > 0) return null;
  const warm0 = performance.now();
  await s.run('app/heap', {});
  const warm = performance.now() - warm0;
  await s.restart();
  const t0 = performance.now();
  await s.run('app/heap', {});
  return { warmMs: warm, coldMs: performance.now() - t0 };
}

/** {warmMs, coldMs} of a trivial job (see coldStart), or null. */
export function workerStart(page) {
  return page.evaluate(coldStart);
}

/**
 * 20 warm-up updates of slider `key`, then `updates` updates (values 1..1000
 * in turn), each waited for; the heaps before and after, each after two
 * forced garbage collections.  Returns {updates, slider, timeouts, before, after}.
 */
export async function memoryTest(page, cdp, panel, key, updates, timeout, tick) {
  const gc = () => cdp.send('HeapProfiler.collectGarbage');
  const update = (v) => sample(page, panel, key, v, timeout);
  const snapshot = async () => {
    await settle(page, panel, timeout);
    await gc();
    await gc();
    return page.evaluate(heaps);
  };
  for (let i = 1; i <= 20; i++) await update(i); // warm up: JIT, lazily built objects, chart caches
  const before = await snapshot();
  let lost = 0;
  for (let i = 1; i <= updates; i++) {
    const r = await update(((i - 1) % 1000) + 1); // values 1..1000 on the slider
    if (r.timeout) lost++;
    if (i % 100 === 0) tick();
  }
  const after = await snapshot();
  return { updates, slider: key, timeouts: lost, before, after };
}
