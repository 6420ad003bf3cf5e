// bench/measure.js — the performance benchmark of the GradLab core, run by
// bench/run.js (`npm run bench`) once web/gen/ is built.
//
// Builds the rest of what it needs (the native gradlab_bench in build/bench,
// the wasm SIMD peak probe build/bench/peak.cjs), then times, on this one
// machine:
//   mlp      depth 50 × width 256 × batch 128 float32, forward + backward +
//            per-layer statistics (6·batch·width²·depth ≈ 2.5 GFLOP of matmul)
//   train    one step of the Training lesson's default lane (depth 20 × width
//            32, 256 points, float32, SGD; 31.6 MFLOP of matmul)
//   race     the lesson's `race` preset, 4 lanes × 300 steps, as its worker
//            trains it (web/lessons/train/jobs.js trainLaneFrames), in Node;
//            train and race again in headless Chromium (bench/lib/chromium.js),
//            the race there in the page's pool of 1 worker and of 2
//   mm64/mm256/mm512   C = A·B, n×n float32 (2n³ flops)
//   peak     wasm SIMD f32x4 mul+add chains (bench/peak.c)
// in GradLab-wasm, the native build of the same C, TensorFlow.js (wasm backend
// with XNNPACK + SIMD, single thread; cpu backend) and plain JavaScript.
// GradLab-wasm, native, TF.js wasm and the peak are interleaved: in each round
// every one of them takes one sample, in a rotating order, so that they all
// meet the same machine (on a shared host a core's speed drifts by 2× within
// seconds), and every ratio is taken within a round.
// Prints a table of medians and writes bench/results.json.  See bench/README.md.
// This file is the sequence of measurements; the parts are in bench/lib/.
//
//   node bench/run.js [--quick]     (runs this file after the build)
import { createRequire } from 'node:module';
import os from 'node:os';
import { ROOT, ensureNative, ensurePeak, ensureTfGradients, toolVersions } from './lib/build.js';
import { startNative } from './lib/native.js';
import { jsMatmul, jsMlp } from './lib/plainjs.js';
import { report } from './lib/report.js';
import { median, pairedMedian } from './lib/stats.js';
import { loadTf, pickMlpForm, tfMlp, useBackend } from './lib/tfjs.js';
import { inProcess, interleave, measure, policy, summary } from './lib/timing.js';
import { chromiumTrain } from './lib/chromium.js';
import { gradlabTrain, runRace, tfTrain } from './lib/train.js';
import { MLP, MLP_FLOP, SIZES, TRAIN_FLOP, XAVIER_STD, mmInputs } from './lib/workloads.js';
import { PROFILE_PHASES } from '../web/core.js';

const require = createRequire(import.meta.url);

const QUICK = process.argv.includes('--quick'); // bench/run.js refuses any other option
const P = policy(QUICK);

const log = (...a) => console.error(...a); // progress on stderr, the table on stdout

const results = []; // {workload, impl, median, min, runs, gflops, ratio}
const notes = [];
const checks = []; // MLP sanity: {impl, aVarLast, gzVarFirst}
const goals = {}; // paired ratios: vsTf, vsNative, peakShare {256, 512}

/** Adds a row; ratio = its time / gradlab-wasm's (paired when interleaved); flop null: no GFLOP/s. */
function record(workload, impl, t, flop, ratio = null) {
  const r = { workload, impl, median: t.median, min: t.min, runs: t.runs, gflops: flop === null ? null : flop / t.median / 1e6, ratio };
  results.push(r);
  log(`    ${workload.padEnd(6)} ${impl.padEnd(13)} ${t.median.toFixed(3).padStart(10)} ms  (${t.runs} runs)`);
  return r;
}

/** Phase times accumulated over `runs` MLP runs → ms a run, with other = total − the four phases. */
function perRun(phases, runs) {
  const out = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, v / runs]));
  out.other = Object.entries(out).reduce((rest, [k, v]) => (k === 'total' ? rest : rest - v), out.total);
  return out;
}

function checkMlp(impl, stats) {
  checks.push({ impl, aVarLast: stats[(MLP.depth - 1) * 8 + 3], gzVarFirst: stats[5] });
}

/** Rows of one interleaved workload; ratios to gradlab-wasm taken round by round. */
function recordInterleaved(workload, timed, flop) {
  const base = timed['gradlab-wasm'].samples;
  for (const [impl, t] of Object.entries(timed)) {
    if (impl.startsWith('_')) continue; // helpers of a note, not rows
    const ratio = pairedMedian(base.length, (r) => t.samples[r] / base[r]);
    record(workload, impl, summary(t), flop, ratio);
  }
}

async function main() {
  const load0 = os.loadavg();
  const nativeBin = ensureNative(log);
  const peakJs = ensurePeak(log);
  const tfGradients = await ensureTfGradients(log);
  const versions = toolVersions();
  const cpus = os.cpus();
  const machine = `${cpus[0]?.model?.trim() ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}, emcc ${versions.emcc}`;
  log(`==> ${machine}${QUICK ? ' (--quick)' : ''}`);

  // -- the interleaved implementations: native (a child process), the peak
  // probe, GradLab-wasm and TF.js on its wasm backend
  const native = await startNative(nativeBin, ROOT);
  const nativeImpl = (workload) => async (reps) => (await native.run(workload, reps)).ms;
  const Peak = await require(peakJs)();
  const { loadCore } = await import('../lib/node-core.js');
  const core = await loadCore('release');
  const { tf, version: tfVersion } = await loadTf(tfGradients);
  await useBackend(tf, 'wasm');

  // The peak: the faster of 8 and 12 chains, iterations for ~5 ms a call.
  const PEAK = { _peak8: 64, _peak12: 96 };
  const peakIters = 1e6;
  const peakChoice = {};
  for (const fn of Object.keys(PEAK)) peakChoice[fn] = (await measure(() => Peak[fn](peakIters), P)).median / PEAK[fn];
  const peakFn = peakChoice._peak8 < peakChoice._peak12 ? '_peak8' : '_peak12';
  const peakFlop = PEAK[peakFn] * peakIters;
  const peakImpl = inProcess(() => Peak[peakFn](peakIters));
  notes.push(`peak: ${peakFn.slice(5)} independent f32x4 mul+add chains (the faster of 8 and 12 in a trial), 8 flops per pair`);

  // -- MLP
  log('==> mlp: gradlab-wasm, native, tfjs-wasm interleaved');
  const mlpArgs = { init: 'xavier_normal', act: 'tanh', ...MLP, dtype: 'float32', seed: 1 };
  let last;
  const form = pickMlpForm(tf);
  const { flags } = form;
  log(`    mlp trial: explicit tf.transpose ${form.trial.false.toFixed(0)} ms, matMul transpose flags ${form.trial.true.toFixed(0)} ms`);
  // The share of tf.randomNormal (GradLab's figure includes its RNG too).
  const prebuilt = {
    x: tf.randomNormal([MLP.batch, MLP.width]), g: tf.randomNormal([MLP.batch, MLP.width]),
    Ws: Array.from({ length: MLP.depth }, () => tf.randomNormal([MLP.width, MLP.width], 0, XAVIER_STD)),
  };
  let tfStats, nativeLast;
  const mlp = await interleave({
    'gradlab-wasm': inProcess(() => { last = core.mlpStats(mlpArgs); }),
    native: async (reps) => { nativeLast = await native.run('mlp', reps); return nativeLast.ms; },
    'tfjs-wasm': inProcess(() => { tfStats = tfMlp(tf, { flags }); }),
    '_tfjs-wasm-prebuilt': inProcess(() => tfMlp(tf, { flags, prebuilt })),
  }, P.rounds.mlp, P);
  tf.dispose([prebuilt.x, prebuilt.g, ...prebuilt.Ws]);
  recordInterleaved('mlp', mlp, MLP_FLOP);
  checks.push({ impl: 'gradlab-wasm', aVarLast: last.layers[MLP.depth - 1].a_var, gzVarFirst: last.layers[0].grad_z_var });
  checks.push({ impl: 'native', aVarLast: nativeLast.a_var_last, gzVarFirst: nativeLast.grad_z_var_first });
  checkMlp('tfjs-wasm', tfStats);
  const gl = mlp['gradlab-wasm'].samples, rounds = gl.length;
  goals.vsTf = pairedMedian(rounds, (r) => mlp['tfjs-wasm'].samples[r] / gl[r]);
  goals.vsNative = pairedMedian(rounds, (r) => gl[r] / mlp.native.samples[r]);
  notes.push(`tfjs-wasm mlp: ${form.note}; ` +
    `without tf.randomNormal (X, W, G made beforehand, interleaved too) ${median(mlp['_tfjs-wasm-prebuilt'].samples).toFixed(1)} ms`);

  // -- where the MLP's time goes: gl_profile's phase timers, wasm and native
  // (a run of its own: the timers cost a clock call per phase and layer)
  log('==> mlp breakdown: phase timers on, gradlab-wasm then native');
  const profRuns = Math.max(3, P.rounds.mlp);
  core.mlpStats(mlpArgs);
  core.profile(true);
  for (let i = 0; i < profRuns; i++) core.mlpStats(mlpArgs);
  const wasmPhases = core.profile(false);
  const nativeProf = await native.run('mlpprof', profRuns);
  const nativePhases = Object.fromEntries(PROFILE_PHASES.map((name, i) => [name, nativeProf.phases_ms[i]]));
  goals.breakdown = { runs: profRuns, 'gradlab-wasm': perRun(wasmPhases, profRuns), native: perRun(nativePhases, profRuns) };

  // -- train: one step of the lesson's default lane
  log('==> train: gradlab-wasm, native, tfjs-wasm interleaved');
  const glTrain = gradlabTrain(core);
  const tfTrainer = tfTrain(tf, glTrain.data);
  try {
    const train = await interleave({
      'gradlab-wasm': glTrain.impl, native: nativeImpl('train'), 'tfjs-wasm': tfTrainer.impl,
    }, P.rounds.train, P);
    recordInterleaved('train', train, TRAIN_FLOP);
    const g = train['gradlab-wasm'].samples;
    goals.trainMs = median(g);
    goals.trainVsNative = pairedMedian(g.length, (r) => g[r] / train.native.samples[r]);
    goals.trainVsTf = pairedMedian(g.length, (r) => train['tfjs-wasm'].samples[r] / g[r]);
  } finally {
    glTrain.free();
    tfTrainer.dispose();
  }

  // -- race: the preset's 4 lanes × 300 steps, one after the other, as the worker runs them
  log(`==> race: ${P.races} × the race preset through trainLaneFrames (gradlab-wasm, alone)`);
  for (let i = 0; i < P.warmupRaces; i++) runRace(core);
  const races = Array.from({ length: P.races }, () => runRace(core));
  record('race', 'gradlab-wasm', summary({ samples: races.map((r) => r.ms), runs: races.length }), null);
  goals.race = {
    ms: median(races.map((r) => r.ms)), frames: races[0].frames,
    fps: median(races.map((r) => r.frames / (r.ms / 1e3))), maxGapMs: Math.max(...races.map((r) => r.maxGapMs)),
  };

  // -- train and race again in Chromium, the engine the lesson runs in: a step
  // on the page's thread, and the race in a pool of 1 worker and of 2
  const chrome = await chromiumTrain({ quick: QUICK, log });
  record('train', 'chromium', summary({ samples: chrome.stepMs, runs: chrome.stepMs.length }), TRAIN_FLOP);
  goals.chromium = { version: chrome.version, trainMs: median(chrome.stepMs), race: {} };
  for (const [size, rs] of Object.entries(chrome.races)) {
    record('race', `chromium-${size}w`, summary({ samples: rs.map((r) => r.ms), runs: rs.length }), null);
    goals.chromium.race[size] = {
      ms: median(rs.map((r) => r.ms)), frames: rs[0].frames,
      fps: median(rs.map((r) => r.frames / (r.ms / 1e3))), maxGapMs: Math.max(...rs.map((r) => r.maxGapMs)),
    };
  }

  // -- matmul, with the peak in every round.  GradLab-wasm runs _gl_matmul on
  // operands already in the wasm heap, as native and TF.js are timed; Core.matmul
  // (copies in and out) is reported beside it.  This is the one place outside
  // web/core.js that calls the Module: a benchmark of _gl_matmul.
  const M = core.M;
  const wrapper = [];
  const peakSamples = [];
  const nativePeakSamples = [];
  let nativePeak = null; // {flops, isa} of gradlab_bench's peak
  goals.peakShare = {};
  goals.nativePeakShare = {};
  for (const n of SIZES) {
    log(`==> mm${n}: gradlab-wasm, native, tfjs-wasm, peak interleaved`);
    const { a, b } = mmInputs(n);
    const bytes = n * n * 4, pa = M._malloc(bytes), pb = M._malloc(bytes), pc = M._malloc(bytes);
    const ta = tf.tensor2d(a, [n, n]), tb = tf.tensor2d(b, [n, n]);
    try {
      if (!pa || !pb || !pc) throw new Error('out of wasm memory');
      M.HEAPF32.set(a, pa / 4);
      M.HEAPF32.set(b, pb / 4);
      const mm = await interleave({
        'gradlab-wasm': inProcess(() => {
          if (M._gl_matmul(0, 0, 0, n, n, n, pa, pb, pc) !== 0) throw new Error(core.lastError());
        }),
        native: nativeImpl(`mm${n}`),
        'tfjs-wasm': inProcess(() => tf.matMul(ta, tb).dispose()), // eager, synchronous
        _peak: peakImpl,
        '_native-peak': async (reps) => {
          const { ms, flops, isa } = await native.run('peak', reps);
          nativePeak = { flops, isa };
          return ms;
        },
      }, P.rounds.mm, P);
      recordInterleaved(`mm${n}`, mm, 2 * n ** 3);
      peakSamples.push(...mm._peak.samples);
      nativePeakSamples.push(...mm['_native-peak'].samples);
      // share of a peak, round by round: (flop/ms of the matmul) / (flop/ms of the peak)
      const share = (impl, peakRow, flop) => pairedMedian(mm[impl].samples.length,
        (r) => (2 * n ** 3 / mm[impl].samples[r]) / (flop / mm[peakRow].samples[r]));
      goals.peakShare[n] = share('gradlab-wasm', '_peak', peakFlop);
      goals.nativePeakShare[n] = { wasm: share('gradlab-wasm', '_native-peak', nativePeak.flops), native: share('native', '_native-peak', nativePeak.flops) };
    } finally {
      if (pa) M._free(pa);
      if (pb) M._free(pb);
      if (pc) M._free(pc);
      tf.dispose([ta, tb]);
    }
    wrapper.push(`mm${n} ${(await measure(() => core.matmul({ a, b, m: n, n, k: n }), P)).median.toFixed(3)} ms`);
  }
  native.close();
  const peak = record('wasm-peak', 'gradlab-wasm', summary({ samples: peakSamples, runs: peakSamples.length }), peakFlop);
  const npeak = record('native-peak', 'native', summary({ samples: nativePeakSamples, runs: nativePeakSamples.length }), nativePeak.flops);
  notes.push(`native-peak: bench/native_bench.c peak, 12 independent chains of ${nativePeak.isa} fused multiply-adds ` +
    '(the widest FMA of this CPU that the build targets), 2 flops per lane, interleaved with the matmuls in their rounds');
  const mlpWasm = results.find((r) => r.workload === 'mlp' && r.impl === 'gradlab-wasm');
  goals.limit = { wasmPeak: peak.gflops, nativePeak: npeak.gflops, isa: nativePeak.isa, mlp: mlpWasm.gflops };
  notes.push(`gradlab-wasm mm: _gl_matmul on operands already in the wasm heap; through Core.matmul (copies in/out): ${wrapper.join(', ')}`);

  // -- the slow implementations, one after the other
  log('==> tfjs-cpu (alone: seconds a run)');
  await useBackend(tf, 'cpu');
  const cpuForm = pickMlpForm(tf);
  let cpuStats;
  record('mlp', 'tfjs-cpu', await measure(() => { cpuStats = tfMlp(tf, { flags: cpuForm.flags }); }, P), MLP_FLOP);
  checkMlp('tfjs-cpu', cpuStats);
  notes.push(`tfjs-cpu mlp: ${cpuForm.note}`);
  for (const n of SIZES) {
    const { a, b } = mmInputs(n);
    const ta = tf.tensor2d(a, [n, n]), tb = tf.tensor2d(b, [n, n]);
    record(`mm${n}`, 'tfjs-cpu', await measure(() => tf.matMul(ta, tb).dispose(), P), 2 * n ** 3);
    tf.dispose([ta, tb]);
  }

  log('==> js (alone: plain loops, Float32Array, i-k-j)');
  let jsStats;
  record('mlp', 'js', await measure(() => { jsStats = jsMlp(); }, P), MLP_FLOP);
  checkMlp('js', jsStats);
  for (const n of SIZES) {
    const { a, b } = mmInputs(n);
    const c = new Float32Array(n * n);
    record(`mm${n}`, 'js', await measure(() => jsMatmul(a, b, c, n, n, n), P), 2 * n ** 3);
  }

  report({ machine, versions, tfVersion, load0, peak, results, notes, checks, goals, P, log });
}

main().catch((e) => {
  console.error(`bench/run.js: ${e.stack || e}`);
  process.exit(1);
});
