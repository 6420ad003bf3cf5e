// questions.test.js — "predict, then check": every question of every lesson
// derives its answer from the results of the lesson's own jobs (run here with
// the real core, as the worker runs them, on the state the check sets), and
// that answer agrees with a reference computed another way: a closed form of
// the theory, or the core driven directly rather than through the lesson.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LESSONS } from '../../web/lessons/index.js';
import { coerce, defaults } from '../../web/state.js';
import { jobInput } from '../../web/app/jobs.js';
import { loadCore } from '../../lib/node-core.js';
import { FLT_MAX } from '../../web/format.js';
import { trainConfig } from '../../web/science.js';
import { globalsOf, lanesOf } from '../../web/lessons/train/presets.js';
import { isRight, nearest, parseAnswers, formatAnswers, readAnswer, ANSWERS_SPEC } from '../../web/app/answers.js';

const lessonOf = (id) => LESSONS.find((l) => l.id === id);
const questionOf = (id, qid) => lessonOf(id).questions.find((q) => q.id === qid);
const EULER_GAMMA = 0.5772156649015329;

let corePromise = null;
const core = () => (corePromise ||= loadCore());

/** Results of the jobs a lesson would run on `state`, cached by job and input (training is slow under the debug build). */
const cache = new Map();
async function runJob(lesson, name, state) {
  const job = lesson.jobs[name];
  const input = jobInput(job, state);
  const key = `${lesson.id}/${name}:${JSON.stringify(input)}`;
  if (!cache.has(key)) cache.set(key, { data: job.run(await core(), input, () => {}), input });
  return cache.get(key);
}

/** What the page does on Check: the lesson's defaults, the question's setting (for `given`), its runs, solve(). */
async function check(lessonId, qid, given, over = {}) {
  const lesson = lessonOf(lessonId);
  const q = questionOf(lessonId, qid);
  const set = typeof q.set === 'function' ? q.set(given) : q.set;
  const state = { ...defaults(lesson.schema), ...over, ...set };
  const results = {};
  for (const name of q.runs) results[name] = await runJob(lesson, name, state);
  return { q, results, ...q.solve(results) };
}

test('every question of every lesson answers with one of its options (or a number in range) computed from its jobs', async () => {
  for (const lesson of LESSONS) {
    for (const q of lesson.questions || []) {
      const given = q.kind === 'choice' ? q.options[0] : q.min;
      const { answer, params } = await check(lesson.id, q.id, given);
      if (q.kind === 'choice') assert.ok(q.options.includes(answer), `${lesson.id}/${q.id}: '${answer}' is not an option`);
      else assert.ok(Number.isFinite(answer) && answer >= q.min && answer <= q.max, `${lesson.id}/${q.id}: ${answer}`);
      assert.ok(params && typeof params === 'object', `${lesson.id}/${q.id} gives the why its figures`);
    }
  }
});

// ---- Vanishing -------------------------------------------------------------------

test('vanishing: the best gradient after 10 sigmoids is the computed bound, 0.25^10, about 1e-6', async () => {
  const { answer, params } = await check('vanishing', 'bound', 'e2');
  assert.ok(Math.abs(params.bound / 0.25 ** 10 - 1) < 1e-6, `bound ${params.bound}`);
  assert.equal(answer, 'e6');
});

test('vanishing: after 20 ReLUs the share of exact-zero gradients is P(x ≤ 0) = ½, within the sampling error', async () => {
  const { answer, params, results } = await check('vanishing', 'zeros', 'all');
  const n = results.chain.input.samples;
  const tol = 4 * Math.sqrt(0.25 / n); // four standard errors of a share near ½
  assert.ok(Math.abs(params.pct / 100 - 0.5) < tol, `share ${params.pct}% of ${n}`);
  assert.equal(params.pct, params.first, 'a ReLU that is off stays off: the share does not grow with depth');
  assert.equal(answer, 'half');
});

// ---- Exploding -------------------------------------------------------------------

test('exploding: the float32 overflow step is where the same product in float64 first passes FLT_MAX, near the theory', async () => {
  const typical = 0.5 * (Math.LN2 + (1 - EULER_GAMMA)); // ln σ + ½(ln 2 + ψ(n/2)) at σ = 1, n = 4: ψ(2) = 1 − γ
  for (const seed of [0, 1, 2]) {
    const { answer, results } = await check('exploding', 'overflow', 100, { seed });
    const c = await core();
    const wide = c.matprod({ n: 4, steps: 400, sigma: 1, ensemble: 'gaussian', dtype: 'float64', seed, block: 4 });
    let k64 = null;
    for (let k = 0; k <= 400 && k64 === null; k++) {
      if (wide.traj.subarray(16 * k, 16 * k + 16).some((v) => Math.abs(v) > FLT_MAX)) k64 = k;
    }
    assert.ok(k64 !== null && Math.abs(answer - k64) <= 1, `seed ${seed}: float32 ${answer}, float64 passes FLT_MAX at ${k64}`);
    const estimate = Math.log(FLT_MAX / results.traj.data.traj.norms[0]) / typical;
    assert.ok(Math.abs(answer / estimate - 1) < 0.25, `seed ${seed}: ${answer} against the theory's ${estimate}`);
  }
  const q = questionOf('exploding', 'overflow');
  assert.ok(isRight(q, 165, 155) && !isRight(q, 175, 155), 'within 10% counts');
});

test('exploding: σ* for n = 4 is e^(−½(ln 2 + ψ(2))) ≈ 1/√3, the second choice', async () => {
  const { answer, params } = await check('exploding', 'flat', 'one');
  const closed = Math.exp(-0.5 * (Math.LN2 + 1 - EULER_GAMMA));
  assert.ok(Math.abs(params.crit - closed) < 1e-9, `σ* ${params.crit} against ${closed}`);
  assert.equal(answer, 'invm1');
  const q = questionOf('exploding', 'flat');
  assert.equal(q.set('inv').sigma, 0.5, 'the chart shows the σ the learner chose');
});

// ---- Initialization ----------------------------------------------------------------

test('init: with ReLU, Var(z) per layer is near σ_w²/2 of each scheme, and Kaiming (σ_w² = 2) is the flat one', async () => {
  const { answer, params, results } = await check('init', 'relu', 'normal');
  const width = results.net1.input.width;
  const sigma = results.net1.input.sigma;
  // σ_w² = fan_in·Var(W) from each scheme's definition; ReLU halves E[a²]
  const theory = { fn: (width * sigma * sigma) / 2, fx: 1 / 2, fk: 2 / 2, ft: 1 / 3 / 2 };
  for (const [k, v] of Object.entries(theory)) {
    assert.ok(Math.abs(Math.log(params[k] / v)) < 0.15, `${k}: measured ×${params[k]} per layer, theory ×${v}`);
  }
  const names = ['normal', 'xavier', 'kaiming', 'torch'];
  assert.equal(answer, names[nearest(Object.values(theory), 1, { log: true })]);
  assert.equal(answer, 'kaiming');
});

test('init: Xavier with ReLU halves Var(z) per layer (σ_w² = 1 for a square layer)', async () => {
  const { answer, params } = await check('init', 'xavier', 'stay');
  assert.ok(Math.abs(Math.log(params.f / 0.5)) < 0.15, `×${params.f} per layer`);
  assert.equal(answer, 'half');
});

test('init: a constant init leaves the units identical, as the trainer (another code path) shows after training', async () => {
  const { answer, params } = await check('init', 'constant', 'yes');
  assert.equal(params.spread, 0);
  assert.equal(answer, 'no');
  const c = await core();
  const spreadAfter = (lane) => {
    const tr = c.createTrainer(trainConfig({ ...globalsOf('symmetry'), steps: 20 }, lane));
    try {
      for (let i = 0; i < 20; i++) tr.step();
      return Math.max(...tr.unitSpread());
    } finally {
      tr.free();
    }
  };
  const [constant, xavier] = lanesOf('symmetry');
  assert.equal(spreadAfter(constant), 0, 'constant init: identical units after 20 steps');
  assert.ok(spreadAfter(xavier) > 0, 'Xavier breaks the symmetry');
});

// ---- Xavier derivation ---------------------------------------------------------------

/** |x − expected| within k standard errors (and the error small next to expected: nothing passes vacuously). */
function withinSE(x, se, expected, label, k = 4) {
  assert.ok(se > 0 && se < 0.05 * Math.abs(expected), `${label}: SE ${se} next to ${expected}`);
  assert.ok(Math.abs(x - expected) <= k * se, `${label}: ${x} is ${(Math.abs(x - expected) / se).toFixed(1)} SE from ${expected}`);
}

test('xavier: the σ that keeps Var[o] = Var[x] for n_in = 256 is 1/√n_in = 1/16, whichever σ the check measured at', async () => {
  for (const given of questionOf('xavier', 'sigma').options) {
    const { answer, params, results } = await check('xavier', 'sigma', given);
    const S = results.derive.data.stats;
    const closed = 1 / Math.sqrt(results.derive.input.nin);
    assert.equal(closed, 1 / 16);
    // σ* = σ·√(Var[x]/Var[o]): its relative SE is half that of Var[o]
    withinSE(params.star, (params.star * S.o_var_se) / S.o_var / 2, closed, `measured at σ = ${params.s}`);
    assert.equal(answer, 'invsqrt', `measured at σ = ${params.s}`);
  }
  assert.equal(questionOf('xavier', 'sigma').set('xavier').sigma, 0.0790569, 'the table shows the σ the learner chose');
});

test('xavier: x ~ N(1, 1) makes Var[o] = n_in σ²(γ² + μ²), twice d2l\'s n_in σ² γ²', async () => {
  const { answer, params, results } = await check('xavier', 'mean', 'yes');
  const { mu, gamma } = results.derive.input;
  const closed = (gamma ** 2 + mu ** 2) / gamma ** 2;
  assert.equal(closed, 2);
  withinSE(params.r, params.se / params.d2l, closed, 'Var[o] over d2l\'s formula');
  assert.equal(answer, 'twice');
});

test('xavier: for 1024 → 64 neither factor is 1 (forward 2·1024/1088 ≈ 1.88, backward 2·64/1088 ≈ 0.118); for 256 → 256 both are', async () => {
  const { answer, params, results } = await check('xavier', 'factors', 'both');
  const S = results.derive.data.stats;
  withinSE(params.f, S.o_var_se / S.th_x_var, (2 * 1024) / 1088, 'Var[o]/Var[x]');
  withinSE(params.b, S.g_var_se / results.derive.input.delta ** 2, (2 * 64) / 1088, 'Var[∂L/∂x]/δ²');
  assert.equal(answer, 'neither');
  // the same solve on a square layer: Xavier's σ² = 1/n keeps both
  const lesson = lessonOf('xavier');
  const square = await runJob(lesson, 'derive', { ...defaults(lesson.schema), ...questionOf('xavier', 'factors').set, nin: 256, nout: 256 });
  assert.equal(questionOf('xavier', 'factors').solve({ derive: square }).answer, 'both');
});

test('xavier: after a ReLU of z ~ N(0, 1), ½E[z²] = ½ takes γ²\'s place, not Var[x] = ½ − 1/(2π)', async () => {
  const { answer, params } = await check('xavier', 'relu', 'gamma');
  withinSE(params.e, params.se, 0.5, 'Var[o]/(n_in σ²)');
  assert.ok(Math.abs(params.xv - (0.5 - 1 / (2 * Math.PI))) < 1e-12, `Var[x] ${params.xv}`);
  assert.equal(answer, 'half');
});

test('xavier: a run the core refuses has no figures, and the solve says why instead of answering', () => {
  const refused = { data: { stats: null, hist: null, refused: 'too many draws' }, input: {} };
  for (const q of lessonOf('xavier').questions) assert.throws(() => q.solve({ derive: refused }), /too many draws/);
});

// ---- Training ----------------------------------------------------------------------

/** The race's lane k trained by the core's trainer directly: its losses (steps + 1) and how often it clipped. */
async function raceLane(k) {
  const c = await core();
  const g = globalsOf('race');
  const tr = c.createTrainer(trainConfig(g, lanesOf('race')[k - 1]));
  try {
    const loss = [];
    let clipped = 0;
    for (let i = 0; i < g.steps; i++) {
      const r = tr.step();
      loss.push(r.loss);
      clipped += r.clipped ? 1 : 0;
    }
    loss.push(tr.evaluate().loss);
    return { loss, clipped, first: (target) => { const i = loss.findIndex((v) => v < target); return i < 0 ? null : i; } };
  } finally {
    tr.free();
  }
}

test('train: clipping the norm changes when the ReLU lane reaches loss 0.1, as the trainer driven directly shows', async () => {
  const { answer, params } = await check('train', 'clip', 'same');
  const [plain, clipped] = [await raceLane(2), await raceLane(3)];
  assert.equal(params.t2, plain.first(0.1));
  assert.equal(params.t3, clipped.first(0.1));
  assert.equal(params.times, clipped.clipped);
  assert.ok(Math.abs(params.f3 - clipped.loss[clipped.loss.length - 1]) < 1e-6);
  // the reference's own reading of the two runs
  const t2 = plain.first(0.1);
  const t3 = clipped.first(0.1);
  const expected = !clipped.clipped || t2 === t3 ? 'same' : t2 === null && t3 === null ? 'neither'
    : t3 !== null && (t2 === null || t3 < t2) ? 'sooner' : 'later';
  assert.equal(answer, expected);
});

test('train: the sigmoid + N(0, 0.01²) lane ends at chance, ln 2, with a vanished first-layer gradient', async () => {
  const { answer, params } = await check('train', 'sigmoid', 'learns');
  assert.ok(Math.abs(params.f - Math.LN2) < 1e-3, `final loss ${params.f}`);
  assert.ok(params.g0 < 1e-12 * params.gh, `first layer ${params.g0}, head ${params.gh}`);
  assert.equal(answer, 'chance');
});

// ---- the answers in the URL ----------------------------------------------------------

test('answers round-trip through their URL value, and a bad one is refused whole by the state spec', () => {
  const qs = lessonOf('exploding').questions;
  const given = new Map([['flat', 'invm1'], ['overflow', '160']]);
  const value = formatAnswers(given, qs);
  assert.equal(value, 'overflow-160_flat-invm1');
  assert.equal(coerce(ANSWERS_SPEC, value).problem, null);
  assert.deepEqual([...parseAnswers(value)], [['overflow', '160'], ['flat', 'invm1']]);
  assert.equal(new URLSearchParams({ x_q: value }).toString(), `x_q=${value}`, 'nothing to escape');
  for (const bad of ['overflow', 'overflow-', 'Flat-a', 'a-b c', 'x'.repeat(500)]) {
    assert.equal(coerce(ANSWERS_SPEC, bad).problem, 'invalid', bad);
  }
  const overflow = qs.find((q) => q.id === 'overflow');
  assert.equal(readAnswer(overflow, '1e9'), null, 'out of range');
  assert.equal(readAnswer(qs.find((q) => q.id === 'flat'), 'nope'), null, 'not an option');
});
