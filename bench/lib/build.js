// build.js — what the benchmarks measure is built first, and only when stale:
// web/gen/ (by ./build-wasm.sh), the native gradlab_bench (CMake), the wasm
// SIMD peak probe (emcc) and tfjs-core's gradients (esbuild).  Also: which
// tools made them.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (ends with a path separator). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where bench/run.js builds its native and peak binaries. */
export const BUILD = path.join(ROOT, 'build', 'bench');
/** The whole native core at its best on this CPU.  256-bit vectors: with GCC 12
 *  and -march=native on an AVX-512 CPU the 4×8 float tile of matmul.c is
 *  vectorised with 512-bit registers and runs ~10× slower than with AVX2. */
export const NATIVE_FLAGS = '-O3 -march=native -mprefer-vector-width=256';

/** Newest modification time (ms) of the files below `dir` (recursively, a
 *  folder named `gen` left out) for which keep(name) holds; 0 if none. */
export function newestMtime(dir, keep = () => true) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'gen') newest = Math.max(newest, newestMtime(p, keep)); } else if (keep(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout || ''}${r.stderr || r.error || ''}`);
  }
  return r.stdout;
}

/**
 * Runs ./build-wasm.sh when one of `files` (paths below web/gen/) is missing
 * or older than newest (ms, the newest source).  allowed = false only reports.
 * log(line) says why it builds; stdout is where the build's own output goes
 * (1, or 2 to keep stdout for a table).  Returns 'up to date' | 'stale' | 'rebuilt'.
 */
export function ensureWebGen({ files, newest, allowed = true, log = console.log, stdout = 1 }) {
  const full = files.map((f) => path.join(ROOT, 'web', 'gen', f));
  const missing = files.filter((f, i) => !existsSync(full[i]));
  const stale = !missing.length && Math.min(...full.map((f) => statSync(f).mtimeMs)) < newest;
  if (!missing.length && !stale) return 'up to date';
  const what = missing.length ? `web/gen/${missing.join(', web/gen/')} missing` : 'web/gen/ older than its sources';
  if (!allowed) {
    if (missing.length) throw new Error(`${what} and --no-build was given`);
    console.warn(`warning: ${what}; measuring it anyway (--no-build)`);
    return 'stale';
  }
  log(`==> ${what}: ./build-wasm.sh`);
  const r = spawnSync('./build-wasm.sh', [], { cwd: ROOT, stdio: ['ignore', stdout, 2] });
  if (r.status !== 0) throw new Error(`./build-wasm.sh failed (exit ${r.status})`);
  const still = files.filter((f, i) => !existsSync(full[i]));
  if (still.length) throw new Error(`./build-wasm.sh did not produce web/gen/${still.join(', web/gen/')}`);
  return 'rebuilt';
}

/** Identifies the build in web/gen/ (the files' sizes and times), to notice a rebuild. */
export function genStamp(files) {
  return files.map((f) => path.join(ROOT, 'web', 'gen', f))
    .map((f) => (existsSync(f) ? `${statSync(f).size}:${statSync(f).mtimeMs}` : '-')).join(',');
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

/** build/bench/gradlab_bench: bench/native_bench.c and the core, CMake Release with NATIVE_FLAGS. */
export function ensureNative(log) {
  mkdirSync(BUILD, { recursive: true });
  log(`==> cmake: gradlab_bench in build/bench (Release, ${NATIVE_FLAGS})`);
  run('cmake', ['-S', '.', '-B', BUILD, '-DCMAKE_BUILD_TYPE=Release', `-DCMAKE_C_FLAGS=${NATIVE_FLAGS}`]);
  run('cmake', ['--build', BUILD, '--target', 'gradlab_bench', '-j2']);
  return path.join(BUILD, 'gradlab_bench');
}

/** build/bench/peak.cjs: bench/peak.c by emcc -O3 -msimd128, rebuilt when older than its source. */
export function ensurePeak(log) {
  mkdirSync(BUILD, { recursive: true });
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
  return peak;
}

/**
 * build/bench/tfjs-gradients.cjs: tfjs-core's gradient registrations
 * (dist/register_all_gradients.js, which the union package @tensorflow/tfjs
 * runs and tfjs-core's own bundles leave out) bundled by esbuild into one
 * CommonJS file; requiring it registers them with the tfjs-core already loaded
 * (the registry and the engine live on globalThis).  Rebuilt when older than
 * the installed tfjs-core.
 */
export async function ensureTfGradients(log) {
  mkdirSync(BUILD, { recursive: true });
  const out = path.join(BUILD, 'tfjs-gradients.cjs');
  const core = path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs-core');
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(path.join(core, 'package.json')).mtimeMs) {
    log('==> esbuild: build/bench/tfjs-gradients.cjs');
    const { build } = await import('esbuild');
    const tmp = path.join(BUILD, `tfjs-gradients.${process.pid}.tmp.cjs`);
    await build({ entryPoints: [path.join(core, 'dist', 'register_all_gradients.js')], bundle: true, format: 'cjs',
      platform: 'node', outfile: tmp, logLevel: 'error' });
    renameSync(tmp, out);
  }
  return out;
}

/** {emcc: 'X.Y.Z', cc: first line of the C compiler's --version} ('unknown' where not found). */
export function toolVersions() {
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
