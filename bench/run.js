#!/usr/bin/env node
// bench/run.js — `npm run bench`: the performance benchmark of the GradLab
// core (bench/measure.js says what it times and how).
//
// It builds web/gen/ first when it is missing or older than src/, then
// imports the benchmark: web/core.js reads the generated web/gen/abi.mjs, so
// on a clone that has only run `npm ci` a static import of it failed before
// anything could be built.
//
//   node bench/run.js [--quick]     --quick: fewer/shorter runs, a smoke test
import path from 'node:path';
import { ROOT, ensureWebGen, newestMtime } from './lib/build.js';

for (const a of process.argv.slice(2)) {
  if (a !== '--quick') {
    console.error(`bench/run.js: unknown option '${a}' (usage: node bench/run.js [--quick])`);
    process.exit(2);
  }
}
ensureWebGen({
  files: ['gradlab.js', 'abi.mjs'],
  newest: newestMtime(path.join(ROOT, 'src'), (f) => /\.(c|h|txt)$/.test(f)),
  log: (...a) => console.error(...a), // progress on stderr, the table on stdout
  stdout: 2,
});
await import('./measure.js');
