// tfjs.js — the TensorFlow.js reference: its wasm backend (XNNPACK, SIMD, one
// thread) and its cpu backend, loaded from node_modules with no network.
import { createRequire } from 'node:module';
import path from 'node:path';
import { MLP, XAVIER_STD } from './workloads.js';

const require = createRequire(import.meta.url);

/**
 * Loads tfjs-core with the cpu and wasm backends, in production mode, and the
 * gradients (`gradients`: build.js ensureTfGradients's file); resolves to {tf, version}.
 */
export async function loadTf(gradients) {
  const tf = require('@tensorflow/tfjs-core');
  require(gradients);
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

/** Switches to backend `name` ('wasm' must be the single-thread SIMD build). */
export async function useBackend(tf, name) {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
  if (name === 'wasm' && (!tf.env().getBool('WASM_HAS_SIMD_SUPPORT') || tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'))) {
    throw new Error('tfjs wasm backend is not the single-thread SIMD build');
  }
}

/**
 * The MLP workload with TF.js ops, all in one tf.tidy, read back once.
 * flags = false: explicit tf.transpose; true: matMul's transpose flags.
 * prebuilt: weights, X and G already made (to show the cost of tf.randomNormal).
 * Returns the per-layer statistics (layer-major, 8 a layer).
 */
export function tfMlp(tf, { flags = false, prebuilt = null } = {}) {
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

/**
 * TF.js "at its best" on the current backend: one MLP run with each form
 * after a warm-up run; the faster is the one timed.  Returns {flags, trial:
 * {false: ms with tf.transpose, true: ms with matMul's flags}, note}.
 */
export function pickMlpForm(tf) {
  tfMlp(tf);
  const trial = {};
  for (const flags of [false, true]) {
    const t = performance.now();
    tfMlp(tf, { flags });
    trial[flags] = performance.now() - t;
  }
  const flags = trial.true < trial.false;
  const note = `${flags ? 'matMul transpose flags' : 'explicit tf.transpose'} timed ` +
    `(one trial each: tf.transpose ${trial.false.toFixed(0)} ms, flags ${trial.true.toFixed(0)} ms)`;
  return { flags, trial, note };
}
