// registry.test.js — the lesson registry: namespaced keys, declared inputs,
// and the errors it throws at start-up for an inconsistent lesson.  Also: the
// jobs of every lesson run in Node with the real core (the page, its worker
// and scripts share them), and the product bundle ships no test hooks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { registerLessons, pageSchema, PAGE_KEYS } from '../../web/app/registry.js';
import { jobInput, jobTable, runRequest } from '../../web/app/jobs.js';
import { LESSONS } from '../../web/lessons/index.js';
import { defaults } from '../../web/state.js';
import { loadCore } from '../../lib/node-core.js';

const lesson = (over = {}) => ({
  id: 'demo', prefix: 'd', navKey: 'demo.nav', messages: { en: {}, zh: {} }, create() {},
  schema: { n: { type: 'int', min: 1, max: 9, default: 2 }, shown: { type: 'bool', default: true } },
  jobs: { work: { inputs: ['n'], run: () => 1, flops: () => 0 } },
  ...over,
});

test('every lesson key is namespaced by its prefix; job inputs and display-only keys are derived', () => {
  const [r] = registerLessons([lesson()]);
  assert.deepEqual(r.keys, { d_n: 'n', d_shown: 'shown' });
  assert.deepEqual(r.displayKeys, ['shown']);
  assert.equal(r.globalKey('n'), 'd_n');
  const schema = pageSchema([r], { lang: { type: 'enum', values: ['en'], default: 'en' } });
  assert.deepEqual(Object.keys(schema), ['lang', 'd_n', 'd_shown']);
});

test('the registry throws at start-up on a collision or an inconsistent lesson', () => {
  const cases = [
    [[lesson(), lesson()], /id 'demo' is registered twice/],
    [[lesson(), lesson({ id: 'other' })], /prefix 'd' is taken/],
    [[lesson({ prefix: 'D' })], /prefix 'D' must match/],
    [[lesson({ schema: { n_2: { type: 'int', min: 0, max: 1, default: 0 } }, jobs: {} })], /state key 'n_2' must match/],
    [[lesson({ jobs: { work: { inputs: ['m'], run: () => 1 } } })], /input 'm' is not a key/],
    [[lesson({ jobs: { work: { inputs: ['n'] } } })], /run\(\) is missing/],
    [[lesson({ jobs: { work: { inputs: ['n'], run: () => 1 } } })], /flops\(input\), its work before it runs, is missing/],
    [[lesson({ budget: { knobs: ['m'] } })], /budget knob 'm' must be an int key some job reads/],
    [[lesson({ create: undefined })], /create\(ctx\) is missing/],
    [[], /no lessons/],
  ];
  for (const [lessons, pattern] of cases) assert.throws(() => registerLessons(lessons), pattern);
});

/** A lesson with one valid question of each kind, and their messages in en and zh. */
const MSG = { 'demo.q': 'Q?', 'demo.q.a': 'A', 'demo.q.b': 'B', 'demo.q.why': 'why', 'demo.n': 'N?' };
const choice = (over = {}) => ({
  id: 'pick', prompt: 'demo.q', kind: 'choice', options: ['a', 'b'], set: { n: 3 }, runs: ['work'],
  solve: () => ({ answer: 'a', params: {} }), why: 'demo.q.why', ...over,
});
const number = (over = {}) => ({
  id: 'num', prompt: 'demo.n', kind: 'number', min: 1, max: 9, step: 1, tolerance: { abs: 1 }, set: (v) => ({ n: v }),
  runs: ['work'], solve: () => ({ answer: 2, params: {} }), why: 'demo.q.why', ...over,
});
const quiz = (questions, over = {}) => lesson({ messages: { en: MSG, zh: MSG }, questions, ...over });

test('a lesson may declare questions: its answers get the key <prefix>_q in the page schema', () => {
  const [r] = registerLessons([quiz([choice(), number()])]);
  assert.equal(r.answersKey, 'd_q');
  assert.deepEqual(r.displayKeys, ['shown'], 'answers are not a display key: they redraw nothing');
  const schema = pageSchema([r], {});
  assert.equal(schema.d_q.type, 'string');
  assert.equal(registerLessons([lesson()])[0].answersKey, null, 'no questions, no key');
});

test('the registry throws at start-up on a bad question definition', () => {
  const zhLess = { en: MSG, zh: { ...MSG, 'demo.q.b': undefined } };
  const cases = [
    [quiz([]), /questions must be a non-empty list/],
    [quiz([choice({ id: 'Bad' })]), /question id 'Bad' must match/],
    [quiz([choice(), choice()]), /question 'pick' is defined twice/],
    [quiz([choice({ prompt: 'demo.none' })]), /prompt 'demo.none' has no en message/],
    [quiz([choice({ why: undefined })]), /why 'undefined' has no en message/],
    [quiz([choice()], { messages: zhLess }), /option 'demo.q.b' has no zh message/],
    [quiz([choice({ options: ['a'] })]), /at least two options/],
    [quiz([choice({ options: ['a', 'a'] })]), /distinct/],
    [quiz([choice({ kind: 'slider' })]), /kind must be 'choice' or 'number'/],
    [quiz([number({ min: 5, max: 1 })]), /finite min < max/],
    [quiz([number({ tolerance: {} })]), /tolerance needs abs or rel/],
    [quiz([number({ tolerance: { rel: -1 } })]), /tolerance needs abs or rel/],
    [quiz([choice({ set: null })]), /set must be/],
    [quiz([choice({ set: { m: 1 } })]), /set: 'm' is not a key/],
    [quiz([choice({ set: { n: 99 } })]), /set: n = 99 is not a valid value/],
    [quiz([choice({ runs: [] })]), /runs must name the jobs/],
    [quiz([choice({ runs: ['other'] })]), /runs: 'other' is not a job/],
    [quiz([choice({ solve: undefined })]), /solve\(results\) is missing/],
    [quiz([choice({ set: { q: 0 } })], { schema: { q: { type: 'int', min: 0, max: 1, default: 0 } }, jobs: { work: { inputs: ['q'], run: () => 1, flops: () => 0 } } }),
      /'d_q' holds its answers and is already taken/],
  ];
  for (const [l, pattern] of cases) assert.throws(() => registerLessons([l]), pattern);
});

test('the page keys (lang, tab, embed, theme, fig, prose, controls, langlock) cannot be taken by a lesson', () => {
  // Global keys always hold an underscore, page keys never: the registry still
  // checks, so a future page key cannot silently shadow a lesson's.
  assert.ok(PAGE_KEYS.every((k) => !k.includes('_')));
});

test('the real lessons register: their URL keys are those of the page today, and the display-only keys are what the view alone reads', () => {
  const reg = registerLessons(LESSONS);
  assert.deepEqual(reg.map((r) => r.lesson.id), ['vanishing', 'exploding', 'init', 'xavier', 'train']);
  const disp = Object.fromEntries(reg.map((r) => [r.lesson.id, r.displayKeys]));
  assert.deepEqual(disp, { vanishing: [], exploding: ['speed'], init: ['fwd', 'bwd', 'hl', 'hlog'], xavier: [], train: ['preset', 'heat'] });
  const all = reg.flatMap((r) => Object.keys(r.keys));
  for (const k of ['v_act', 'v_depth', 'x_n', 'x_speed', 'i_s1', 'i_depth', 'i_hl', 'i_nin', 'xd_nin', 'xd_rhow']) assert.ok(all.includes(k), k);
  // The Xavier section's controls feed the xavier job alone.
  const init = reg.find((r) => r.lesson.id === 'init').lesson;
  const readers = (k) => Object.entries(init.jobs).filter(([, j]) => j.inputs.includes(k)).map(([n]) => n);
  assert.deepEqual(readers('nin'), ['xavier']);
  assert.deepEqual(readers('s3'), ['net3']);
  assert.deepEqual(readers('depth'), ['net1', 'net2', 'net3', 'net4']);
});

test('every job of every lesson runs on its default inputs (training: its fewest steps) with the real core, through the same code as the worker', async () => {
  const core = await loadCore();
  const table = jobTable(LESSONS);
  for (const l of LESSONS) {
    const state = defaults(l.schema);
    if (l.schema.steps) state.steps = l.schema.steps.min; // a training run: keep the debug build quick
    for (const [name, job] of Object.entries(l.jobs)) {
      const input = jobInput(job, state);
      const posted = [];
      runRequest(table, core, { id: 1, job: `${l.id}/${name}`, input }, (m) => posted.push(m));
      const last = posted[posted.length - 1];
      assert.equal(last.type, 'done', `${l.id}/${name}: ${last.error && last.error.message}`);
      assert.ok(last.data && typeof last.data === 'object', `${l.id}/${name} returns data`);
    }
  }
  const posted = [];
  runRequest(table, core, { id: 2, job: 'nope/x', input: {} }, (m) => posted.push(m));
  assert.match(posted[0].error.message, /unknown job 'nope\/x'/);
});

test('an init slot reruns only for a parameter its scheme reads', () => {
  const init = LESSONS.find((l) => l.id === 'init');
  const base = defaults(init.schema);
  const key = (job, s) => JSON.stringify(job.relevant(Object.fromEntries(job.inputs.map((k) => [k, s[k]]))));
  const slot = (n, s) => key(init.jobs[`net${n}`], s);
  const moved = { ...base, sigma: 0.2 }; // σ: read by normal (slot 1) only
  assert.notEqual(slot(1, base), slot(1, moved));
  for (const n of [2, 3, 4]) assert.equal(slot(n, base), slot(n, moved), `slot ${n} ignores σ`);
  const gained = { ...base, gdef: false, gain: 2 }; // gain: xavier (2) and kaiming (3)
  assert.deepEqual([1, 2, 3, 4].map((n) => slot(n, base) !== slot(n, gained)), [false, true, true, false]);
  const none = { ...base, s4: 'none' };
  assert.equal(slot(4, none), slot(4, { ...none, depth: 100 }), 'an empty slot never reruns');
});

test('the Xavier derivation reruns for σ only when Xavier\'s σ is off', () => {
  const xavier = LESSONS.find((l) => l.id === 'xavier');
  const job = xavier.jobs.derive;
  const key = (s) => JSON.stringify(job.relevant(Object.fromEntries(job.inputs.map((k) => [k, s[k]]))));
  const base = defaults(xavier.schema);
  assert.equal(base.xs, true);
  assert.equal(key(base), key({ ...base, sigma: 0.3 }));
  assert.notEqual(key({ ...base, xs: false }), key({ ...base, xs: false, sigma: 0.3 }));
});

test('the product page ships no test hooks and loads no core of its own, its worker no UI; the test build has the hooks', () => {
  const read = (f) => readFileSync(new URL(`../../${f}`, import.meta.url), 'utf8');
  const app = read('web/gen/app.js');
  assert.ok(!app.includes('gradlabTest'), 'no gradlabTest in web/gen/app.js');
  assert.ok(!app.includes('tiny-lesson'), 'no tiny lesson in web/gen/app.js');
  assert.ok(read('web/gen/app-test.js').includes('gradlabTest'));
  // The worker serves jobs: the lessons' views and messages stay out of its source.
  const worker = read('web/gen/worker.js');
  assert.ok(!worker.includes('van.title') && !worker.includes('lineChart'), 'no view or message in the worker bundle');
  assert.ok(app.includes('van.title') && app.includes('lineChart'));
  const html = read('index.html');
  assert.ok(!/<script[^>]+gradlab\.js/.test(html), 'index.html does not load the core: the worker does');
  assert.ok(html.includes('web/gen/worker-src.js'));
});
