// scheduler.js — the one place where "the newest request wins".
//
// Requests are grouped in lanes (one lane per job of a lesson, 'init/net1').
// Jobs run in a pool of workers (Web Workers, or one stand-in that runs them
// on the main thread), one job per worker at a time, at most one running
// request per lane: independent lanes — Initialization's four schemes, a
// training race's lanes — run in parallel, each worker with its own core.
// A job's result does not depend on the worker that ran it (its input holds
// every seed).  Workers are spawned as work needs them, up to the pool size.
// Within a lane only the newest request matters:
//   · coalescing — a request still queued when a newer one of its lane arrives
//     is dropped (it rejects with Cancelled);
//   · supersession — a running request of the lane is let finish while it is
//     quick (a drag keeps drawing intermediate results), and abandoned once it
//     has run for restartAfter ms: its worker is terminated and a fresh one
//     spawned, so a slow setting never holds back the newest request;
//   · cancellation — cancel(lane) drops whatever the lane has queued or running;
//   · errors — a job's error rejects its request only; a worker that fails
//     outright is replaced, and the requests still queued run on.
// Other lanes are never cancelled by a lane's requests: their queued requests
// survive a restart, and their running ones run on in their own workers.
//
// The worker protocol: postMessage({id, job, input}) and messages back
// {id, type: 'progress', value} | {id, type: 'done', data, ms} |
// {id, type: 'error', error: {name, message, status}}.
//
// A worker the host refuses.  A course site's Content-Security-Policy may
// forbid Blob workers (worker-src without blob:): the browser then fails the
// Worker asynchronously, or it never runs.  Given a `fallback`, the scheduler
// checks each new worker — {ping: 1} first, which the worker answers
// {type: 'pong'} before it loads anything — and a worker that fails before
// its pong, or gives none within PING_TIMEOUT ms, moves every job to the
// fallback (the main-thread stand-in): the requests it held run again there,
// and onFallback() is called once, for the page to say so.

/**
 * Workers for a machine with `cores` logical cores (navigator.hardwareConcurrency):
 * one per core but one, which stays with the page's own thread, at most 4, at
 * least 1 (also when the count is unknown).  On 2 cores that is one worker: a
 * pool of two trains a 4-lane race or Initialization's four schemes ~1.75×
 * faster there, but the page's drawing then gets two thirds of a core and
 * bench:ui measured 50–200 ms main-thread tasks while it trained, none with one.
 */
export function poolSize(cores) {
  if (!Number.isInteger(cores) || cores < 2) return 1;
  return Math.min(cores - 1, 4);
}

/** A running request older than this is abandoned for a newer one of its lane
 *  (ms).  A fresh worker needs ~20 ms to start, so abandoning quick jobs would
 *  only cancel one request after another during a drag. */
export const RESTART_AFTER = 250;

/** How long a new worker may take to answer its ping before it is taken as
 *  refused (ms): it answers before loading its core, so a live one takes
 *  ~10–100 ms; this bound only ends the wait on one that never runs. */
export const PING_TIMEOUT = 4000;

export class Cancelled extends Error {
  constructor(why = 'superseded by a newer request') {
    super(why);
    this.name = 'Cancelled';
  }
}

/** The error a worker reported, rebuilt on this side (CoreError keeps its status). */
function rebuild(error, makeCoreError) {
  if (error.name === 'CoreError' && makeCoreError) return makeCoreError(error.status, error.message);
  const e = new Error(error.message);
  if (error.name) e.name = error.name;
  return e;
}

export class Scheduler {
  /**
   * spawn(): a new Worker-like object ({postMessage, terminate, onmessage,
   * onerror}); size: the most workers at once (≥ 1); now(): a clock in ms;
   * coreError(status, message): rebuilds a core error on this side;
   * fallback: {spawn, size} to move to when a worker is refused (see the top),
   * with onFallback(why) called once then; timers: {set, clear} (setTimeout's).
   */
  constructor({ spawn, size = 1, now = () => performance.now(), restartAfter = RESTART_AFTER, coreError = null,
    fallback = null, onFallback = () => {}, timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (id) => clearTimeout(id) } }) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be an integer ≥ 1, got ${size}`);
    this.spawnWorker = spawn;
    this.size = size;
    this.fallback = fallback;
    this.onFallback = onFallback;
    this.timers = timers;
    this.fellBack = false;
    this.now = now;
    this.restartAfter = restartAfter;
    this.coreError = coreError;
    this.nextId = 1;
    this.queue = []; // requests waiting, at most one per lane, oldest first
    // the workers: {worker, running: {id, lane, job, input, resolve, reject, progress, started} | null}
    this.slots = [];
    this.counts = { submitted: 0, started: 0, done: 0, cancelled: 0, failed: 0, restarts: 0 };
    this.listeners = new Set();
    this._addSlot(); // the first worker loads its core while the page builds
  }

  /** True when no request is running or waiting. */
  get idle() { return !this.queue.length && this.slots.every((s) => !s.running); }

  /** Workers spawned so far (≤ size). */
  get workers() { return this.slots.length; }

  /** Counters since the start: {submitted, started, done, cancelled, failed, restarts}. */
  stats() { return { ...this.counts }; }

  /** Calls fn(event) for every submit/start/done/cancel/error; returns the unsubscribe. */
  onEvent(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  _emit(type, r, extra = {}) {
    if (!this.listeners.size) return;
    const ev = { type, lane: r.lane, job: r.job, id: r.id, t: this.now(), ...extra };
    for (const fn of this.listeners) fn(ev);
  }

  /** The slot running a request of `lane`, if any. */
  _slotOf(lane) { return this.slots.find((s) => s.running && s.running.lane === lane); }

  /**
   * Runs `job` on `input` in lane `lane`; resolves to its data, rejects with
   * the job's error, or with Cancelled when a newer request of the lane (or
   * cancel) took its place.  onProgress(value in 0..1) as the job reports it.
   */
  submit(lane, job, input, onProgress = () => {}) {
    return new Promise((resolve, reject) => {
      const req = { id: this.nextId++, lane, job, input, resolve, reject, progress: onProgress, started: 0 };
      this.counts.submitted++;
      this._emit('submit', req);
      this._dropQueued(lane);
      this.queue.push(req);
      const slot = this._slotOf(lane);
      if (slot && this.now() - slot.running.started > this.restartAfter) this._cancelRunning(slot);
      this._pump();
    });
  }

  /** Drops every request of `lane`, queued or running (a running one costs its worker a restart). */
  cancel(lane) {
    this._dropQueued(lane);
    const slot = this._slotOf(lane);
    if (slot) this._cancelRunning(slot);
    this._pump();
  }

  /** Terminates every worker and starts fresh ones; running requests are cancelled, queued ones stay. */
  restart() {
    for (const slot of this.slots) {
      if (slot.running) this._cancelRunning(slot);
      else this._replaceWorker(slot);
    }
    this._pump();
  }

  _dropQueued(lane) {
    const i = this.queue.findIndex((q) => q.lane === lane);
    if (i < 0) return;
    const [old] = this.queue.splice(i, 1);
    this.counts.cancelled++;
    this._emit('cancel', old);
    old.reject(new Cancelled());
  }

  _cancelRunning(slot) {
    const r = slot.running;
    slot.running = null;
    this.counts.cancelled++;
    this._emit('cancel', r);
    r.reject(new Cancelled());
    this._replaceWorker(slot);
  }

  _replaceWorker(slot) {
    try { slot.worker.terminate(); } catch { /* already gone */ }
    this._spawn(slot);
    this.counts.restarts++;
  }

  _addSlot() {
    const slot = { worker: null, running: null };
    this.slots.push(slot);
    this._spawn(slot);
    return slot;
  }

  _spawn(slot) {
    let w;
    try {
      w = this.spawnWorker();
    } catch (e) { // refused at once (a synchronous SecurityError)
      if (!this.fallback || this.fellBack) throw e;
      slot.worker = { postMessage() {}, terminate() {} };
      queueMicrotask(() => this._fallBack(e.message));
      return;
    }
    slot.worker = w;
    const checking = Boolean(this.fallback) && !this.fellBack;
    slot.alive = !checking;
    w.onmessage = (e) => {
      if (slot.worker !== w) return;
      if (e.data && e.data.type === 'pong') {
        slot.alive = true;
        this.timers.clear(slot.pingTimer);
        return;
      }
      this._receive(slot, e.data);
    };
    w.onerror = (e) => {
      if (e && typeof e.preventDefault === 'function') e.preventDefault();
      if (slot.worker !== w) return;
      if (!slot.alive) {
        this._fallBack((e && e.message) || 'the worker did not start');
        return;
      }
      // A failure outside any job's try (the worker script itself): the
      // running request fails, the worker is replaced, the queue goes on.
      const r = slot.running;
      slot.running = null;
      if (r) {
        this.counts.failed++;
        this._emit('error', r);
        r.reject(new Error((e && e.message) || 'the compute worker failed'));
      }
      this._replaceWorker(slot);
      this._pump();
    };
    if (checking) {
      w.postMessage({ ping: 1 });
      slot.pingTimer = this.timers.set(() => {
        if (slot.worker === w && !slot.alive) this._fallBack(`no answer from the worker in ${PING_TIMEOUT} ms`);
      }, PING_TIMEOUT);
    }
  }

  /** Moves every job to the fallback: the refused workers go, the requests
   *  they were running wait again (unless their lane has a newer one). */
  _fallBack(why) {
    if (this.fellBack) return;
    this.fellBack = true;
    const again = [];
    for (const slot of this.slots) {
      this.timers.clear(slot.pingTimer);
      try { slot.worker.terminate(); } catch { /* never started */ }
      const r = slot.running;
      if (!r) continue;
      if (this.queue.some((q) => q.lane === r.lane)) {
        this.counts.cancelled++;
        this._emit('cancel', r);
        r.reject(new Cancelled());
      } else {
        r.started = 0;
        again.push(r);
      }
    }
    this.queue.unshift(...again);
    this.slots = [];
    this.spawnWorker = this.fallback.spawn;
    this.size = this.fallback.size ?? 1;
    this.onFallback(why);
    this._addSlot();
    this._pump();
  }

  /** Starts queued requests, oldest first, on idle workers (spawning up to
   *  size), skipping a lane that is still running: its request waits. */
  _pump() {
    for (let i = 0; i < this.queue.length;) {
      const r = this.queue[i];
      if (this._slotOf(r.lane)) { i++; continue; }
      const slot = this.slots.find((s) => !s.running) || (this.slots.length < this.size ? this._addSlot() : null);
      if (!slot) return;
      this.queue.splice(i, 1);
      r.started = this.now();
      slot.running = r;
      this.counts.started++;
      this._emit('start', r);
      slot.worker.postMessage({ id: r.id, job: r.job, input: r.input });
    }
  }

  _receive(slot, msg) {
    const r = slot.running;
    if (!r || !msg || msg.id !== r.id) return; // from an abandoned request
    if (msg.type === 'progress') {
      r.progress(msg.value);
      return;
    }
    slot.running = null;
    if (msg.type === 'done') {
      this.counts.done++;
      this._emit('done', r, { ms: msg.ms });
      r.resolve(msg.data);
    } else {
      this.counts.failed++;
      this._emit('error', r);
      r.reject(rebuild(msg.error || { message: 'the job failed' }, this.coreError));
    }
    this._pump();
  }
}
