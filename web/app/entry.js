// entry.js — the product page's entry: the app with the lessons of
// web/lessons/index.js and no test hooks (tests/browser/entry-test.js is the
// test build's).
import { start } from './main.js';
import { LESSONS } from '../lessons/index.js';

start(LESSONS);
