// early-worker.js — appended by build-wasm.sh to web/gen/worker-src.js (a classic
// script, not bundled): starts the first compute worker as soon as its source
// is defined, before the page's own script (web/gen/app.js) is parsed and run.
// A dedicated worker's thread starts only when the page's main thread is free
// between tasks: made from app.js, after ~300 ms of building the first lesson
// in one task, it then still had to compile the wasm core before the first job
// could run.  Made here, it loads the core while app.js runs.  The scheduler
// (web/app/main.js) takes it as its first worker; a host that refuses Blob
// workers refuses this one too, and the scheduler falls back as before.
globalThis.GRADLAB_EARLY_WORKER = (function () {
  try {
    if (typeof Worker !== 'function' || typeof Blob !== 'function') return null;
    var url = URL.createObjectURL(new Blob([globalThis.GRADLAB_WORKER_SRC], { type: 'text/javascript' }));
    return { worker: new Worker(url), url: url };
  } catch (e) {
    return null; // the scheduler meets the same refusal and says so
  }
})();
