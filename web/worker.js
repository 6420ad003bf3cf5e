// worker.js — the Web Worker that runs the panels' jobs off the main thread.
// Bundled by esbuild and concatenated after the wasm glue into one source
// string (web/gen/worker-src.js) that the page turns into a Blob worker, so it
// also works from file://, where a worker cannot load a script file.
import { createCore } from './core.js';
import { JOBS } from './jobs.js';

const corePromise = createCore(self.createGradLab);

/** The ArrayBuffers inside a result, to transfer rather than copy. */
function buffers(value, out = new Set()) {
  if (ArrayBuffer.isView(value)) out.add(value.buffer);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) buffers(v, out);
  return out;
}

self.onmessage = async (event) => {
  const { id, job, state } = event.data;
  try {
    const core = await corePromise;
    if (!Object.hasOwn(JOBS, job)) throw new Error(`unknown job '${job}'`);
    const start = performance.now();
    const data = JOBS[job](core, state, (value) => self.postMessage({ id, type: 'progress', value }));
    // ms: the job's own time in the worker (the UI benchmark splits latency with it)
    self.postMessage({ id, type: 'done', data, ms: performance.now() - start }, [...buffers(data)]);
  } catch (e) {
    self.postMessage({ id, type: 'error', error: { name: e.name, message: e.message, status: e.status } });
  }
};
