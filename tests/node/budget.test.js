// budget.test.js — work budgets from the arguments, before any work (issue 14,
// item 2): web/budget.js's cost models, the CLI's refusal (exit 2, the limit
// and a nearby accepted setting) or --allow-slow, and the page's lessons
// lowered within the budget before a job starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  WORK_BUDGET, largestWithin, matprodFlops, mlpFlops, nearestWithin, orthogonalFlops, trainFlops,
} from '../../web/budget.js';
import { checkWork } from '../../lib/cli.js';
import { COMMANDS } from '../../lib/commands.js';
import { fitBudget, lessonFlops } from '../../web/app/jobs.js';
import { LESSONS } from '../../web/lessons/index.js';
import { PRESETS, PRESET_NAMES, globalsOf, lanesOf } from '../../web/lessons/train/presets.js';
import { defaults } from '../../web/state.js';
import { gradlab } from './helpers.js';

const lessonOf = (id) => LESSONS.find((l) => l.id === id);

// ---- the cost models -------------------------------------------------------------

test('an orthogonal n × n draw costs (8/3)·n³ QR flops: QR and forming Q, 4mk² − (4/3)k³ for m × k', () => {
  const n = 512;
  const sq = orthogonalFlops(n, n), wide = orthogonalFlops(64, n), tall = orthogonalFlops(n, 64);
  assert.equal(wide, tall, 'a wide draw is the transpose of a tall one');
  assert.ok(sq / orthogonalFlops(n / 2, n / 2) > 7.5, 'cubic in n');
  assert.ok(wide < sq / 10, 'linear in the long side, quadratic in the short one');
});

test('an orthogonal network pays its QR twice once its weights pass the kept-weights cache', () => {
  const layer = (depth) => mlpFlops({ init: 'orthogonal', depth, width: 1024, batch: 1 }) / depth;
  assert.ok(layer(17) / layer(16) > 1.9, '16 float32 1024² weights are 64 MiB: the 17th is drawn again');
});

test('largestWithin and nearestWithin: the largest accepted size, on the knob that needs the smallest cut', () => {
  assert.equal(largestWithin((x) => x * x, 1, 1000, 100), 10);
  assert.equal(largestWithin((x) => x * x, 20, 1000, 100), null);
  const cost = ({ a, b }) => a * b * b;
  assert.deepEqual(nearestWithin(cost, { a: 100, b: 100 }, [{ key: 'a' }, { key: 'b' }], 1e5), { key: 'b', value: 31 });
  assert.equal(nearestWithin(cost, { a: 1, b: 1 }, [{ key: 'a' }, { key: 'b' }], 0), null);
});

// ---- the CLI: refused before any work, or --allow-slow ------------------------------

const REPRODUCTIONS = [
  [['matprod', '--n', '64', '--steps', '10000', '--trials', '100000'], 'trials'],
  [['init-sample', '--init', 'orthogonal', '--fan-in', '4096', '--fan-out', '4096'], 'fan-in'],
  [['init-stats', '--init', 'normal', '--depth', '219', '--width', '3072', '--batch', '64'], 'width'],
  [['init-stats', '--init', 'orthogonal', '--depth', '7', '--width', '4096', '--batch', '1'], 'width'],
];

test("the issue's CLI reproductions are refused at once: exit 2, the budget and a nearby setting that is accepted", () => {
  for (const [argv, knob] of REPRODUCTIONS) {
    const t0 = Date.now();
    const r = gradlab(...argv, '--json');
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.out, '');
    const m = r.err.match(new RegExp(`^gradlab: this run needs ~\\S+ flops, about \\S+ s here, past the work budget of 1\\.5e\\+11 \\(about \\d+ s\\): use --${knob} <= (\\d+), or --allow-slow\\n$`));
    assert.ok(m, r.err);
    assert.ok(Date.now() - t0 < 5000, 'refused before any work');
    // the setting it names passes the same check
    const cmd = COMMANDS[argv[0]];
    const opts = Object.fromEntries(Object.entries(cmd.flags).filter(([, s]) => s.default !== undefined).map(([k, s]) => [k, s.default]));
    for (let i = 1; i < argv.length; i += 2) opts[argv[i].slice(2)] = /^\d+$/.test(argv[i + 1]) ? Number(argv[i + 1]) : argv[i + 1];
    opts[knob] = Number(m[1]);
    assert.doesNotThrow(() => checkWork(cmd, opts, false, { err: () => {} }), argv.join(' '));
    opts[knob] += 1;
    assert.throws(() => checkWork(cmd, opts, false, { err: () => {} }), /work budget/, `${knob} + 1 is refused`);
  }
});

test('--allow-slow lets a run past the budget go ahead, saying on stderr how long it should take', () => {
  const said = [];
  const opts = { n: 64, steps: 10000, trials: 100, sigma: 1, ensemble: 'gaussian', dtype: 'float32' };
  assert.throws(() => checkWork(COMMANDS.matprod, opts, false, { err: (s) => said.push(s) }), /use --\w+ <= \d+, or --allow-slow/);
  checkWork(COMMANDS.matprod, opts, true, { err: (s) => said.push(s) });
  assert.match(said.join(''), /^gradlab: ~\S+ flops, about \d+ s here \(--allow-slow\)…\n$/);
});

test("every command's defaults are within the budget, and every train preset at its own settings", () => {
  for (const [name, cmd] of Object.entries(COMMANDS)) {
    if (name === 'init-sample' || name === 'init-stats') continue; // --init is required
    const opts = Object.fromEntries(Object.entries(cmd.flags).filter(([, s]) => s.default !== undefined).map(([k, s]) => [k, s.default]));
    assert.doesNotThrow(() => checkWork(cmd, opts, false, { err: () => {} }), name);
  }
  for (const preset of PRESET_NAMES) {
    const g = globalsOf(preset);
    assert.ok(trainFlops({ ...g, lanes: lanesOf(preset).length }) <= WORK_BUDGET, preset);
  }
});

// ---- the page: a change past the budget lowers a control before any job ------------

test('every lesson at its defaults is within the budget and fitBudget leaves it alone', () => {
  for (const lesson of LESSONS) {
    const s = defaults(lesson.schema);
    assert.ok(lessonFlops(lesson, s) <= WORK_BUDGET, lesson.id);
    assert.deepEqual(fitBudget(lesson, s, undefined), [], lesson.id);
  }
});

test('every lesson at the maxima of its schema is brought within the budget', () => {
  const orthogonal = { s1: 'orthogonal', s2: 'orthogonal', s3: 'orthogonal', s4: 'orthogonal' };
  for (const lesson of LESSONS) {
    for (const extra of lesson.id === 'init' ? [{}, orthogonal, { dtype: 'float64' }] : [{}, { dtype: 'float64' }]) {
      const s = { ...defaults(lesson.schema), ...extra };
      for (const [k, spec] of Object.entries(lesson.schema)) if (spec.type === 'int' && !/seed/.test(k)) s[k] = spec.max;
      fitBudget(lesson, s, undefined);
      assert.ok(lessonFlops(lesson, s) <= WORK_BUDGET, `${lesson.id} ${JSON.stringify(extra)}`);
    }
  }
});

test("the issue's page reproduction: four orthogonal schemes at depth 200 × width 1024 × batch 1 lower the width", () => {
  const init = lessonOf('init');
  const s = { ...defaults(init.schema), s1: 'orthogonal', s2: 'orthogonal', s3: 'orthogonal', s4: 'orthogonal', depth: 200, width: 1024, batch: 1 };
  assert.ok(lessonFlops(init, s) > 50 * WORK_BUDGET);
  const clamps = fitBudget(init, s, undefined);
  assert.equal(clamps.length, 1);
  assert.equal(clamps[0].key, 'width');
  assert.equal(clamps[0].from, 1024);
  assert.ok(clamps[0].to > 100 && clamps[0].to < 300, String(clamps[0].to));
  assert.equal(s.width, clamps[0].to);
  assert.ok(lessonFlops(init, s) <= WORK_BUDGET);
  assert.ok(lessonFlops(init, { ...s, width: s.width + 1 }) > WORK_BUDGET, 'the nearest accepted value');
});

test('the control just changed is the one lowered when it is a knob; a scheme change lowers a size', () => {
  const init = lessonOf('init');
  const s = { ...defaults(init.schema), s1: 'orthogonal', s2: 'orthogonal', width: 1024, batch: 1, depth: 200 };
  const byDepth = fitBudget(init, { ...s }, 'depth');
  assert.deepEqual(byDepth.map((c) => c.key), ['depth']);
  const byScheme = fitBudget(init, { ...s }, 's2');
  assert.ok(byScheme.length >= 1 && init.budget.knobs.includes(byScheme[0].key));
});

test('the train lesson: four lanes at its largest settings are lowered within the budget; a preset race is not', () => {
  const train = lessonOf('train');
  const s = defaults(train.schema);
  assert.deepEqual(fitBudget(train, s, 'steps'), []);
  const big = { ...s, lanes: 4, depth: 100, width: 128, points: 1024, steps: 2000 };
  const clamps = fitBudget(train, big, 'steps');
  assert.ok(clamps.length >= 1);
  assert.ok(lessonFlops(train, big) <= WORK_BUDGET);
  assert.ok(Object.keys(PRESETS).length >= 1);
});

test('matprodFlops: the fan of the Exploding lesson is counted at the trials it runs (thinned), not those asked', () => {
  const exploding = lessonOf('exploding');
  const s = { ...defaults(exploding.schema), n: 64, steps: 1000, trials: 200 };
  const fan = exploding.jobs.fan.flops(s);
  assert.ok(fan < matprodFlops({ n: 64, steps: 1000, ensemble: 'gaussian', trajectories: 0, trials: 200 }) / 50);
});
