// pool.test.js — the pool of workers with real threads and the real core: a
// training race and Initialization's four schemes give the same numbers in a
// pool of one and a pool of two, and in the pool of two they do run at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { jobInput } from '../../web/app/jobs.js';
import { Scheduler } from '../../web/app/scheduler.js';
import { LESSONS } from '../../web/lessons/index.js';
import { defaults } from '../../web/state.js';

const WORKER = new URL('./fixtures/pool-worker.js', import.meta.url);

/** A Worker-like object (the scheduler's protocol) on a Node worker thread. */
class ThreadWorker {
  constructor() {
    this.thread = new Worker(WORKER, { env: process.env });
    this.onmessage = null;
    this.onerror = null;
    this.thread.on('message', (data) => this.onmessage && this.onmessage({ data }));
    this.thread.on('error', (e) => this.onerror && this.onerror(e));
  }
  postMessage(msg) { this.thread.postMessage(msg); }
  terminate() { this.thread.terminate(); }
}

/** Every job of `lessonId` at the lesson's state `over` (local keys), as the runtime submits them. */
function requests(lessonId, over = {}) {
  const lesson = LESSONS.find((l) => l.id === lessonId);
  const state = { ...defaults(lesson.schema), ...over };
  return Object.entries(lesson.jobs).map(([name, job]) => ({ lane: `${lessonId}/${name}`, job: `${lessonId}/${name}`, input: jobInput(job, state) }));
}

/** Runs the requests in a pool of `size`; resolves to {results (in order), overlap: max jobs running at once, workers}. */
async function runAll(size, reqs) {
  const workers = [];
  const s = new Scheduler({ size, spawn: () => { const w = new ThreadWorker(); workers.push(w); return w; }, restartAfter: Infinity });
  let running = 0;
  let overlap = 0;
  s.onEvent((e) => {
    if (e.type === 'start') overlap = Math.max(overlap, ++running);
    if (e.type === 'done' || e.type === 'error' || e.type === 'cancel') running--;
  });
  try {
    const results = await Promise.all(reqs.map((r) => s.submit(r.lane, r.job, r.input)));
    return { results, overlap, workers: s.workers };
  } finally {
    for (const w of workers) w.terminate();
  }
}

test('a training race gives the same numbers in a pool of 2 as in a pool of 1, two lanes at a time', { timeout: 300_000 }, async () => {
  const reqs = requests('train', { steps: 60 });
  assert.equal(reqs.filter((r) => !r.input.off).length, 4, 'the race has four lanes');
  const one = await runAll(1, reqs);
  const two = await runAll(2, reqs);
  assert.equal(one.overlap, 1);
  assert.equal(two.overlap, 2, 'two lanes trained at once');
  assert.equal(two.workers, 2);
  assert.deepEqual(two.results, one.results);
  assert.ok(one.results.some((r) => r.loss && r.loss.length === 61), 'real training results were compared');
});

test("Initialization's four schemes give the same numbers in a pool of 2 as in a pool of 1", { timeout: 300_000 }, async () => {
  const reqs = requests('init');
  const one = await runAll(1, reqs);
  const two = await runAll(2, reqs);
  assert.equal(two.overlap, 2);
  assert.deepEqual(two.results, one.results);
  assert.ok(one.results.filter((r) => r && r.run).length >= 2, 'real networks were compared');
});
