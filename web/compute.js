// compute.js — runs the panels' jobs (jobs.js) in a Web Worker, one at a time,
// and keeps only the newest request of each job: a request that is still
// queued when a newer one of the same job arrives is dropped.  A running one
// is let finish while it is quick (so a drag keeps drawing), and abandoned —
// the worker is restarted — once it has run for RESTART_AFTER, so a slow
// setting never holds back the newest request.  Dropped and abandoned
// requests reject with a Cancelled error, which panels ignore.  Without a
// worker (Node, or a browser that refuses a Blob worker) the same jobs run on
// the main thread.
import { CoreError } from './core.js';
import { JOBS } from './jobs.js';

export class Cancelled extends Error {
  constructor() {
    super('superseded by a newer request');
    this.name = 'Cancelled';
  }
}

/**
 * A running request older than this is abandoned for a newer one (ms).  A
 * fresh worker needs ~20 ms to start, so abandoning quick jobs would only
 * cancel one request after another during a drag.
 */
export const RESTART_AFTER = 250;

export class Compute {
  /**
   * loadCore: () => Promise<Core>, the main-thread core, loaded only if jobs
   * must run here; workerSource: the worker's script text.
   */
  constructor(loadCore, workerSource) {
    this.loadCore = loadCore;
    this.source = workerSource;
    this.worker = null;
    this.nextId = 1;
    this.queue = []; // requests waiting, at most one per job
    this.running = null; // {id, job, state, resolve, reject, progress, started}
    this.restarts = 0;
    this.lastJobMs = null; // the last finished job's own compute time, where it ran
    if (workerSource && typeof Worker === 'function' && typeof Blob === 'function') {
      try {
        this.url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
        this.worker = this._spawn();
      } catch {
        this.worker = null; // fall back to the main thread
      }
    }
  }

  /** Whether jobs run off the main thread. */
  get inWorker() { return this.worker !== null; }

  /** Runs `job` on a snapshot of `state`; resolves to its data. */
  run(job, state, onProgress = () => {}) {
    if (!Object.hasOwn(JOBS, job)) return Promise.reject(new Error(`unknown job '${job}'`));
    return new Promise((resolve, reject) => {
      const req = { id: this.nextId++, job, state: { ...state }, resolve, reject, progress: onProgress };
      if (!this.worker) {
        // Main thread: let the caller's frame finish first, then compute.
        this.loadCore().then((core) => setTimeout(() => {
          try {
            const start = performance.now();
            const data = JOBS[job](core, req.state, onProgress);
            this.lastJobMs = performance.now() - start;
            resolve(data);
          } catch (e) {
            reject(e);
          }
        }, 0), reject);
        return;
      }
      const queued = this.queue.findIndex((r) => r.job === job);
      if (queued >= 0) this.queue.splice(queued, 1)[0].reject(new Cancelled());
      this.queue.push(req);
      if (this.running && this.running.job === job && performance.now() - this.running.started > RESTART_AFTER) {
        this.running.reject(new Cancelled());
        this.running = null;
        this.worker.terminate();
        this.worker = this._spawn();
        this.restarts++;
      }
      this._pump();
    });
  }

  _spawn() {
    const w = new Worker(this.url);
    w.onmessage = (e) => this._receive(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      const r = this.running;
      this.running = null;
      if (r) r.reject(new Error(e.message || 'the compute worker failed'));
      this._pump();
    };
    return w;
  }

  _pump() {
    if (this.running || !this.queue.length) return;
    const r = this.queue.shift();
    r.started = performance.now();
    this.running = r;
    this.worker.postMessage({ id: r.id, job: r.job, state: r.state });
  }

  _receive(msg) {
    const r = this.running;
    if (!r || msg.id !== r.id) return; // from an abandoned request
    if (msg.type === 'progress') {
      r.progress(msg.value);
      return;
    }
    this.running = null;
    if (msg.type === 'done') {
      this.lastJobMs = msg.ms;
      r.resolve(msg.data);
    }
    else {
      const { name, message, status } = msg.error;
      r.reject(name === 'CoreError' ? new CoreError(status, message) : new Error(message));
    }
    this._pump();
  }
}
