#!/usr/bin/env node
// bench/run.js — `npm run bench`: the performance benchmark of the GradLab core.
//
// Builds what it needs (web/gen/gradlab.js, the native gradlab_bench in
// build/bench, the wasm SIMD peak probe build/bench/peak.cjs), then times, on
// this one machine:
//   mlp      depth 50 × width 256 × batch 128 float32, forward + backward +
//            per-layer statistics (6·batch·width²·depth ≈ 2.5 GFLOP of matmul)
//   mm64/mm256/mm512   C = A·B, n×n float32 (2n³ flops)
//   peak     wasm SIMD f32x4 mul+add chains (bench/peak.c)
// in GradLab-wasm, the native build of the same C, TensorFlow.js (wasm backend
// with XNNPACK + SIMD, single thread; cpu backend) and plain JavaScript.
// GradLab-wasm, native, TF.js wasm and the peak are interleaved: in each round
// every one of them takes one sample, in a rotating order, so that they all
// meet the same machine (on a shared host a core's speed drifts by 2× within
// seconds), and every ratio is taken within a round.
// Prints a table of medians and writes bench/results.json.  See bench/README.md.
//
//   node bench/run.js [--quick]     --quick: fewer/shorter runs, a smoke test
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILD = path.join(ROOT, 'build', 'bench');
const require = createRequire(import.meta.url);

const QUICK = process.argv.includes('--quick');
for (const a of process.argv.slice(2)) {
  if (a !== '--quick') {
    console.error(`bench/run.js: unknown option '${a}' (usage: node bench/run.js [--quick])`);
    process.exit(2);
  }
}

// Timing policy.  Warm-up first: at least WARMUP_RUNS runs and WARMUP_S
// seconds, so V8 has tiered the wasm up to TurboFan and the JIT has settled.
// Interleaved implementations: ROUNDS rounds, a sample being a batch of runs
// that lasts about SAMPLE_MS (one run for the MLP).  The slow ones (tfjs-cpu,
// js; seconds a run) alone afterwards: at least MIN_RUNS runs and MIN_S seconds.
const POLICY = QUICK
  ? { warmupRuns: 1, warmupS: 0.1, minRuns: 3, minS: 0.1, rounds: { mlp: 3, mm: 5 }, sampleMs: 5 }
  : { warmupRuns: 2, warmupS: 0.3, minRuns: 5, minS: 0.5, rounds: { mlp: 11, mm: 21 }, sampleMs: 25 };

const MLP = { depth: 50, width: 256, batch: 128 };
const MLP_FLOP = 6 * MLP.batch * MLP.width * MLP.width * MLP.depth; // 3 matmuls a layer
const SIZES = [64, 256, 512];
// The whole native core at its best on this CPU.  256-bit vectors: with GCC 12
// and -march=native on an AVX-512 CPU the 4×8 float tile of matmul.c is
// vectorised with 512-bit registers and runs ~10× slower than with AVX2.
const NATIVE_FLAGS = '-O3 -march=native -mprefer-vector-width=256';

const log = (...a) => console.error(...a); // progress on stderr, the table on stdout

// ---- builds ------------------------------------------------------------------

function newestMtime(dir, keep) {
  return Math.max(0, ...readdirSync(dir).filter(keep).map((f) => statSync(path.join(dir, f)).mtimeMs));
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout || ''}${r.stderr || r.error || ''}`);
  }
  return r.stdout;
}

// Debian's emcc finds its JS tools through NODE_PATH; a read-only packaged
// cache is copied once (the same set-up as build-wasm.sh).
function emccEnv() {
  const env = { ...process.env, NODE_PATH: ['/usr/share/nodejs', process.env.NODE_PATH].filter(Boolean).join(':') };
  const sys = '/usr/share/emscripten/cache';
  if (!env.EM_CACHE && existsSync(sys)) {
    try {
      accessSync(sys, constants.W_OK);
    } catch {
      env.EM_CACHE = path.join(ROOT, 'build', 'em-cache');
      if (!existsSync(env.EM_CACHE)) run('cp', ['-r', sys, env.EM_CACHE]);
    }
  }
  return env;
}

function ensureBuilds() {
  const core = path.join(ROOT, 'web', 'gen', 'gradlab.js');
  const srcTime = newestMtime(path.join(ROOT, 'src'), (f) => /\.(c|h|txt)$/.test(f));
  if (!existsSync(core) || statSync(core).mtimeMs < srcTime) {
    log(`==> ${existsSync(core) ? 'src/ is newer than web/gen/gradlab.js' : 'web/gen/gradlab.js is missing'}: ./build-wasm.sh`);
    const r = spawnSync('./build-wasm.sh', [], { cwd: ROOT, stdio: ['ignore', 2, 2] });
    if (r.status !== 0) throw new Error('./build-wasm.sh failed');
  }

  mkdirSync(BUILD, { recursive: true });
  log(`==> cmake: gradlab_bench in build/bench (Release, ${NATIVE_FLAGS})`);
  run('cmake', ['-S', '.', '-B', BUILD, '-DCMAKE_BUILD_TYPE=Release', `-DCMAKE_C_FLAGS=${NATIVE_FLAGS}`]);
  run('cmake', ['--build', BUILD, '--target', 'gradlab_bench', '-j2']);

  const peak = path.join(BUILD, 'peak.cjs');
  const peakSrc = path.join(ROOT, 'bench', 'peak.c');
  if (!existsSync(peak) || statSync(peak).mtimeMs < statSync(peakSrc).mtimeMs) {
    log('==> emcc: build/bench/peak.cjs');
    // emcc names its output by extension: build a .js, then give it the .cjs
    // name (the repository's package.json says "type": "module").
    const tmp = path.join(BUILD, `peak.${process.pid}.tmp.js`);
    run('emcc', [peakSrc, '-O3', '-msimd128', '-sSINGLE_FILE=1', '-sMODULARIZE=1', '-sEXPORT_NAME=createPeak',
      '-sENVIRONMENT=node', '-sFILESYSTEM=0', '-sNODEJS_CATCH_EXIT=0', '-sNODEJS_CATCH_REJECTION=0',
      '-sEXPORTED_FUNCTIONS=[_peak8,_peak12]', '-o', tmp], { env: emccEnv() });
    renameSync(tmp, peak);
  }
}

function toolVersions() {
  const first = (cmd, args, env) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
    } catch {
      return 'unknown';
    }
  };
  const emcc = first('emcc', ['--version'], emccEnv()).match(/\d+\.\d+\.\d+/)?.[0] ?? 'unknown';
  const cache = path.join(BUILD, 'CMakeCache.txt');
  let cc = 'cc';
  try {
    cc = readFileSync(cache, 'utf8').match(/^CMAKE_C_COMPILER:\w+=(.*)$/m)?.[1] ?? 'cc';
  } catch { /* keep cc */ }
  return { emcc, cc: first(cc, ['--version']) };
}

// ---- timing ------------------------------------------------------------------

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Untimed warm-up of fn() (sync or async) under the policy; returns the
 *  last run's time in ms. */
async function warmUp(fn) {
  const t0 = performance.now();
  let last = 0;
  for (let i = 0; i < POLICY.warmupRuns || performance.now() - t0 < POLICY.warmupS * 1e3; i++) {
    const t = performance.now();
    await fn();
    last = performance.now() - t;
  }
  return last;
}

/** Warm-up, then timed runs of fn(); returns {median, min, runs} in ms. */
async function measure(fn) {
  await warmUp(fn);
  const ms = [];
  const start = performance.now();
  while (ms.length < POLICY.minRuns || performance.now() - start < POLICY.minS * 1e3) {
    const t = process.hrtime.bigint();
    fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { median: median(ms), min: Math.min(...ms), runs: ms.length };
}

/** An in-process implementation for interleave(): runs fn() reps times. */
function inProcess(fn) {
  return async (reps) => {
    const ms = new Array(reps);
    for (let i = 0; i < reps; i++) {
      const t = process.hrtime.bigint();
      fn();
      ms[i] = Number(process.hrtime.bigint() - t) / 1e6;
    }
    return ms;
  };
}

/**
 * The native bench as a child process that runs workloads on request
 * (bench/native_bench.c): run(workload, reps) → {ms: [...], ...}.  If the
 * child fails (an error line, an exit, a signal, a failed spawn or write) or
 * does not answer within ANSWER_S seconds, the pending and later requests
 * reject with what it said.
 */
const ANSWER_S = 600;
async function startNative(bin) {
  const child = spawn(bin, [], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  let failure = null; // why the child can take no more requests
  let unasked = ''; // a line nobody waited for (an error printed before exiting)
  const fail = (why) => {
    failure ??= new Error(`gradlab_bench: ${why}${unasked ? `: ${unasked}` : ''}`);
    for (const w of waiting.splice(0)) w.reject(failure);
  };
  lines.on('line', (l) => {
    const w = waiting.shift();
    if (w) w.resolve(l);
    else unasked = l;
  });
  // 'close' comes after the child's stdout is drained, so its last line is in.
  child.on('close', (code, signal) => fail(signal ? `killed by ${signal}` : `exited with status ${code}`));
  child.on('error', (e) => fail(e.message));
  child.stdin.on('error', (e) => fail(`cannot write to it (${e.code || e.message})`));
  return {
    async run(workload, reps) {
      if (failure) throw failure;
      let timer;
      const line = new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        timer = setTimeout(() => {
          fail(`no answer to '${workload} ${reps}' in ${ANSWER_S} s`);
          child.kill();
        }, ANSWER_S * 1e3);
      });
      child.stdin.write(`${workload} ${reps}\n`);
      try {
        const out = JSON.parse(await line);
        if (out.error) throw new Error(`gradlab_bench: ${out.error}`);
        return out;
      } finally {
        clearTimeout(timer);
      }
    },
    close() { child.stdin.end(); },
  };
}

/**
 * Times implementations side by side.  impls: {name: async (reps) => [ms of
 * each run]}.  Each is warmed up and given a batch size (runs a sample) that
 * lasts about POLICY.sampleMs; then in every round each takes one sample, the
 * order rotating from round to round.  Returns {name: {samples: [ms a run,
 * one per round], runs}}.
 */
async function interleave(impls, rounds) {
  const names = Object.keys(impls);
  const reps = {};
  for (const n of names) {
    // the run's own time, which for the native child leaves out the pipe
    let once = 1;
    await warmUp(async () => { [once] = await impls[n](1); });
    reps[n] = Math.max(1, Math.min(100000, Math.round(POLICY.sampleMs / Math.max(once, 1e-3))));
  }
  const out = Object.fromEntries(names.map((n) => [n, { samples: [], runs: 0 }]));
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < names.length; j++) {
      const n = names[(r + j) % names.length];
      const ms = await impls[n](reps[n]);
      out[n].samples.push(ms.reduce((a, b) => a + b, 0) / ms.length);
      out[n].runs += ms.length;
    }
  }
  return out;
}

/** {median, min, runs} of an interleave() result. */
function summary({ samples, runs }) {
  return { median: median(samples), min: Math.min(...samples), runs };
}

/** Median over rounds of f(round index). */
function pairedMedian(rounds, f) {
  return median(Array.from({ length: rounds }, (_, r) => f(r)));
}

// ---- shared helpers of the JS and TF.js workloads ------------------------------

const XAVIER_STD = Math.sqrt(2 / (MLP.width + MLP.width)); // xavier_normal, gain 1

/** Population mean and variance of a typed array, accumulated in float64 (two passes). */
function moments(v) {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  const mean = s / v.length;
  let q = 0;
  for (let i = 0; i < v.length; i++) q += (v[i] - mean) ** 2;
  return [mean, q / v.length];
}

/** Standard normals by Box–Muller from Math.random. */
function fillNormal(v, std = 1) {
  for (let i = 0; i < v.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - Math.random())) * std, t = 2 * Math.PI * Math.random();
    v[i] = r * Math.cos(t);
    if (i + 1 < v.length) v[i + 1] = r * Math.sin(t);
  }
  return v;
}

// ---- plain JavaScript ----------------------------------------------------------

/** C (m×n) = A (m×k) · B (k×n), row-major Float32Arrays, i-k-j loop order. */
function jsMatmul(A, B, C, m, n, k) {
  C.fill(0);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const aip = A[i * k + p], bp = p * n;
      for (let j = 0; j < n; j++) C[ci + j] += aip * B[bp + j];
    }
  }
  return C;
}

/** T (c×r) = Xᵀ for X (r×c). */
function jsTranspose(X, T, r, c) {
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) T[j * r + i] = X[i * c + j];
  return T;
}

/** The MLP workload in plain JS; returns the per-layer statistics (layer-major, 8 a layer). */
function jsMlp() {
  const { depth: L, width: W, batch: B } = MLP;
  const bw = B * W;
  const a = [fillNormal(new Float32Array(bw))];
  const Ws = [];
  for (let l = 0; l < L; l++) Ws.push(fillNormal(new Float32Array(W * W), XAVIER_STD));
  let ga = fillNormal(new Float32Array(bw));
  const z = [];
  const stats = new Float64Array(L * 8);
  const wt = new Float32Array(W * W), gzt = new Float32Array(bw), gw = new Float32Array(W * W);
  for (let l = 1; l <= L; l++) {
    const zl = jsMatmul(a[l - 1], jsTranspose(Ws[l - 1], wt, W, W), new Float32Array(bw), B, W, W); // z = a·Wᵀ
    const al = new Float32Array(bw);
    for (let i = 0; i < bw; i++) al[i] = Math.tanh(zl[i]);
    z.push(zl);
    a.push(al);
    const o = (l - 1) * 8;
    [stats[o], stats[o + 1]] = moments(zl);
    [stats[o + 2], stats[o + 3]] = moments(al);
    let spread = 0; // max over rows of (max − min over units)
    for (let r = 0; r < B; r++) {
      let lo = Infinity, hi = -Infinity;
      for (let j = 0; j < W; j++) { const x = al[r * W + j]; if (x < lo) lo = x; if (x > hi) hi = x; }
      spread = Math.max(spread, hi - lo);
    }
    stats[o + 7] = spread;
  }
  const gz = new Float32Array(bw), next = new Float32Array(bw);
  for (let l = L; l >= 1; l--) {
    const al = a[l], o = (l - 1) * 8;
    for (let i = 0; i < bw; i++) gz[i] = ga[i] * (1 - al[i] * al[i]); // ∂z = ∂a ⊙ (1 − a²)
    jsMatmul(jsTranspose(gz, gzt, B, W), a[l - 1], gw, W, W, B); // ∂W = ∂zᵀ·a_prev
    stats[o + 4] = moments(ga)[1];
    stats[o + 5] = moments(gz)[1];
    stats[o + 6] = moments(gw)[1];
    jsMatmul(gz, Ws[l - 1], next, B, W, W); // ∂a_prev = ∂z·W
    ga = next.slice();
  }
  return stats;
}

// ---- TensorFlow.js ---------------------------------------------------------------

/**
 * The MLP workload with TF.js ops, all in one tf.tidy, read back once.
 * flags = false: explicit tf.transpose; true: matMul's transpose flags.
 * prebuilt: weights, X and G already made (to show the cost of tf.randomNormal).
 */
function tfMlp(tf, { flags = false, prebuilt = null } = {}) {
  const { depth: L, width: W, batch: B } = MLP;
  const out = tf.tidy(() => {
    const x = prebuilt ? prebuilt.x : tf.randomNormal([B, W]);
    const Ws = prebuilt ? prebuilt.Ws : Array.from({ length: L }, () => tf.randomNormal([W, W], 0, XAVIER_STD));
    const g = prebuilt ? prebuilt.g : tf.randomNormal([B, W]);
    const as = [x], scalars = new Array(L * 8);
    for (let l = 1; l <= L; l++) {
      const z = flags ? tf.matMul(as[l - 1], Ws[l - 1], false, true) : tf.matMul(as[l - 1], tf.transpose(Ws[l - 1]));
      const a = tf.tanh(z);
      as.push(a);
      const mz = tf.moments(z), ma = tf.moments(a), o = (l - 1) * 8;
      scalars[o] = mz.mean;
      scalars[o + 1] = mz.variance;
      scalars[o + 2] = ma.mean;
      scalars[o + 3] = ma.variance;
      scalars[o + 7] = tf.max(tf.sub(tf.max(a, 1), tf.min(a, 1)));
    }
    let ga = g;
    for (let l = L; l >= 1; l--) {
      const a = as[l], o = (l - 1) * 8;
      const gz = tf.mul(ga, tf.sub(1, tf.square(a)));
      const gw = flags ? tf.matMul(gz, as[l - 1], true, false) : tf.matMul(tf.transpose(gz), as[l - 1]);
      scalars[o + 4] = tf.moments(ga).variance;
      scalars[o + 5] = tf.moments(gz).variance;
      scalars[o + 6] = tf.moments(gw).variance;
      ga = tf.matMul(gz, Ws[l - 1]);
    }
    return tf.stack(scalars);
  });
  const v = out.dataSync();
  out.dispose();
  return v;
}

async function loadTf() {
  const tf = require('@tensorflow/tfjs-core');
  require('@tensorflow/tfjs-backend-cpu');
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  // Under Node the backend reads its .wasm with fs from this directory: no
  // network.  One thread (no SharedArrayBuffer workers) → tfjs-backend-wasm-simd.wasm.
  wasm.setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  // Production mode: no debug checks, and no "install tfjs-node" banner.
  tf.enableProdMode();
  return { tf, version: tf.version_core };
}

async function useBackend(tf, name) {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
  if (name === 'wasm' && (!tf.env().getBool('WASM_HAS_SIMD_SUPPORT') || tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'))) {
    throw new Error('tfjs wasm backend is not the single-thread SIMD build');
  }
}

// ---- main ------------------------------------------------------------------------

const results = []; // {workload, impl, median, min, runs, gflops, ratio}
const notes = [];
const checks = []; // MLP sanity: {impl, aVarLast, gzVarFirst}
const goals = {}; // paired ratios: vsTf, vsNative, peakShare {256, 512}

/** Adds a row; ratio = its time / gradlab-wasm's (paired when interleaved). */
function record(workload, impl, t, flop, ratio = null) {
  const r = { workload, impl, median: t.median, min: t.min, runs: t.runs, gflops: flop / t.median / 1e6, ratio };
  results.push(r);
  log(`    ${workload.padEnd(6)} ${impl.padEnd(13)} ${t.median.toFixed(3).padStart(10)} ms  (${t.runs} runs)`);
  return r;
}

function checkMlp(impl, stats) {
  checks.push({ impl, aVarLast: stats[(MLP.depth - 1) * 8 + 3], gzVarFirst: stats[5] });
}

function mmInputs(n) {
  return { a: fillNormal(new Float32Array(n * n)), b: fillNormal(new Float32Array(n * n)) };
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
  ensureBuilds();
  const versions = toolVersions();
  const cpus = os.cpus();
  const machine = `${cpus[0]?.model?.trim() ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}, emcc ${versions.emcc}`;
  log(`==> ${machine}${QUICK ? ' (--quick)' : ''}`);

  // -- the interleaved implementations: native (a child process), the peak
  // probe, GradLab-wasm and TF.js on its wasm backend
  const native = await startNative(path.join(BUILD, 'gradlab_bench'));
  const nativeImpl = (workload) => async (reps) => (await native.run(workload, reps)).ms;
  const P = await require(path.join(BUILD, 'peak.cjs'))();
  const { loadCore } = await import('../lib/node-core.js');
  const core = await loadCore('release');
  const { tf, version: tfVersion } = await loadTf();
  await useBackend(tf, 'wasm');

  // The peak: the faster of 8 and 12 chains, iterations for ~5 ms a call.
  const PEAK = { _peak8: 64, _peak12: 96 };
  const peakIters = 1e6;
  const peakChoice = {};
  for (const fn of Object.keys(PEAK)) peakChoice[fn] = (await measure(() => P[fn](peakIters))).median / PEAK[fn];
  const peakFn = peakChoice._peak8 < peakChoice._peak12 ? '_peak8' : '_peak12';
  const peakFlop = PEAK[peakFn] * peakIters;
  const peakImpl = inProcess(() => P[peakFn](peakIters));
  notes.push(`peak: ${peakFn.slice(5)} independent f32x4 mul+add chains (the faster of 8 and 12 in a trial), 8 flops per pair`);

  // -- MLP
  log('==> mlp: gradlab-wasm, native, tfjs-wasm interleaved');
  const mlpArgs = { init: 'xavier_normal', act: 'tanh', ...MLP, dtype: 'float32', seed: 1 };
  let last;
  // TF.js "at its best": one run with each form after a warm-up, the faster is timed.
  tfMlp(tf);
  const trial = {};
  for (const flags of [false, true]) {
    const t = performance.now();
    tfMlp(tf, { flags });
    trial[flags] = performance.now() - t;
  }
  const flags = trial.true < trial.false;
  log(`    mlp trial: explicit tf.transpose ${trial.false.toFixed(0)} ms, matMul transpose flags ${trial.true.toFixed(0)} ms`);
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
  }, POLICY.rounds.mlp);
  tf.dispose([prebuilt.x, prebuilt.g, ...prebuilt.Ws]);
  recordInterleaved('mlp', mlp, MLP_FLOP);
  checks.push({ impl: 'gradlab-wasm', aVarLast: last.layers[MLP.depth - 1].a_var, gzVarFirst: last.layers[0].grad_z_var });
  checks.push({ impl: 'native', aVarLast: nativeLast.a_var_last, gzVarFirst: nativeLast.grad_z_var_first });
  checkMlp('tfjs-wasm', tfStats);
  const gl = mlp['gradlab-wasm'].samples, rounds = gl.length;
  goals.vsTf = pairedMedian(rounds, (r) => mlp['tfjs-wasm'].samples[r] / gl[r]);
  goals.vsNative = pairedMedian(rounds, (r) => gl[r] / mlp.native.samples[r]);
  notes.push(`tfjs-wasm mlp: ${flags ? 'matMul transpose flags' : 'explicit tf.transpose'} timed ` +
    `(one trial each: tf.transpose ${trial.false.toFixed(0)} ms, flags ${trial.true.toFixed(0)} ms); ` +
    `without tf.randomNormal (X, W, G made beforehand, interleaved too) ${median(mlp['_tfjs-wasm-prebuilt'].samples).toFixed(1)} ms`);

  // -- matmul, with the peak in every round.  GradLab-wasm runs _gl_matmul on
  // operands already in the wasm heap, as native and TF.js are timed; Core.matmul
  // (copies in and out) is reported beside it.  This is the one place outside
  // web/core.js that calls the Module: a benchmark of _gl_matmul.
  const M = core.M;
  const wrapper = [];
  const peakSamples = [];
  goals.peakShare = {};
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
      }, POLICY.rounds.mm);
      recordInterleaved(`mm${n}`, mm, 2 * n ** 3);
      peakSamples.push(...mm._peak.samples);
      // share of the peak, round by round: (flop/ms of the matmul) / (flop/ms of the peak)
      const g = mm['gradlab-wasm'].samples;
      goals.peakShare[n] = pairedMedian(g.length, (r) => (2 * n ** 3 / g[r]) / (peakFlop / mm._peak.samples[r]));
    } finally {
      if (pa) M._free(pa);
      if (pb) M._free(pb);
      if (pc) M._free(pc);
      tf.dispose([ta, tb]);
    }
    wrapper.push(`mm${n} ${(await measure(() => core.matmul({ a, b, m: n, n, k: n }))).median.toFixed(3)} ms`);
  }
  native.close();
  const peak = record('peak', 'gradlab-wasm', summary({ samples: peakSamples, runs: peakSamples.length }), peakFlop);
  notes.push(`gradlab-wasm mm: _gl_matmul on operands already in the wasm heap; through Core.matmul (copies in/out): ${wrapper.join(', ')}`);

  // -- the slow implementations, one after the other
  log('==> tfjs-cpu (alone: seconds a run)');
  await useBackend(tf, 'cpu');
  tfMlp(tf);
  const cpuTrial = {};
  for (const f of [false, true]) {
    const t = performance.now();
    tfMlp(tf, { flags: f });
    cpuTrial[f] = performance.now() - t;
  }
  const cpuFlags = cpuTrial.true < cpuTrial.false;
  let cpuStats;
  record('mlp', 'tfjs-cpu', await measure(() => { cpuStats = tfMlp(tf, { flags: cpuFlags }); }), MLP_FLOP);
  checkMlp('tfjs-cpu', cpuStats);
  notes.push(`tfjs-cpu mlp: ${cpuFlags ? 'matMul transpose flags' : 'explicit tf.transpose'} timed ` +
    `(one trial each: tf.transpose ${cpuTrial.false.toFixed(0)} ms, flags ${cpuTrial.true.toFixed(0)} ms)`);
  for (const n of SIZES) {
    const { a, b } = mmInputs(n);
    const ta = tf.tensor2d(a, [n, n]), tb = tf.tensor2d(b, [n, n]);
    record(`mm${n}`, 'tfjs-cpu', await measure(() => tf.matMul(ta, tb).dispose()), 2 * n ** 3);
    tf.dispose([ta, tb]);
  }

  log('==> js (alone: plain loops, Float32Array, i-k-j)');
  let jsStats;
  record('mlp', 'js', await measure(() => { jsStats = jsMlp(); }), MLP_FLOP);
  checkMlp('js', jsStats);
  for (const n of SIZES) {
    const { a, b } = mmInputs(n);
    const c = new Float32Array(n * n);
    record(`mm${n}`, 'js', await measure(() => jsMatmul(a, b, c, n, n, n)), 2 * n ** 3);
  }

  report(machine, versions, tfVersion, load0, peak);
}

// ---- output ----------------------------------------------------------------------

function report(machine, versions, tfVersion, load0, peak) {
  const WORKLOADS = ['mlp', 'mm64', 'mm256', 'mm512', 'peak'];
  const IMPLS = ['gradlab-wasm', 'native', 'tfjs-wasm', 'tfjs-cpu', 'js'];
  results.sort((x, y) => WORKLOADS.indexOf(x.workload) - WORKLOADS.indexOf(y.workload) ||
    IMPLS.indexOf(x.impl) - IMPLS.indexOf(y.impl));
  const find = (w, i) => results.find((r) => r.workload === w && r.impl === i);
  const fmt = (x, d) => (Number.isFinite(x) ? x.toFixed(d) : '—');

  const head = ['workload', 'impl', 'median ms', 'min ms', 'runs', 'GFLOP/s', '× gradlab-wasm time'];
  const rows = results.map((r) => {
    const base = find(r.workload, 'gradlab-wasm');
    return [r.workload, r.impl, fmt(r.median, 3), fmt(r.min, 3), String(r.runs), fmt(r.gflops, 2),
      r.workload === 'peak' ? '' : fmt(r.ratio ?? r.median / base.median, 2)];
  });
  const width = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells) => cells.map((c, j) => (j < 2 ? c.padEnd(width[j]) : c.padStart(width[j]))).join(' | ');
  const out = [];
  out.push('');
  out.push(`GradLab benchmark — ${machine}`);
  out.push(line(head));
  out.push(width.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) out.push(line(r));
  out.push('');

  const goal = (ok) => (ok ? 'met' : 'NOT met');
  const { vsTf, vsNative } = goals;
  out.push('Goals (ratios taken within each round of the interleaved runs, then the median):');
  out.push(`MLP: gradlab-wasm vs tfjs-wasm = ${vsTf.toFixed(2)}× faster (goal ≥ 2.5×: ${goal(vsTf >= 2.5)})`);
  out.push(`MLP: gradlab-wasm / native = ${vsNative.toFixed(2)}× (goal ≤ 2.5×: ${goal(vsNative <= 2.5)})`);
  for (const n of [256, 512]) {
    const pct = 100 * goals.peakShare[n];
    out.push(`mm${n} = ${pct.toFixed(0)}% of the wasm SIMD peak measured in the same rounds (median ${peak.gflops.toFixed(1)} GFLOP/s) (goal ≥ 80%: ${goal(pct >= 80)})`);
  }
  out.push('');
  out.push('Notes:');
  out.push(`- gradlab-wasm, native, tfjs-wasm and the peak: ${POLICY.rounds.mlp} rounds (mlp) or ${POLICY.rounds.mm} (mmN) after ` +
    `≥ ${POLICY.warmupRuns} warm-up runs and ≥ ${POLICY.warmupS} s each; a round takes one sample of each in a rotating order ` +
    `(a sample: one MLP run, or a batch of matmuls lasting ~${POLICY.sampleMs} ms, per-run time); "median ms" and "min ms" are over ` +
    `the rounds, "runs" counts every run, "× gradlab-wasm time" is the median over rounds of the ratio within the round ` +
    `(> 1 means slower than gradlab-wasm).  tfjs-cpu and js (seconds a run) ran alone afterwards: median of ≥ ${POLICY.minRuns} ` +
    `runs and ≥ ${POLICY.minS} s, ratio of medians.  GFLOP/s counts matmul flops only ` +
    `(mlp: 6·batch·width²·depth = ${(MLP_FLOP / 1e9).toFixed(2)} GFLOP; mmN: 2n³).`);
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
      workload: r.workload, impl: r.impl, ms_median: Number(r.median.toFixed(4)), gflops: Number(r.gflops.toFixed(3)),
    })),
  };
  writeFileSync(path.join(ROOT, 'bench', 'results.json'), JSON.stringify(json, null, 2) + '\n');
  log('==> wrote bench/results.json');
}

main().catch((e) => {
  console.error(`bench/run.js: ${e.stack || e}`);
  process.exit(1);
});
