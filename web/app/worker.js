// worker.js — the Web Worker entry: serves every lesson's jobs off the main
// thread.  Bundled by esbuild and concatenated after the wasm glue into one
// source string (web/gen/worker-src.js) that the page turns into a Blob
// worker, so it also works from file://, where a worker cannot load a file.
// The core is loaded here, once; the page itself never loads it (except in the
// no-worker fallback).
import { createCore } from '../core.js';
import { LESSONS } from '../lessons/index.js';
import { jobTable, serveJobs } from './jobs.js';

serveJobs(self, jobTable(LESSONS), () => createCore(self.createGradLab));
