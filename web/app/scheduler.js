// scheduler.js — the one place where "the newest request wins".
//
// Requests are grouped in lanes (one lane per job of a lesson, 'init/net1').
// Jobs run one at a time in a worker (a Web Worker, or a stand-in that runs
// them on the main thread).  Within a lane only the newest request matters:
//   · coalescing — a request still queued when a newer one of its lane arrives
//     is dropped (it rejects with Cancelled);
//   · supersession — a running request of the lane is let finish while it is
//     quick (a drag keeps drawing intermediate results), and abandoned once it
//     has run for restartAfter ms: the worker is terminated and a fresh one
//     spawned, so a slow setting never holds back the newest request;
//   · cancellation — cancel(lane) drops whatever the lane has queued or running;
//   · errors — a job's error rejects its request only; a worker that fails
//     outright is replaced, and the requests still queued run on the new one.
// Other lanes are never cancelled by a lane's requests: their queued requests
// survive a restart and run on the fresh worker.
//
// The worker protocol: postMessage({id, job, input}) and messages back
// {id, type: 'progress', value} | {id, type: 'done', data, ms} |
// {id, type: 'error', error: {name, message, status}}.

/** A running request older than this is abandoned for a newer one of its lane
 *  (ms).  A fresh worker needs ~20 ms to start, so abandoning quick jobs would
 *  only cancel one request after another during a drag. */
export const RESTART_AFTER = 250;

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
   * onerror}); now(): a clock in ms; coreError(status, message): rebuilds a
   * core error on this side.
   */
  constructor({ spawn, now = () => performance.now(), restartAfter = RESTART_AFTER, coreError = null }) {
    this.spawnWorker = spawn;
    this.now = now;
    this.restartAfter = restartAfter;
    this.coreError = coreError;
    this.nextId = 1;
    this.queue = []; // requests waiting, at most one per lane, oldest first
    this.running = null; // {id, lane, job, input, resolve, reject, progress, started}
    this.counts = { submitted: 0, started: 0, done: 0, cancelled: 0, failed: 0, restarts: 0 };
    this.listeners = new Set();
    this.worker = this._spawn();
  }

  /** True when no request is running or waiting. */
  get idle() { return !this.running && !this.queue.length; }

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
      const r = this.running;
      if (r && r.lane === lane && this.now() - r.started > this.restartAfter) {
        this._cancelRunning();
      }
      this._pump();
    });
  }

  /** Drops every request of `lane`, queued or running (a running one costs a restart). */
  cancel(lane) {
    this._dropQueued(lane);
    if (this.running && this.running.lane === lane) this._cancelRunning();
    this._pump();
  }

  /** Terminates the worker and starts a fresh one; a running request is cancelled, queued ones stay. */
  restart() {
    if (this.running) this._cancelRunning();
    else this._replaceWorker();
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

  _cancelRunning() {
    const r = this.running;
    this.running = null;
    this.counts.cancelled++;
    this._emit('cancel', r);
    r.reject(new Cancelled());
    this._replaceWorker();
  }

  _replaceWorker() {
    try { this.worker.terminate(); } catch { /* already gone */ }
    this.worker = this._spawn();
    this.counts.restarts++;
  }

  _spawn() {
    const w = this.spawnWorker();
    w.onmessage = (e) => { if (this.worker === w) this._receive(e.data); };
    w.onerror = (e) => {
      if (e && typeof e.preventDefault === 'function') e.preventDefault();
      if (this.worker !== w) return;
      // A failure outside any job's try (the worker script itself): the
      // running request fails, the worker is replaced, the queue goes on.
      const r = this.running;
      this.running = null;
      if (r) {
        this.counts.failed++;
        this._emit('error', r);
        r.reject(new Error((e && e.message) || 'the compute worker failed'));
      }
      this._replaceWorker();
      this._pump();
    };
    return w;
  }

  _pump() {
    if (this.running || !this.queue.length) return;
    const r = this.queue.shift();
    r.started = this.now();
    this.running = r;
    this.counts.started++;
    this._emit('start', r);
    this.worker.postMessage({ id: r.id, job: r.job, input: r.input });
  }

  _receive(msg) {
    const r = this.running;
    if (!r || !msg || msg.id !== r.id) return; // from an abandoned request
    if (msg.type === 'progress') {
      r.progress(msg.value);
      return;
    }
    this.running = null;
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
