// timing.js — how bench/run.js times an implementation: warm-up, then timed
// runs alone (measure) or side by side with others, round by round (interleave).
import { median } from './stats.js';

/**
 * The timing policy.  Warm-up first: at least warmupRuns runs and warmupS
 * seconds, so V8 has tiered the wasm up to TurboFan and the JIT has settled.
 * Interleaved implementations: rounds.mlp / rounds.train / rounds.mm rounds, a sample being a
 * batch of runs that lasts about sampleMs (one run for the MLP).  The slow ones
 * (seconds a run) alone: at least minRuns runs and minS seconds.  The race
 * (seconds, alone): warmupRaces untimed, then races timed.
 */
export function policy(quick) {
  return quick
    ? { warmupRuns: 1, warmupS: 0.1, minRuns: 3, minS: 0.1, rounds: { mlp: 3, mm: 5, train: 5 }, sampleMs: 5, warmupRaces: 0, races: 1 }
    : { warmupRuns: 2, warmupS: 0.3, minRuns: 5, minS: 0.5, rounds: { mlp: 11, mm: 21, train: 21 }, sampleMs: 25, warmupRaces: 1, races: 3 };
}

/** Untimed warm-up of fn() (sync or async) under policy P; returns the last run's time in ms. */
export async function warmUp(fn, P) {
  const t0 = performance.now();
  let last = 0;
  for (let i = 0; i < P.warmupRuns || performance.now() - t0 < P.warmupS * 1e3; i++) {
    const t = performance.now();
    await fn();
    last = performance.now() - t;
  }
  return last;
}

/** Warm-up, then timed runs of the synchronous fn() under policy P; returns {median, min, runs} in ms. */
export async function measure(fn, P) {
  await warmUp(fn, P);
  const ms = [];
  const start = performance.now();
  while (ms.length < P.minRuns || performance.now() - start < P.minS * 1e3) {
    const t = process.hrtime.bigint();
    fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { median: median(ms), min: Math.min(...ms), runs: ms.length };
}

/** An in-process implementation for interleave(): runs fn() reps times, returns each run's ms. */
export function inProcess(fn) {
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
 * Times implementations side by side.  impls: {name: async (reps) => [ms of
 * each run]}.  Each is warmed up and given a batch size (runs a sample) that
 * lasts about P.sampleMs; then in every round each takes one sample, the
 * order rotating from round to round.  Returns {name: {samples: [ms a run,
 * one per round], runs}}.
 */
export async function interleave(impls, rounds, P) {
  const names = Object.keys(impls);
  const reps = {};
  for (const n of names) {
    // the run's own time, which for the native child leaves out the pipe
    let once = 1;
    await warmUp(async () => { [once] = await impls[n](1); }, P);
    reps[n] = Math.max(1, Math.min(100000, Math.round(P.sampleMs / Math.max(once, 1e-3))));
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
export function summary({ samples, runs }) {
  return { median: median(samples), min: Math.min(...samples), runs };
}
