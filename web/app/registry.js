// registry.js — checks the lessons and derives what the app shell needs from
// them: the page's state schema with every lesson's keys namespaced by its
// prefix (Initialization's 'depth' is 'i_depth' in the URL), which keys each
// job reads, and which keys only the view reads.  Anything inconsistent is a
// programming error and throws at start-up, before anything is drawn.
//
// A lesson is a plain object (web/lessons/<id>/index.js):
//   id        'init'               the tab, the section #panel-<id>, the job lanes
//   prefix    'i'                  its state keys are '<prefix>_<key>' in the URL
//   navKey    'ini.nav'            message key of its tab
//   schema    {key: spec}          local keys, specs as state.js describes
//   jobs      {name: {inputs: [keys], run(core, input, progress), relevant?(input), flops(input)}}
//             relevant(input) may narrow the input to what its values make
//             relevant; the job is rerun only when that changes; flops(input)
//             is the work it asks for (web/budget.js), known before it runs
//   budget    {knobs: [keys]}      int keys the work rises with: a change past
//             the work budget lowers one of them (jobs.js fitBudget)
//   messages  {en: {…}, zh: {…}}   its own message table
//   create(ctx)                    builds its view (see runtime.js)
//   inertReason(key, state)        optional: the message key saying why a control
//             has no effect now (jobs.js inertKeys finds such controls, which
//             are disabled); a general message when it gives none
//   pytorch(state, {url}) → string optional: the lesson's experiment with these
//             settings as a runnable Python snippet (torch only), for "Copy as
//             PyTorch" (web/app/copycode.js)
//   questions [question]           optional: "predict, then check" (web/app/questions.js);
//             the learner's answers are the key '<prefix>_q' (answers.js), which
//             the lesson's schema may then not use.  A question is
//     id       'overflow'                     unique in the lesson
//     prompt   'exp.q.overflow'               message key of the question
//     kind     'choice' with options: ['a', 'b', …] (labels: '<prompt>.<option>'),
//              or 'number' with min, max, step, tolerance: {abs?, rel?}
//     set      {key: value} | (answer) → {…}  the lesson's state a check applies
//              (so the charts show it); values valid for the schema
//     runs     ['traj', …]                    jobs whose results decide the answer
//     solve({job: {data, input}}) → {answer, params}   the correct answer, derived
//              from those results; params fill the why; a throw (no figures: a
//              refused run) shows the check's failure with its message
//     why      'exp.q.overflow.why'           message key: one line, the figure and why
//     exercise 2                              optional: the d2l 4.8.4 exercise it answers

import { ANSWERS_KEY, ANSWERS_SPEC } from './answers.js';
import { LANGS } from '../i18n.js';
import { coerce } from '../state.js';

/** Keys of the page itself, which no lesson may take (fig … langlock: what an embed shows, docs/embed.md). */
export const PAGE_KEYS = ['lang', 'tab', 'embed', 'theme', 'fig', 'prose', 'controls', 'langlock'];

const NAME = /^[a-z][a-z0-9]*$/;

function fail(msg) { throw new Error(`lesson registry: ${msg}`); }

/**
 * Validates `lessons` and returns [{lesson, globalKey(k), keys: {global → local},
 * displayKeys}] in order.  Throws on: a malformed or duplicate id or prefix,
 * a global key taken twice (by two lessons or by the page), a job input that
 * is not in the schema, a job without run().
 */
export function registerLessons(lessons) {
  if (!Array.isArray(lessons) || !lessons.length) fail('no lessons');
  const owner = new Map(PAGE_KEYS.map((k) => [k, 'the page']));
  const ids = new Set();
  const prefixes = new Set();
  return lessons.map((lesson) => {
    const { id, prefix, schema, jobs } = lesson;
    if (!NAME.test(id || '')) fail(`id '${id}' must match ${NAME}`);
    if (ids.has(id)) fail(`id '${id}' is registered twice`);
    ids.add(id);
    if (!NAME.test(prefix || '')) fail(`${id}: prefix '${prefix}' must match ${NAME}`);
    if (prefixes.has(prefix)) fail(`${id}: prefix '${prefix}' is taken by another lesson`);
    prefixes.add(prefix);
    if (typeof lesson.create !== 'function') fail(`${id}: create(ctx) is missing`);
    if (!lesson.navKey) fail(`${id}: navKey is missing`);
    if (lesson.pytorch !== undefined && typeof lesson.pytorch !== 'function') fail(`${id}: pytorch must be a function of the state`);
    const keys = {};
    for (const key of Object.keys(schema || {})) {
      if (!NAME.test(key)) fail(`${id}: state key '${key}' must match ${NAME}`);
      const g = `${prefix}_${key}`;
      if (owner.has(g)) fail(`${id}: state key '${g}' is already taken by ${owner.get(g)}`);
      owner.set(g, `lesson '${id}'`);
      keys[g] = key;
    }
    const used = new Set();
    for (const [name, job] of Object.entries(jobs || {})) {
      if (!NAME.test(name)) fail(`${id}: job name '${name}' must match ${NAME}`);
      if (typeof job.run !== 'function') fail(`${id}/${name}: run() is missing`);
      if (!Array.isArray(job.inputs)) fail(`${id}/${name}: inputs must be a list of state keys`);
      for (const k of job.inputs) {
        if (!(k in schema)) fail(`${id}/${name}: input '${k}' is not a key of the lesson's schema`);
        used.add(k);
      }
      if (typeof job.flops !== 'function') fail(`${id}/${name}: flops(input), its work before it runs, is missing`);
    }
    for (const k of lesson.budget?.knobs ?? []) {
      if (schema[k]?.type !== 'int' || !used.has(k)) fail(`${id}: budget knob '${k}' must be an int key some job reads`);
    }
    const displayKeys = Object.keys(schema).filter((k) => !used.has(k));
    let answersKey = null;
    if (lesson.questions !== undefined) {
      checkQuestions(lesson);
      answersKey = `${prefix}_${ANSWERS_KEY}`;
      if (owner.has(answersKey)) fail(`${id}: '${answersKey}' holds its answers and is already taken by ${owner.get(answersKey)}`);
      owner.set(answersKey, `lesson '${id}' (its answers)`);
    }
    return { lesson, keys, displayKeys, answersKey, globalKey: (k) => `${prefix}_${k}` };
  });
}

/** The page's whole schema: the page keys' specs and every lesson key under its global name. */
export function pageSchema(registered, pageSpecs) {
  const schema = { ...pageSpecs };
  for (const r of registered) {
    for (const [g, k] of Object.entries(r.keys)) schema[g] = r.lesson.schema[k];
    if (r.answersKey) schema[r.answersKey] = ANSWERS_SPEC;
  }
  return schema;
}

/** Throws unless every question of `lesson` is complete and consistent with its schema, jobs and messages. */
function checkQuestions(lesson) {
  const { id, questions, schema, jobs, messages } = lesson;
  if (!Array.isArray(questions) || !questions.length) fail(`${id}: questions must be a non-empty list`);
  const text = (qid, key, what) => {
    for (const lang of LANGS) {
      if (typeof messages?.[lang]?.[key] !== 'string') fail(`${id}/${qid}: ${what} '${key}' has no ${lang} message`);
    }
  };
  const seen = new Set();
  for (const q of questions) {
    if (!NAME.test(q?.id || '')) fail(`${id}: question id '${q?.id}' must match ${NAME}`);
    const where = `${id}/${q.id}`;
    if (seen.has(q.id)) fail(`${id}: question '${q.id}' is defined twice`);
    seen.add(q.id);
    text(q.id, q.prompt, 'prompt');
    text(q.id, q.why, 'why');
    if (q.kind === 'choice') {
      const opts = q.options;
      if (!Array.isArray(opts) || opts.length < 2) fail(`${where}: a choice needs at least two options`);
      if (new Set(opts).size !== opts.length || !opts.every((o) => NAME.test(o))) fail(`${where}: options must be distinct and match ${NAME}`);
      for (const o of opts) text(q.id, `${q.prompt}.${o}`, 'option');
    } else if (q.kind === 'number') {
      const tol = q.tolerance || {};
      if (!(Number.isFinite(q.min) && Number.isFinite(q.max) && q.min < q.max && q.step > 0)) {
        fail(`${where}: a number needs finite min < max and a step > 0`);
      }
      if (!(tol.abs >= 0 || tol.rel >= 0) || Object.values(tol).some((v) => !(v >= 0))) {
        fail(`${where}: tolerance needs abs or rel, each ≥ 0`);
      }
    } else {
      fail(`${where}: kind must be 'choice' or 'number', not '${q.kind}'`);
    }
    if (!(typeof q.set === 'function' || (q.set && typeof q.set === 'object'))) fail(`${where}: set must be {key: value} or a function of the answer`);
    if (typeof q.set === 'object') {
      for (const [k, v] of Object.entries(q.set)) {
        if (!(k in schema)) fail(`${where}: set: '${k}' is not a key of the lesson's schema`);
        if (coerce(schema[k], v).problem) fail(`${where}: set: ${k} = ${v} is not a valid value`);
      }
    }
    if (!Array.isArray(q.runs) || !q.runs.length) fail(`${where}: runs must name the jobs that decide the answer`);
    for (const j of q.runs) if (!(j in (jobs || {}))) fail(`${where}: runs: '${j}' is not a job of the lesson`);
    if (typeof q.solve !== 'function') fail(`${where}: solve(results) is missing`);
    if (q.exercise !== undefined && !Number.isInteger(q.exercise)) fail(`${where}: exercise must be the exercise's number`);
  }
}
