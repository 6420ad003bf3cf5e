// budget.js — times the largest request each work budget accepts (web/budget.js):
// for each of the issue's refused reproductions, the nearest accepted setting the
// refusal names, run through the CLI's main() in this process (the core loaded
// once); and the Init lesson's four orthogonal networks at the width the page
// lowers them to.  Prints estimated vs measured seconds.
//   node bench/budget.js            (GRADLAB_BUILD picks the build)
import { main } from '../lib/cli.js';
import { COMMANDS } from '../lib/commands.js';
import { WORK_BUDGET, nearestWithin, seconds } from '../web/budget.js';
import { fitBudget, jobInput, lessonFlops } from '../web/app/jobs.js';
import { LESSONS } from '../web/lessons/index.js';
import { defaults } from '../web/state.js';
import { loadCore } from '../lib/node-core.js';

const CASES = [
  ['matprod', { n: 64, steps: 10000, trials: 100000 }],
  ['init-sample', { init: 'orthogonal', 'fan-in': 4096, 'fan-out': 4096 }],
  ['init-stats', { init: 'normal', depth: 219, width: 3072, batch: 64 }],
  ['init-stats', { init: 'orthogonal', depth: 7, width: 4096, batch: 1 }],
  ['init-stats', { init: 'normal', depth: 20, width: 2048, batch: 256, dtype: 'float64' }],
  ['train', { preset: 'deep' }],
];

const io = { out: () => {}, err: (s) => process.stderr.write(s) };
const core = await loadCore();
console.log('request (nearest accepted setting)                                  estimate  measured');
for (const [name, given] of CASES) {
  const cmd = COMMANDS[name];
  const opts = { ...Object.fromEntries(Object.entries(cmd.flags).filter(([, s]) => s.default !== undefined).map(([k, s]) => [k, s.default])), ...given };
  const { settings, flops, knobs = [] } = cmd.work(opts);
  const near = flops(settings) > WORK_BUDGET ? nearestWithin(flops, settings, knobs.map((key) => ({ key, min: cmd.flags[key].min ?? 1 }))) : null;
  const run = { ...given, ...(near ? { [near.key]: near.value } : {}) };
  const argv = [name, ...Object.entries(run).flatMap(([k, v]) => [`--${k}`, String(v)]), '--json'];
  const cost = cmd.work({ ...opts, ...run }).flops({ ...settings, ...(near ? { [near.key]: near.value } : {}) });
  const t0 = performance.now();
  const code = await main(argv, io);
  const s = (performance.now() - t0) / 1000;
  console.log(`${argv.slice(0, -1).join(' ').padEnd(68)} ${String(seconds(cost)).padStart(6)} s ${s.toFixed(1).padStart(7)} s${code ? ` (exit ${code})` : ''}`);
}

// the page: four orthogonal networks at depth 200 × width 1024 × batch 1, lowered
const init = LESSONS.find((l) => l.id === 'init');
const s = { ...defaults(init.schema), s1: 'orthogonal', s2: 'orthogonal', s3: 'orthogonal', s4: 'orthogonal', depth: 200, width: 1024, batch: 1 };
const clamps = fitBudget(init, s, undefined);
const t0 = performance.now();
for (const job of Object.values(init.jobs)) job.run(core, jobInput(job, s));
const ms = performance.now() - t0;
console.log(`${`page: init, 4 x orthogonal, depth 200, batch 1, ${clamps.map((c) => `${c.key} ${c.from} -> ${c.to}`).join(', ')}`.padEnd(68)} ${String(seconds(lessonFlops(init, s))).padStart(6)} s ${(ms / 1000).toFixed(1).padStart(7)} s`);
