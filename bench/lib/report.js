// report.js — bench/run.js's output: the table of medians, the goals
// (paired ratios), the notes that say how each figure was made, and
// bench/results.json.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NATIVE_FLAGS, ROOT } from './build.js';
import { fixed, textTable } from './table.js';
import { MLP_FLOP, TRAIN, TRAIN_FLOP } from './workloads.js';
import { PROFILE_PHASES } from '../../web/core.js';

/** The MLP's timed phases, the core's own names (gl_profile), without its total. */
const PARTS = PROFILE_PHASES.filter((p) => p !== 'total');

const WORKLOADS = ['mlp', 'train', 'race', 'mm64', 'mm256', 'mm512', 'wasm-peak', 'native-peak'];
const IMPLS = ['gradlab-wasm', 'chromium', 'chromium-1w', 'chromium-2w', 'native', 'tfjs-wasm', 'tfjs-cpu', 'js'];

/**
 * Prints the report on stdout and writes bench/results.json.
 * results: [{workload, impl, median, min, runs, gflops (null: not counted), ratio}];
 * goals: {vsTf, vsNative, peakShare: {256, 512}, trainMs, trainVsNative,
 * trainVsTf, race: {ms, frames, fps, maxGapMs}, chromium: {version, trainMs,
 * race: {poolSize: {ms, frames, fps, maxGapMs}}}}; checks: [{impl, aVarLast, gzVarFirst}];
 * notes: lines; peak: the peak's row; P: the timing policy; load0: load
 * averages at the start.
 */
export function report({ machine, versions, tfVersion, load0, peak, results, notes, checks, goals, P, log }) {
  results.sort((x, y) => WORKLOADS.indexOf(x.workload) - WORKLOADS.indexOf(y.workload) ||
    IMPLS.indexOf(x.impl) - IMPLS.indexOf(y.impl));
  const find = (w, i) => results.find((r) => r.workload === w && r.impl === i);

  const head = ['workload', 'impl', 'median ms', 'min ms', 'runs', 'GFLOP/s', '× gradlab-wasm time'];
  const rows = results.map((r) => {
    const base = find(r.workload, 'gradlab-wasm');
    return [r.workload, r.impl, fixed(r.median, 3), fixed(r.min, 3), String(r.runs), r.gflops === null ? '' : fixed(r.gflops, 2),
      r.workload.endsWith('peak') ? '' : fixed(r.ratio ?? r.median / base.median, 2)];
  });
  const out = [];
  out.push('');
  out.push(`GradLab benchmark — ${machine}`);
  out.push(...textTable(head, rows, { sep: ' | ', ruleSep: '-|-' }));
  out.push('');

  const goal = (ok) => (ok ? 'met' : 'NOT met');
  const { vsTf, vsNative } = goals;
  out.push('Goals (ratios taken within each round of the interleaved runs, then the median):');
  out.push(`MLP: gradlab-wasm vs tfjs-wasm = ${vsTf.toFixed(2)}× faster (goal ≥ 2.5×: ${goal(vsTf >= 2.5)})`);
  out.push(`MLP: gradlab-wasm / native = ${vsNative.toFixed(2)}× (goal ≤ 2.5×: ${goal(vsNative <= 2.5)})`);
  const mlpMs = find('mlp', 'gradlab-wasm').median;
  out.push(`MLP (issue 15): gradlab-wasm ${mlpMs.toFixed(1)} ms (goal ≤ 60 ms: ${goal(mlpMs <= 60)}), ` +
    `${vsTf.toFixed(2)}× faster than tfjs-wasm (goal ≥ 4×: ${goal(vsTf >= 4)})`);
  const bd = goals.breakdown;
  if (bd) {
    const phases = [...PARTS, 'other', 'total'];
    const cell = (impl, k) => `${fixed(bd[impl][k], 1)} ms (${(100 * bd[impl][k] / bd[impl].total).toFixed(0)}%)`;
    out.push(`  where the MLP's time goes (gl_profile's phase timers, mean of ${bd.runs} runs each, timed apart from the rows above):`);
    out.push(...textTable(['phase', 'gradlab-wasm', 'native'], phases.map((k) => [k, cell('gradlab-wasm', k), cell('native', k)]),
      { sep: ' | ', ruleSep: '-|-' }).map((l) => `  ${l}`));
    const wasmPeakMs = MLP_FLOP / goals.limit.wasmPeak / 1e6;
    out.push(`  the MLP's matmul flops at 100% of the wasm SIMD peak measured here would take ${wasmPeakMs.toFixed(1)} ms.`);
  }
  const { trainMs, trainVsNative, trainVsTf, race } = goals;
  out.push(`train: a step of the default lane in gradlab-wasm = ${trainMs.toFixed(3)} ms (goal ≤ 1.5 ms: ${goal(trainMs <= 1.5)}); ` +
    `gradlab-wasm / native = ${trainVsNative.toFixed(2)}×, tfjs-wasm / gradlab-wasm = ${trainVsTf.toFixed(2)}×`);
  out.push(`race: 4 lanes × 300 steps = ${(race.ms / 1e3).toFixed(2)} s computing (goal ≤ 2.5 s: ${goal(race.ms <= 2500)}); ` +
    `${race.frames} frames, ${race.fps.toFixed(1)} frames/s (goal ≥ 10: ${goal(race.fps >= 10)}), longest gap between frames ${race.maxGapMs.toFixed(0)} ms`);
  const cr = goals.chromium;
  out.push(`train in ${cr.version}: a step of the default lane = ${cr.trainMs.toFixed(3)} ms (goal ≤ 1.5 ms: ${goal(cr.trainMs <= 1.5)})`);
  for (const [size, r] of Object.entries(cr.race)) {
    out.push(`race in ${cr.version}, a pool of ${size} worker${size > 1 ? 's' : ''}: ${(r.ms / 1e3).toFixed(2)} s from the request to the last ` +
      `lane's result (goal ≤ 2.5 s: ${goal(r.ms <= 2500)}); ${r.frames} frames, ${r.fps.toFixed(1)} frames/s (goal ≥ 10: ${goal(r.fps >= 10)}), ` +
      `longest gap between frames ${r.maxGapMs.toFixed(0)} ms`);
  }
  for (const n of [256, 512]) {
    const pct = 100 * goals.peakShare[n];
    out.push(`mm${n} = ${pct.toFixed(0)}% of the wasm SIMD peak measured in the same rounds (median ${peak.gflops.toFixed(1)} GFLOP/s) (goal ≥ 80%: ${goal(pct >= 80)})`);
  }
  const { limit, nativePeakShare: nps } = goals;
  const pc = (x) => `${(100 * x).toFixed(0)}%`;
  out.push(`The limit: the wasm SIMD peak ${limit.wasmPeak.toFixed(1)} GFLOP/s, this CPU's native FMA peak (${limit.isa}) ` +
    `${limit.nativePeak.toFixed(1)} GFLOP/s (${(limit.nativePeak / limit.wasmPeak).toFixed(2)}× the wasm peak: wasm has no FMA and 128-bit vectors).`);
  out.push(`  gradlab-wasm's MLP (${limit.mlp.toFixed(1)} GFLOP/s of matmul flops) = ${pc(limit.mlp / limit.wasmPeak)} of the wasm peak, ` +
    `${pc(limit.mlp / limit.nativePeak)} of the native peak (medians); mm256 and mm512 = ${pc(nps[256].wasm)} and ${pc(nps[512].wasm)} ` +
    `of the native peak (in the same rounds); the native build's mm256 and mm512 = ${pc(nps[256].native)} and ${pc(nps[512].native)} of it.`);
  out.push('');
  out.push('Notes:');
  out.push(`- gradlab-wasm, native, tfjs-wasm and the peaks: ${P.rounds.mlp} rounds (mlp) or ${P.rounds.mm} (mmN) after ` +
    `≥ ${P.warmupRuns} warm-up runs and ≥ ${P.warmupS} s each; a round takes one sample of each in a rotating order ` +
    `(a sample: one MLP run, or a batch of matmuls lasting ~${P.sampleMs} ms, per-run time); "median ms" and "min ms" are over ` +
    `the rounds, "runs" counts every run, "× gradlab-wasm time" is the median over rounds of the ratio within the round ` +
    `(> 1 means slower than gradlab-wasm).  tfjs-cpu and js (seconds a run) ran alone afterwards: median of ≥ ${P.minRuns} ` +
    `runs and ≥ ${P.minS} s, ratio of medians.  GFLOP/s counts matmul flops only ` +
    `(mlp: 6·batch·width²·depth = ${(MLP_FLOP / 1e9).toFixed(2)} GFLOP; train: ${(TRAIN_FLOP / 1e6).toFixed(1)} MFLOP; mmN: 2n³).`);
  out.push(`- train: one step of the Training lesson's default lane = the race preset's "ReLU + Kaiming" lane (depth ${TRAIN.depth}, ` +
    `width ${TRAIN.width}, ${TRAIN.rows} points, float32, SGD lr 0.1): gradlab-wasm is Trainer.step() (gl_train_step with the ` +
    `per-layer gradient norms and relative updates, report copied out), native gl_train_step with the same report; tfjs-wasm does ` +
    `the PyTorch-equivalent work (Linear+ReLU chain, softmax cross-entropy, tf.variableGrads, SGD, the loss read back) and no per-layer norms. ` +
    `Every ${TRAIN.restart} steps each starts afresh, untimed.  ${P.rounds.train} rounds, interleaved as mmN.`);
  out.push('- race: web/lessons/train/jobs.js trainLaneFrames on the race preset\'s 4 lanes one after the other (as the worker ' +
    'runs its lane jobs), with the real core in Node, frames not posted: steps, per-step norms, decision regions (48×48) every ' +
    `25 steps; ${P.races} timed after ${P.warmupRaces} untimed; "median ms" is a whole race; frames/s = frames / computing time; ` +
    'the longest gap is from the start, between frames, or to a lane\'s end.');
  out.push(`- chromium: headless ${cr.version} (Debian's chromium through playwright-core).  train: Trainer.step() on the page's ` +
    `thread, the same engine and code as the lesson's worker, median of batches of 20 steps after a warm-up (not interleaved ` +
    `with the Node rows: its ratio is of medians).  race: the race preset's four lane jobs submitted to web/app/scheduler.js with ` +
    `the product's worker source, in a pool of 1 worker and of 2 (runs alternating), from the submits to the last lane's result, ` +
    `every frame posted to the page; after one untimed 50-step race that loads each worker's core.`);
  out.push('- mlp is gl_mlp_stats (xavier_normal, tanh, depth 50, width 256, batch 128, float32) for gradlab-wasm and native, ' +
    'including drawing X, W_1..W_50 and ∂a_L with its RNG; tfjs and js draw the same with tf.randomNormal / Math.random (Box–Muller) inside the timing.');
  out.push(`- native: build/bench, CMake Release with CMAKE_C_FLAGS="${NATIVE_FLAGS}" for the whole core (library and bench; ` +
    `256-bit vectors because GCC 12's 512-bit code for the 4×8 matmul tile is ~10× slower); ${versions.cc}.`);
  out.push(`- gradlab-wasm: web/gen/gradlab.js (emcc ${versions.emcc} -O3 -msimd128); TF.js ${tfVersion}: wasm backend = XNNPACK, SIMD build, 1 thread; cpu backend = plain JS kernels.`);
  for (const n of notes) out.push(`- ${n}`);
  out.push(`- MLP sanity (same work, different RNGs): ` +
    checks.map((c) => `${c.impl} Var(a_50) ${c.aVarLast.toPrecision(3)}, Var(∂z_1) ${c.gzVarFirst.toPrecision(3)}`).join('; '));
  const load1 = os.loadavg();
  out.push(`- load average at start ${load0[0].toFixed(2)}, at end ${load1[0].toFixed(2)} on ${os.cpus().length} logical CPUs: ` +
    'other work running at the same time slows every row (on SMT siblings by up to 2×).');
  console.log(out.join('\n'));

  const json = {
    machine,
    results: results.map((r) => ({
      workload: r.workload, impl: r.impl, ms_median: Number(r.median.toFixed(4)),
      gflops: r.gflops === null ? null : Number(r.gflops.toFixed(3)),
    })).concat(goals.breakdown ? ['gradlab-wasm', 'native'].flatMap((impl) => [...PARTS, 'other']
      .map((k) => ({ workload: `mlp/${k}`, impl, ms_median: Number(goals.breakdown[impl][k].toFixed(4)), gflops: null }))) : []),
  };
  writeFileSync(path.join(ROOT, 'bench', 'results.json'), JSON.stringify(json, null, 2) + '\n');
  log('==> wrote bench/results.json');
}
