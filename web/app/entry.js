// entry.js — the product page's entry: the app with the lessons of
// web/lessons/index.js and no test hooks (tests/browser/fixtures/entry-test.js
// is the test build's).
import { start } from './main.js';
import { LESSONS } from '../lessons/index.js';

// One task later: worker-src.js has just started the first compute worker
// (web/app/early-worker.js), and its thread starts only while this thread is
// between tasks.  Building the first lesson takes ~300 ms in one task; started
// at once, it held the worker back until the end, and the core's compilation
// and the first job came after it instead of during it.
setTimeout(() => start(LESSONS), 0);
