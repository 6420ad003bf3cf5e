// index.js — the lessons, in tab order.  Adding a lesson: a folder
// web/lessons/<id>/ (index.js with its schema, jobs, view and messages) and
// one line here; web/app/registry.js checks it at start-up.
import vanishing from './vanishing/index.js';
import exploding from './exploding/index.js';
import init from './init/index.js';
import xavier from './xavier/index.js';
import train from './train/index.js';

export const LESSONS = [vanishing, exploding, init, xavier, train];
