// slow-worker.js — runs one CLI command off the main thread, for a run the
// user asked for past the work budget (--allow-slow): the main thread stays
// free to print progress while the core computes.  workerData: {name, opts};
// answers {result} or {error: {name, message, status}}.
import { parentPort, workerData } from 'node:worker_threads';
import { loadCore } from './node-core.js';
import { COMMANDS } from './commands.js';

const { name, opts } = workerData;
try {
  const core = await loadCore();
  parentPort.postMessage({ result: COMMANDS[name].run(core, opts) });
} catch (e) {
  parentPort.postMessage({ error: { name: e.name, message: e.message, status: e.status } });
}
