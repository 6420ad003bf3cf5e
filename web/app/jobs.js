// jobs.js — the job table every computing thread serves: each lesson's jobs
// under 'lessonId/jobName', plus the app's own.  The same code answers the
// scheduler's messages in the Web Worker (worker.js) and, where there is no
// worker, on the main thread (LocalWorker).
import { WORK_BUDGET, nearestWithin } from '../budget.js';

/** Jobs of the app itself (not of a lesson). */
const APP_JOBS = {
  /** The wasm heap of the computing thread and the buffers the wrapper has
   *  allocated but not freed (the memory test and the UI benchmark read both). */
  'app/heap': (core) => ({ bytes: core.heapBytes(), live: core.allocs - core.frees }),
};

/**
 * The input `job` runs on for `state` (a lesson's local keys): its declared
 * inputs, narrowed by job.relevant to what their values make relevant (an
 * init scheme ignores σ unless it is normal or uniform), so that a change the
 * job would ignore does not rerun it.  The runtime, the benchmark and the
 * tests all make a job's input here.
 */
export function jobInput(job, state) {
  const input = Object.fromEntries(job.inputs.map((k) => [k, state[k]]));
  return job.relevant ? job.relevant(input) : input;
}

/** Up to two values of `spec` other than v, at its ends (or the other enum values, or !v). */
function otherValues(spec, v) {
  if (spec.type === 'bool') return [!v];
  if (spec.type === 'enum') return spec.values.filter((x) => x !== v).slice(0, 2);
  if (spec.type === 'int' || spec.type === 'float') return [spec.min, spec.max].filter((x) => x !== v);
  return [];
}

/**
 * The keys among `keys` that cannot change any job's input in `state` (and so
 * any result): each is read by some job, no view reads it directly, and set to
 * either end of its range (or another of its values) it leaves the input of
 * every job that reads it as it is (jobInput, through the job's relevant()).
 * Initialization's gain with "each scheme's default gain" ticked is one; a
 * control for such a key is disabled with its reason, and moving it would
 * start no job.  `lesson.schema` gives the specs; a key no job reads (the
 * view's own) is never inert.
 */
export function inertKeys(lesson, state, keys) {
  // A plain copy, read once: the page's state is a Proxy whose every read
  // builds a key, and spreading it for each key × value × job (~320 times for
  // Training's 53 keys) took 10–26 ms of a drag's task.
  const plain = { ...state };
  const jobs = Object.values(lesson.jobs);
  const now = new Map(jobs.map((j) => [j, JSON.stringify(jobInput(j, plain))])); // once, not once per key
  return keys.filter((k) => {
    const readers = jobs.filter((j) => j.inputs.includes(k));
    return readers.length > 0 && otherValues(lesson.schema[k], plain[k]).every((v) =>
      readers.every((j) => JSON.stringify(jobInput(j, { ...plain, [k]: v })) === now.get(j)));
  });
}

/**
 * The work one change of a lesson's state asks for (web/budget.js's unit):
 * the sum of its jobs' flops(input), every job rerun (each pool worker runs
 * one job at a time, and a change of the seed reruns them all).
 */
export function lessonFlops(lesson, state) {
  return Object.values(lesson.jobs).reduce((sum, job) => sum + (job.flops ? job.flops(jobInput(job, state)) : 0), 0);
}

/**
 * Brings a lesson's state within WORK_BUDGET before any job starts, by
 * lowering the lesson's budget knobs (lesson.budget.knobs: schema keys the
 * work rises with): the key just changed if lowering it is enough, else the
 * knob that needs the smallest relative cut (budget.js nearestWithin); if no
 * single knob is enough, the first knob not yet at its minimum goes there and
 * the search repeats.  Writes the new values into `state` and returns them,
 * [{key, from, to}], empty when the state was within the budget.
 */
export function fitBudget(lesson, state, changed) {
  const knobs = lesson.budget?.knobs ?? [];
  const cost = (s) => lessonFlops(lesson, s);
  const clamps = [];
  const spec = (key) => ({ key, min: lesson.schema[key].min });
  const mine = knobs.includes(changed) ? [spec(changed)] : [];
  for (let round = 0; round <= knobs.length && cost(state) > WORK_BUDGET; round++) {
    const lowest = [changed, ...knobs].find((k) => knobs.includes(k) && state[k] > lesson.schema[k].min);
    if (lowest === undefined) break; // every knob at its minimum: nothing left to lower
    const near = (round === 0 && nearestWithin(cost, { ...state }, mine)) ||
      nearestWithin(cost, { ...state }, knobs.map(spec)) || { key: lowest, value: lesson.schema[lowest].min };
    clamps.push({ key: near.key, from: state[near.key], to: near.value });
    state[near.key] = near.value;
  }
  return clamps;
}

/** Map 'lessonId/jobName' → run(core, input, progress) for the lessons. */
export function jobTable(lessons) {
  const table = new Map(Object.entries(APP_JOBS));
  for (const lesson of lessons) {
    for (const [name, job] of Object.entries(lesson.jobs)) table.set(`${lesson.id}/${name}`, job.run);
  }
  return table;
}

/** The ArrayBuffers inside a result, to transfer rather than copy. */
function buffers(value, out = new Set()) {
  if (ArrayBuffer.isView(value)) out.add(value.buffer);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) buffers(v, out);
  return out;
}

/**
 * Runs one request {id, job, input} with `core` and reports through
 * post(message, transfer): progress messages, then done (with the job's own
 * time, ms) or error.
 */
export function runRequest(table, core, { id, job, input }, post) {
  try {
    const run = table.get(job);
    if (!run) throw new Error(`unknown job '${job}'`);
    const start = performance.now();
    const data = run(core, input, (value) => post({ id, type: 'progress', value }));
    post({ id, type: 'done', data, ms: performance.now() - start }, [...buffers(data)]);
  } catch (e) {
    post({ id, type: 'error', error: { name: e.name, message: e.message, status: e.status } });
  }
}

/** Makes `scope` (a worker's self) answer requests; the core loads once. */
export function serveJobs(scope, table, loadCore) {
  const core = loadCore();
  core.catch(() => {}); // reported to each request below
  scope.onmessage = async (event) => {
    if (event.data && event.data.ping) { // the scheduler's "are you running?"
      scope.postMessage({ type: 'pong' });
      return;
    }
    let c;
    try {
      c = await core;
    } catch (e) {
      scope.postMessage({ id: event.data.id, type: 'error', error: { name: e.name, message: e.message } });
      return;
    }
    runRequest(table, c, event.data, (msg, transfer) => scope.postMessage(msg, transfer));
  };
}

/**
 * A Worker-like object that runs jobs on the main thread (no Web Worker: a
 * browser that refuses Blob workers).  The core is loaded on the first
 * request; each job runs in its own task after the caller's.  terminate()
 * drops whatever has not been answered yet (a running job cannot be stopped).
 */
export class LocalWorker {
  constructor(table, loadCore) {
    this.table = table;
    this.loadCore = loadCore;
    this.dead = false;
    this.onmessage = null;
    this.onerror = null;
  }

  postMessage(msg) {
    if (msg.ping) {
      queueMicrotask(() => { if (!this.dead && this.onmessage) this.onmessage({ data: { type: 'pong' } }); });
      return;
    }
    this.loadCore().then((core) => setTimeout(() => {
      if (this.dead) return;
      runRequest(this.table, core, msg, (data) => { if (!this.dead && this.onmessage) this.onmessage({ data }); });
    }, 0), (e) => {
      if (!this.dead && this.onmessage) this.onmessage({ data: { id: msg.id, type: 'error', error: { name: e.name, message: e.message } } });
    });
  }

  terminate() { this.dead = true; }
}
