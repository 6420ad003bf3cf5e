// core.js — the only JavaScript that touches the Emscripten Module.
//
// createCore(factory) loads the wasm core once and returns a Core whose methods
// take plain objects, move typed arrays across the boundary and return copies.
// Every buffer is malloc'd and freed here, in the same call, in try/finally;
// heap views are read after the C call (memory growth detaches old views).
// The C functions validate everything; a non-zero status becomes a CoreError
// carrying the core's message.
//
// Names and limits are the core's own (src/abi.c), read from the build by
// tools/gen-abi.cjs into ./gen/abi.mjs: ACTIVATIONS, INITS, DTYPES, DISTS,
// ENSEMBLES, MLP_STATS, MLP_CFG, TRAIN_CFG, NORMS, CLIPS, OPTIMIZERS, TRAIN_STATS,
// XD_DISTS, XAVIER_CFG, XAVIER_STATS and PROFILE_PHASES list enum gl_act, gl_init, … in enum order; LIMITS
// holds every size limit (LIMITS.mlpMaxDepth, …); INIT_USES[init] says which of
// gain, sigma, value a scheme reads; LEAKY_SLOPE is leaky_relu's slope.
import {
  ACTIVATIONS, CLIPS, DISTS, DTYPES, ENSEMBLES, INITS, LIMITS, MLP_CFG, MLP_STATS, NORMS, OPTIMIZERS, PROFILE_PHASES, TRAIN_CFG,
  TRAIN_STATS, XAVIER_CFG, XAVIER_STATS, XD_DISTS,
} from './gen/abi.mjs';

export {
  ACTIVATIONS, CLIPS, DISTS, DTYPES, ENSEMBLES, INITS, INIT_USES, LEAKY_SLOPE, LIMITS, MLP_CFG, MLP_STATS, NORMS, OPTIMIZERS,
  PROFILE_PHASES, TRAIN_CFG, TRAIN_STATS, XAVIER_CFG, XAVIER_STATS, XD_DISTS,
} from './gen/abi.mjs';

/** The weight families of the Xavier check: the first LIMITS.xavierWeightDists of XD_DISTS (the zero-mean ones). */
export const XAVIER_WEIGHT_DISTS = Object.freeze(XD_DISTS.slice(0, LIMITS.xavierWeightDists));

const STATUS = ['ok', 'invalid argument', 'out of range', 'out of memory'];

export class CoreError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'CoreError';
    this.status = status;
    this.kind = STATUS[status] || 'error';
  }
}

function indexOf(list, name, what) {
  const i = list.indexOf(name);
  if (i < 0) throw new CoreError(1, `unknown ${what} '${name}' (valid: ${list.join(', ')})`);
  return i;
}

const VIEW = { f32: ['HEAPF32', 4], f64: ['HEAPF64', 8], i32: ['HEAP32', 4] };

/** Loads the core with an Emscripten factory (createGradLab); cached per factory. */
const loaded = new WeakMap();
export function createCore(factory) {
  if (typeof factory !== 'function') {
    return Promise.reject(new Error('the GradLab core (web/gen/gradlab.js) is not loaded: run ./build-wasm.sh'));
  }
  if (!loaded.has(factory)) {
    loaded.set(factory, Promise.resolve().then(() => withoutFetch(factory))
      .then((M) => new Core(M), (e) => { throw loadError(e); }));
  }
  return loaded.get(factory);
}

/**
 * Calls factory() with fetch hidden, in a browser.  The glue (emscripten
 * 3.1.6, SINGLE_FILE) first fetch()es the data: URL its wasm is embedded in,
 * and decodes it itself only when that fails; a course site whose CSP
 * connect-src lacks data: refuses the fetch and logs a violation.  It looks
 * for fetch synchronously, within factory(), so hiding it for that call makes
 * it decode at once.  Node takes another path and is left alone.
 */
function withoutFetch(factory) {
  const g = globalThis;
  const browser = typeof g.document === 'object' || typeof g.WorkerGlobalScope === 'function';
  const own = Object.getOwnPropertyDescriptor(g, 'fetch');
  if (!browser || !own || !own.configurable) return factory();
  Object.defineProperty(g, 'fetch', { value: undefined, configurable: true, writable: true });
  try {
    return factory();
  } finally {
    Object.defineProperty(g, 'fetch', own);
  }
}

/**
 * The core failed to load.  A host whose Content-Security-Policy lacks
 * 'wasm-unsafe-eval' refuses to compile WebAssembly (the glue then aborts with
 * "CompileError: … Content Security Policy …"): that one becomes a
 * WasmRefused error, which the page explains in the reader's language with
 * what the site must allow; anything else passes through.
 */
export class WasmRefused extends Error {
  constructor(detail) {
    super(`this site's Content-Security-Policy does not allow WebAssembly ('wasm-unsafe-eval' is missing from script-src): ${detail}`);
    this.name = 'WasmRefused';
  }
}
function loadError(e) {
  const text = String((e && e.message) || e);
  return /Content.Security.Policy|unsafe-eval/i.test(text) ? new WasmRefused(text.slice(0, 300)) : e;
}

export class Core {
  constructor(M) {
    this.M = M;
    /** Allocation counters through this wrapper (the leak test reads them). */
    this.allocs = 0;
    this.frees = 0;
    /** GL_MAX_BYTES of the core. */
    this.maxBytes = M._gl_max_bytes();
  }

  version() { return this.M.UTF8ToString(this.M._gl_version()); }
  lastError() { return this.M.UTF8ToString(this.M._gl_last_error()); }
  /** Bytes of the wasm heap (grows, never shrinks). */
  heapBytes() { return this.M.HEAP8.buffer.byteLength; }

  /**
   * Allocates the buffers in `specs` ({name: {type, n, data?}}), calls
   * body(ptrs) which returns a C status, and returns {status, out} where out
   * holds a copy of every buffer.  Frees everything on every path.  Every
   * `data` must hold exactly its n values (CoreError 1 before any _malloc):
   * a shorter array would leave stale heap values in the buffer, a longer one
   * would be written past it.  This is the one length check every wrapper
   * relies on for the arrays it passes in.
   */
  _with(specs, body) {
    const M = this.M;
    const ptrs = {};
    for (const [name, s] of Object.entries(specs)) {
      if (!Object.hasOwn(s, 'data')) continue; // an output buffer (data: undefined is a missing input)
      const len = s.data?.length;
      if (len !== s.n) {
        throw new CoreError(1, `${name} must hold ${s.n} values, got ${typeof len === 'number' ? len : 'no array'}`);
      }
    }
    // The same cap the core applies to its own allocations, worded as the
    // core's gl_check_bytes, checked before any _malloc here (a byte count past
    // 4 GiB would also wrap in wasm32).
    const total = Object.values(specs).reduce((sum, s) => sum + Math.max(1, s.n) * VIEW[s.type][1], 0);
    this._checkCap(total, 'the buffers of this call');
    try {
      for (const [name, s] of Object.entries(specs)) {
        const bytes = Math.max(1, s.n) * VIEW[s.type][1];
        const p = M._malloc(bytes);
        if (!p) throw new CoreError(3, `out of memory allocating ${bytes} bytes for ${name}`);
        this.allocs++;
        ptrs[name] = p;
      }
      for (const [name, s] of Object.entries(specs)) {
        if (s.data) M[VIEW[s.type][0]].set(s.data, ptrs[name] / VIEW[s.type][1]);
      }
      const status = body(ptrs);
      if (status !== 0) throw new CoreError(status, this.lastError());
      const out = {};
      for (const [name, s] of Object.entries(specs)) {
        const [view, size] = VIEW[s.type];
        out[name] = M[view].slice(ptrs[name] / size, ptrs[name] / size + s.n);
      }
      return out;
    } finally {
      for (const p of Object.values(ptrs)) {
        M._free(p);
        this.frees++;
      }
    }
  }

  /** GL_MAX_BYTES applied before any _malloc here (a count past 4 GiB would also wrap in wasm32). */
  _checkCap(bytes, what) {
    if (!(bytes <= this.maxBytes)) {
      throw new CoreError(2, `${what} need ${(bytes / 2 ** 20).toFixed(1)} MiB, ` +
        `more than the ${(this.maxBytes / 2 ** 20).toFixed(0)} MiB cap`);
    }
  }

  /** Type tag of a dtype name for _with. */
  static _t(dtype) { return dtype === 'float64' ? 'f64' : 'f32'; }

  // ---- matrix product ---------------------------------------------------

  /**
   * C (m×n) = op(A)·op(B) for row-major Float32Arrays (float32) or
   * Float64Arrays (float64), as gl_matmul: op(A) is A (m×k) or, if ta, Aᵀ with
   * A stored k×m; op(B) is B (k×n) or, if tb, Bᵀ with B stored n×k.
   */
  matmul({ a, b, m, n, k, ta = false, tb = false }) {
    checkInt('m', m, 1, LIMITS.matmulMaxDim);
    checkInt('n', n, 1, LIMITS.matmulMaxDim);
    checkInt('k', k, 1, LIMITS.matmulMaxDim);
    const t = a instanceof Float64Array ? 'f64' : 'f32';
    if (!(a instanceof Float32Array || a instanceof Float64Array) || b?.constructor !== a.constructor) {
      throw new CoreError(1, 'matmul needs A and B as two Float32Arrays or two Float64Arrays');
    }
    if (a.length !== m * k) throw new CoreError(1, `A must hold m·k = ${m * k} entries, got ${a.length}`);
    if (b.length !== k * n) throw new CoreError(1, `B must hold k·n = ${k * n} entries, got ${b.length}`);
    return this._with(
      { a: { type: t, n: a.length, data: a }, b: { type: t, n: b.length, data: b }, c: { type: t, n: m * n } },
      (p) => this.M._gl_matmul(t === 'f64' ? 1 : 0, ta ? 1 : 0, tb ? 1 : 0, m, n, k, p.a, p.b, p.c),
    ).c;
  }

  // ---- random numbers and statistics ----------------------------------

  /** n samples from normal(a, b) (mean, std) or uniform [a, b), as gl_sample. */
  sample({ dist = 'normal', dtype = 'float32', seed = 0, a = 0, b = 1, n }) {
    const d = indexOf(DISTS, dist, 'distribution');
    const dt = indexOf(DTYPES, dtype, 'dtype');
    checkInt('sample count', n, 1, LIMITS.sampleMaxCount);
    const t = Core._t(dtype);
    return this._with({ out: { type: t, n } }, (p) => this.M._gl_sample(d, dt, seed, a, b, n, p.out)).out;
  }

  /** Population statistics {count, mean, var, min, max} of a Float32/64Array. */
  stats(values) {
    const t = values instanceof Float64Array ? 'f64' : 'f32';
    const o = this._with({ v: { type: t, n: values.length, data: values }, s: { type: 'f64', n: 5 } },
      (p) => this.M._gl_stats(t === 'f64' ? 1 : 0, values.length, p.v, p.s)).s;
    return { count: o[0], mean: o[1], var: o[2], min: o[3], max: o[4] };
  }

  /**
   * Histogram of a Float32/64Array in `bins` equal bins over [lo, hi] (values
   * outside go to the end bins, non-finite ones are skipped); lo ≥ hi means
   * the data's range.  Returns {counts, lo, hi}.
   */
  histogram(values, bins, lo = 0, hi = 0) {
    const t = values instanceof Float64Array ? 'f64' : 'f32';
    checkInt('bins', bins, 1, LIMITS.maxBins);
    const o = this._with(
      { v: { type: t, n: values.length, data: values }, c: { type: 'f64', n: bins }, r: { type: 'f64', n: 2, data: [lo, hi] } },
      (p) => this.M._gl_histogram(t === 'f64' ? 1 : 0, values.length, p.v, bins, p.c, p.r),
    );
    return { counts: o.c, lo: o.r[0], hi: o.r[1] };
  }

  /**
   * The p-quantiles (each in [0, 1]) of the finite entries of a
   * Float32/64Array, interpolated as torch.quantile does; NaN where no entry
   * is finite.  Returns a Float64Array, one per p.
   */
  quantiles(values, p) {
    const t = values instanceof Float64Array ? 'f64' : 'f32';
    return this._with(
      { v: { type: t, n: values.length, data: values }, p: { type: 'f64', n: p.length, data: p }, q: { type: 'f64', n: p.length } },
      (b) => this.M._gl_quantiles(t === 'f64' ? 1 : 0, values.length, b.v, p.length, b.p, b.q),
    ).q;
  }

  // ---- activations ------------------------------------------------------

  /** Number of points of torch.arange(from, to, step). */
  arangeCount(from, to, step) {
    return this._with({ n: { type: 'i32', n: 1 } }, (p) => this.M._gl_arange_count(from, to, step, p.n)).n[0];
  }

  /** x = arange(from, to, step), y = φ(x), grad = d(Σy)/dx, argmax of grad. */
  activationCurve({ act = 'sigmoid', dtype = 'float32', from = -8, to = 8, step = 0.1 } = {}) {
    const a = indexOf(ACTIVATIONS, act, 'activation');
    const dt = indexOf(DTYPES, dtype, 'dtype');
    const n = this.arangeCount(from, to, step);
    const t = Core._t(dtype);
    const o = this._with(
      { x: { type: t, n }, y: { type: t, n }, grad: { type: t, n }, arg: { type: 'i32', n: 1 } },
      (p) => this.M._gl_activation_curve(a, dt, from, to, step, n, p.x, p.y, p.grad, p.arg),
    );
    return { act, dtype, x: o.x, y: o.y, grad: o.grad, argmax: o.arg[0] };
  }

  /** φ(x) for a typed array x (Float32Array → float32, Float64Array → float64). */
  forward(act, x) {
    const a = indexOf(ACTIVATIONS, act, 'activation');
    const t = x instanceof Float64Array ? 'f64' : 'f32';
    return this._with({ x: { type: t, n: x.length, data: x }, y: { type: t, n: x.length } },
      (p) => this.M._gl_act_forward(a, t === 'f64' ? 1 : 0, x.length, p.x, p.y)).y;
  }

  /** Vector–Jacobian product g ⊙ φ'(x) (y = φ(x) is recomputed). */
  backward(act, x, g) {
    const a = indexOf(ACTIVATIONS, act, 'activation');
    const t = x instanceof Float64Array ? 'f64' : 'f32';
    const dt = t === 'f64' ? 1 : 0;
    const n = x.length;
    return this._with(
      { x: { type: t, n, data: x }, y: { type: t, n }, g: { type: t, n, data: g }, dx: { type: t, n } },
      (p) => this.M._gl_act_forward(a, dt, n, p.x, p.y) || this.M._gl_act_backward(a, dt, n, p.x, p.y, p.g, p.dx),
    ).dx;
  }

  /** Largest value of φ' over the real line. */
  maxGrad(act) { return this.M._gl_act_max_grad(indexOf(ACTIVATIONS, act, 'activation')); }

  /** The gradient through `depth` stacked activations: {bound, mean, median, zero}[depth]. */
  chainGrad({ act = 'sigmoid', dtype = 'float32', dist = 'normal', a = 0, b = 1, depth = 20, samples = 2000, seed = 0 }) {
    const ai = indexOf(ACTIVATIONS, act, 'activation');
    const dt = indexOf(DTYPES, dtype, 'dtype');
    const di = indexOf(DISTS, dist, 'distribution');
    checkInt('depth', depth, 1, LIMITS.chainMaxDepth);
    checkInt('samples', samples, 1, LIMITS.chainMaxSamples);
    const spec = { type: 'f64', n: depth };
    return this._with({ bound: spec, mean: spec, median: spec, zero: spec },
      (p) => this.M._gl_chain_grad(ai, dt, di, a, b, depth, samples, seed, p.bound, p.mean, p.median, p.zero));
  }

  // ---- special functions and random-matrix products ----------------------

  digamma(x) { return this.M._gl_digamma(x); }

  /** Theory of growth per multiplication: {typical, rms, critical_sigma}. */
  matprodTheory({ n = 4, sigma = 1, ensemble = 'gaussian' }) {
    const e = indexOf(ENSEMBLES, ensemble, 'ensemble');
    checkInt('n', n, 1, LIMITS.theoryMaxN);
    const o = this._with({ r: { type: 'f64', n: 3 } },
      (p) => this.M._gl_matprod_theory(n, sigma, e, p.r, p.r + 8, p.r + 16)).r;
    return { typical: o[0], rms: o[1], critical_sigma: o[2] };
  }

  /**
   * One trajectory M_k = M_{k−1}·W_k: {norms (steps+1), first, last (n×n row-major),
   * traj (block² per step), overflowStep (null if none)}.
   */
  matprod({ n = 4, steps = 100, sigma = 1, ensemble = 'gaussian', dtype = 'float32', seed = 0, block = 0 }) {
    const e = indexOf(ENSEMBLES, ensemble, 'ensemble');
    const dt = indexOf(DTYPES, dtype, 'dtype');
    checkInt('n', n, 1, LIMITS.matprodMaxN);
    checkInt('steps', steps, 0, LIMITS.matprodMaxSteps);
    checkInt('block', block, 0, n);
    const t = Core._t(dtype);
    const o = this._with(
      {
        norms: { type: 'f64', n: steps + 1 }, first: { type: t, n: n * n }, last: { type: t, n: n * n },
        traj: { type: t, n: block ? (steps + 1) * block * block : 0 }, ov: { type: 'i32', n: 1 },
      },
      (p) => this.M._gl_matprod(n, steps, sigma, e, dt, seed, block, p.norms, p.first, p.last, block ? p.traj : 0, p.ov),
    );
    return { norms: o.norms, first: o.first, last: o.last, traj: o.traj, overflowStep: o.ov[0] < 0 ? null : o.ov[0] };
  }

  /** Mean over trials of ln‖M_k‖ (float64, renormalised), plus `fan` trials' ln-norms. */
  matprodEnsemble({ n = 4, steps = 100, sigma = 1, ensemble = 'gaussian', trials = 50, seed = 0, fan = 0 }) {
    const e = indexOf(ENSEMBLES, ensemble, 'ensemble');
    checkInt('n', n, 1, LIMITS.matprodMaxN);
    checkInt('steps', steps, 0, LIMITS.matprodMaxSteps);
    checkInt('trials', trials, 1, LIMITS.ensembleMaxTrials);
    checkInt('fan', fan, 0, trials);
    const o = this._with(
      { mean: { type: 'f64', n: steps + 1 }, fan: { type: 'f64', n: fan * (steps + 1) } },
      (p) => this.M._gl_matprod_ensemble(n, steps, sigma, e, trials, seed, p.mean, fan, fan ? p.fan : 0),
    );
    const lines = [];
    for (let i = 0; i < fan; i++) lines.push(o.fan.subarray(i * (steps + 1), (i + 1) * (steps + 1)));
    return { meanLog: o.mean, fan: lines };
  }

  // ---- initialization and deep-MLP statistics -----------------------------

  /** torch.nn.init.calculate_gain(act); throws CoreError for gelu, for which torch has no gain either. */
  calculateGain(act) {
    const g = this.M._gl_calculate_gain(indexOf(ACTIVATIONS, act, 'activation'));
    if (Number.isNaN(g)) throw new CoreError(1, this.lastError());
    return g;
  }
  defaultGain(init) { return this.M._gl_init_default_gain(indexOf(INITS, init, 'init')); }

  /** {std, bound} of a scheme for a (fanOut × fanIn) weight; bound null if not uniform. */
  initTheory({ init, fanIn, fanOut, gain = NaN, sigma = 1, value = 0 }) {
    const k = indexOf(INITS, init, 'init');
    checkInt('fan_in', fanIn, 1, LIMITS.maxFan);
    checkInt('fan_out', fanOut, 1, LIMITS.maxFan);
    const o = this._with({ r: { type: 'f64', n: 2 } },
      (p) => this.M._gl_init_theory(k, fanIn, fanOut, gain, sigma, value, p.r, p.r + 8)).r;
    return { std: o[0], bound: Number.isNaN(o[1]) ? null : o[1] };
  }

  /** One drawn (fanOut × fanIn) matrix: {weights, stats: {count, mean, var, min, max}}. */
  initSample({ init, fanIn, fanOut, gain = NaN, sigma = 1, value = 0, dtype = 'float32', seed = 0 }) {
    const k = indexOf(INITS, init, 'init');
    const dt = indexOf(DTYPES, dtype, 'dtype');
    checkInt('fan_in', fanIn, 1, LIMITS.maxFan);
    checkInt('fan_out', fanOut, 1, LIMITS.maxFan);
    const o = this._with({ w: { type: Core._t(dtype), n: fanIn * fanOut }, s: { type: 'f64', n: 5 } },
      (p) => this.M._gl_init_sample(k, fanIn, fanOut, gain, sigma, value, dt, seed, p.w, p.s));
    const s = o.s;
    return { weights: o.w, stats: { count: s[0], mean: s[1], var: s[2], min: s[3], max: s[4] } };
  }

  /**
   * The configuration array of gl_mlp_stats (enum gl_mlp_cfg, names in
   * MLP_CFG) as one Float64Array; integers are checked here as everywhere.
   */
  static _mlpCfg({ init, gain, sigma, value, act, depth, width, batch, dtype, seed, bins, histTail = 0 }) {
    checkInt('depth', depth, 1, LIMITS.mlpMaxDepth);
    checkInt('width', width, 1, LIMITS.mlpMaxWidth);
    checkInt('batch', batch, 1, LIMITS.mlpMaxBatch);
    checkInt('bins', bins, 0, LIMITS.maxBins);
    const entries = {
      init: indexOf(INITS, init, 'init'), gain, sigma, value, act: indexOf(ACTIVATIONS, act, 'activation'),
      depth, width, batch, dtype: indexOf(DTYPES, dtype, 'dtype'), seed, bins, hist_tail: histTail,
    };
    return Float64Array.from(MLP_CFG, (name) => entries[name]);
  }

  /**
   * Every byte gl_mlp_stats needs for this shape: its own allocations and
   * the stats and histogram buffers (bins per layer, 0 for none; histTail as mlpStats).
   */
  mlpBytes({ depth, width, batch, dtype = 'float32', bins = 0, histTail = 0 }) {
    // init, act and the rest do not change the figure (gl_mlp_bytes reads the shape only)
    const cfg = Core._mlpCfg({ init: INITS[0], gain: NaN, sigma: 1, value: 0, act: ACTIVATIONS[0], depth, width, batch, dtype, seed: 0, bins, histTail });
    let bytes = NaN;
    this._with({ cfg: { type: 'f64', n: cfg.length, data: cfg } }, (p) => {
      bytes = this.M._gl_mlp_bytes(p.cfg);
      return Number.isNaN(bytes) ? 1 : 0; // NaN: gl_last_error says which entry
    });
    return bytes;
  }

  /**
   * The phase timers of mlpStats (a benchmark's breakdown): enable true starts
   * accumulating, false stops.  Returns what was accumulated since the last
   * call, in ms by phase ({matmul, draws, act, stats, total}, PROFILE_PHASES),
   * and starts again from 0.
   */
  profile(enable) {
    const o = this._with({ out: { type: 'f64', n: PROFILE_PHASES.length } },
      (p) => this.M._gl_profile(enable ? 1 : 0, p.out));
    return Object.fromEntries(PROFILE_PHASES.map((name, i) => [name, o.out[i]]));
  }

  /**
   * Forward/backward statistics of a deep MLP: {layers: [{layer, z_mean, …}]
   * (one per layer, MLP_STATS keys), hists}.  With bins > 0, hists holds one
   * {layer, a: {counts, lo, hi, n}, gz: {counts, lo, hi, n}} per layer
   * (counts: Float64Array views of one copy; n = batch·width entries), so a
   * view can move between layers without running the network again; else
   * hists is null.  The ranges are the data's min and max, or with histTail
   * > 0 its histTail and 1 − histTail quantiles, and then the n − Σ counts
   * entries outside are left out (src/gradlab.h, GL_MLP_CFG_HIST_TAIL).
   */
  mlpStats({ init, gain = NaN, sigma = 1, value = 0, act, depth, width, batch, dtype = 'float32', seed = 0, bins = 0, histTail = 0 }) {
    const cfg = Core._mlpCfg({ init, gain, sigma, value, act, depth, width, batch, dtype, seed, bins, histTail });
    const ns = MLP_STATS.length;
    const o = this._with(
      {
        cfg: { type: 'f64', n: cfg.length, data: cfg },
        stats: { type: 'f64', n: depth * ns },
        hist: { type: 'f64', n: depth * 2 * bins },
        // zeros (lo ≥ hi): every layer's ranges from its data; malloc does not clear
        range: { type: 'f64', n: bins ? depth * 4 : 0, data: new Float64Array(bins ? depth * 4 : 0) },
      },
      (p) => this.M._gl_mlp_stats(p.cfg, p.stats, bins ? p.hist : 0, bins ? p.range : 0),
    );
    const layers = [];
    for (let l = 0; l < depth; l++) {
      const row = { layer: l + 1 };
      MLP_STATS.forEach((name, j) => { row[name] = o.stats[l * ns + j]; });
      layers.push(row);
    }
    let hists = null;
    if (bins) {
      hists = layers.map(({ layer }, l) => {
        const at = l * 2 * bins;
        return {
          layer,
          a: { counts: o.hist.subarray(at, at + bins), lo: o.range[4 * l], hi: o.range[4 * l + 1], n: batch * width },
          gz: { counts: o.hist.subarray(at + bins, at + 2 * bins), lo: o.range[4 * l + 2], hi: o.range[4 * l + 3], n: batch * width },
        };
      });
    }
    return { layers, hists };
  }

  /** Mean-field theory: per-layer Var(z_l) and Var(∂z_l). */
  meanfield({ act, sw2, qx = 1, gVar = 1, depth }) {
    const a = indexOf(ACTIVATIONS, act, 'activation');
    checkInt('depth', depth, 1, LIMITS.meanfieldMaxDepth);
    const spec = { type: 'f64', n: depth };
    const o = this._with({ z: spec, g: spec }, (p) => this.M._gl_meanfield(a, sw2, qx, gVar, depth, p.z, p.g));
    return { zVar: o.z, gradZVar: o.g };
  }

  // ---- the Xavier derivation, checked by Monte-Carlo -------------------------

  /**
   * gl_xavier_check: o = Σ_j w_ij x_j over `samples` trials (and the
   * backward ∂L/∂x_j = Σ_i w_ij δ_i), measured beside the derivation's
   * formulas.  sigma NaN means Xavier's √(2/(nIn + nOut)); wDist one of
   * XAVIER_WEIGHT_DISTS, xDist one of XD_DISTS.  Returns {stats: {XAVIER_STATS
   * name: value}, hist: {counts, lo, hi} of o (bins > 0) or null}.
   */
  xavierCheck({
    nIn, nOut, sigma = NaN, wDist = 'normal', xDist = 'normal', mu = 0, gamma = 1, rhoW = 0, rhoX = 0, delta = 1,
    samples = 10000, dtype = 'float32', seed = 0, bins = 0,
  }) {
    checkInt('n_in', nIn, 1, LIMITS.maxFan);
    checkInt('n_out', nOut, 1, LIMITS.maxFan);
    checkInt('samples', samples, 2, LIMITS.xavierMaxSamples);
    checkInt('bins', bins, 0, LIMITS.maxBins);
    const entries = {
      n_in: nIn, n_out: nOut, sigma, w_dist: indexOf(XD_DISTS, wDist, 'weight distribution'),
      x_dist: indexOf(XD_DISTS, xDist, 'input distribution'), mu, gamma, rho_w: rhoW, rho_x: rhoX, delta, samples,
      dtype: indexOf(DTYPES, dtype, 'dtype'), seed,
    };
    const cfg = Float64Array.from(XAVIER_CFG, (name) => entries[name]);
    const o = this._with(
      {
        cfg: { type: 'f64', n: cfg.length, data: cfg }, stats: { type: 'f64', n: XAVIER_STATS.length },
        hist: { type: 'f64', n: bins }, range: { type: 'f64', n: bins ? 2 : 0 },
      },
      (p) => this.M._gl_xavier_check(p.cfg, p.stats, bins, bins ? p.hist : 0, bins ? p.range : 0),
    );
    const stats = Object.fromEntries(XAVIER_STATS.map((name, i) => [name, o.stats[i]]));
    return { stats, hist: bins ? { counts: o.hist, lo: o.range[0], hi: o.range[1] } : null };
  }

  // ---- training (the Remedies lesson) --------------------------------------

  /**
   * The configuration array of gl_train_* (enum gl_train_cfg, names in
   * TRAIN_CFG) from a config object: {depth, width, act, init, gain, sigma,
   * value, residual, norm, clip, clipAt, optimizer, lr, dtype, seed, points,
   * turns, noise, dataSeed}.  depth, width, act, init, lr, points and turns are
   * required; the rest default to "off" (no residual, norm or clipping, SGD,
   * float32, seeds 0, no noise) and the init parameters to the scheme's own.
   */
  static _trainCfg(c) {
    for (const k of ['depth', 'width', 'act', 'init', 'lr', 'points', 'turns']) {
      if (c[k] === undefined) throw new CoreError(1, `the trainer config needs '${k}'`);
    }
    checkInt('depth', c.depth, 1, LIMITS.trainMaxDepth);
    checkInt('width', c.width, LIMITS.trainMinWidth, LIMITS.trainMaxWidth);
    checkInt('points', c.points, 1, LIMITS.trainMaxPoints);
    const entries = {
      depth: c.depth, width: c.width, act: indexOf(ACTIVATIONS, c.act, 'activation'), init: indexOf(INITS, c.init, 'init'),
      gain: c.gain ?? NaN, sigma: c.sigma ?? 1, value: c.value ?? 0, residual: c.residual ? 1 : 0,
      norm: indexOf(NORMS, c.norm ?? 'none', 'norm'), clip: indexOf(CLIPS, c.clip ?? 'none', 'clip'),
      clip_at: c.clipAt ?? NaN, optimizer: indexOf(OPTIMIZERS, c.optimizer ?? 'sgd', 'optimizer'), lr: c.lr,
      dtype: indexOf(DTYPES, c.dtype ?? 'float32', 'dtype'), seed: c.seed ?? 0, points: c.points, turns: c.turns,
      noise: c.noise ?? 0, data_seed: c.dataSeed ?? 0,
    };
    return Float64Array.from(TRAIN_CFG, (name) => entries[name]);
  }

  /** Bytes of the training state for a config (gl_train_bytes); throws for an invalid one. */
  trainBytes(cfg) {
    const arr = Core._trainCfg(cfg);
    let bytes = NaN;
    this._with({ cfg: { type: 'f64', n: arr.length, data: arr } }, (p) => {
      bytes = this.M._gl_train_bytes(p.cfg);
      return Number.isNaN(bytes) ? 2 : 0; // NaN: gl_last_error says why (a range or a cap)
    });
    return bytes;
  }

  /**
   * A Trainer (below) on a state malloc'd here — one allocation holding the
   * state and the step report, under the same cap as _with — filled by
   * gl_train_init.  The caller must call trainer.free().
   */
  createTrainer(cfg) {
    const arr = Core._trainCfg(cfg);
    const bytes = this.trainBytes(cfg);
    const linears = cfg.depth + 2;
    const reportDoubles = TRAIN_STATS.length + 2 * linears;
    const total = bytes + 8 * reportDoubles;
    this._checkCap(total, 'the training state and its report');
    const M = this.M;
    const ptr = M._malloc(total);
    if (!ptr) throw new CoreError(3, `out of memory allocating ${total} bytes for a training state`);
    this.allocs++;
    try {
      this._with({ cfg: { type: 'f64', n: arr.length, data: arr } }, (p) => M._gl_train_init(p.cfg, ptr, bytes));
      return new Trainer(this, { ...cfg, dtype: cfg.dtype ?? 'float32' }, ptr, bytes, linears);
    } catch (e) {
      M._free(ptr);
      this.frees++;
      throw e;
    }
  }
}

/**
 * Every integer that crosses into C is checked here too: wasm would silently
 * truncate 4.5 to 4 or wrap 2³²+5 to 5, and the sizes decide JS allocations.
 */
function checkInt(what, v, lo, hi) {
  if (!Number.isInteger(v)) throw new CoreError(1, `${what} must be an integer, got ${v}`);
  // The core's convention: below the minimum is invalid, above the maximum out of range.
  if (v < lo) throw new CoreError(1, `${what} must be at least ${lo}, got ${v}`);
  if (v > hi) throw new CoreError(2, `${what} must be at most ${hi}, got ${v}`);
}

/**
 * One training run on a state in the wasm heap (Core.createTrainer).  Every
 * method copies its results out; free() releases the state (then every
 * method throws).  Tensors are named as the model's PyTorch state_dict.
 */
export class Trainer {
  constructor(core, cfg, ptr, bytes, linears) {
    this.core = core;
    this.cfg = cfg;
    this.ptr = ptr;
    this.bytes = bytes;
    this.linears = linears; // depth + 2: stem, hidden blocks, head
    this.report = ptr + bytes; // GL_TRAIN_NSTAT stats, then grad norms, then relative updates
    this.t = Core._t(cfg.dtype);
    const M = core.M;
    const n = M._gl_train_tensor_count(ptr);
    /** [{name, shape: [rows] or [rows, cols], count}] in state_dict order. */
    this.tensors = Array.from({ length: n }, (_, t) => {
      const o = core._with({ name: { type: 'i32', n: 16 }, shape: { type: 'i32', n: 2 } }, (p) => {
        const st = M._gl_train_tensor_info(ptr, t, p.name, 64, p.shape);
        if (st === 0) this._name = M.UTF8ToString(p.name);
        return st;
      });
      const shape = o.shape[1] ? [o.shape[0], o.shape[1]] : [o.shape[0]];
      return { name: this._name, shape, count: shape.reduce((a, b) => a * b, 1) };
    });
    delete this._name;
    this.rows = 2 * cfg.points;
  }

  _live() {
    if (!this.ptr) throw new CoreError(1, 'this trainer was freed');
    return this.core.M;
  }

  /**
   * One step: {loss, accuracy, totalNorm, clipped, gradNorms, relUpdates}
   * (the last two: one entry per Linear, stem to head).  Non-finite values
   * are reported as they are.
   */
  step() {
    const M = this._live();
    const ns = TRAIN_STATS.length, L = this.linears, r = this.report;
    const st = M._gl_train_step(this.ptr, r, r + 8 * ns, r + 8 * (ns + L));
    if (st !== 0) throw new CoreError(st, this.core.lastError());
    const at = r / 8, h = M.HEAPF64;
    const stats = Object.fromEntries(TRAIN_STATS.map((name, i) => [name, h[at + i]]));
    return {
      loss: stats.loss, accuracy: stats.accuracy, totalNorm: stats.total_norm, clipped: stats.clipped === 1,
      gradNorms: h.slice(at + ns, at + ns + L), relUpdates: h.slice(at + ns + L, at + ns + 2 * L),
    };
  }

  /** {loss, accuracy} of a training-mode forward pass at the current parameters. */
  evaluate() {
    const M = this._live();
    const st = M._gl_train_evaluate(this.ptr, this.report);
    if (st !== 0) throw new CoreError(st, this.core.lastError());
    return { loss: M.HEAPF64[this.report / 8], accuracy: M.HEAPF64[this.report / 8 + 1] };
  }

  /** Class-1 probabilities (eval mode) for points = Float64Array [x0, x1, x0, x1, …]. */
  predict(points) {
    this._live();
    if (!(points instanceof Float64Array) || points.length % 2 || !points.length) {
      throw new CoreError(1, 'predict needs a non-empty Float64Array of (x0, x1) pairs');
    }
    const m = points.length / 2;
    return this.core._with({ pts: { type: 'f64', n: points.length, data: points }, prob: { type: 'f64', n: m } },
      (p) => this.core.M._gl_train_predict(this.ptr, m, p.pts, p.prob)).prob;
  }

  /** Every tensor as {state_dict name: Float32Array | Float64Array} (a copy). */
  params() {
    this._live();
    const out = {};
    this.tensors.forEach(({ name, count }, t) => {
      out[name] = this.core._with({ v: { type: this.t, n: count } }, (p) => this.core.M._gl_train_get(this.ptr, t, p.v)).v;
    });
    return out;
  }

  /**
   * Replaces every tensor from {name: array-like} (params()'s shape; PyTorch's
   * num_batches_tracked is accepted and ignored).  All names are checked
   * before anything is written.
   */
  setParams(obj) {
    this._live();
    const known = new Set(this.tensors.map((x) => x.name));
    for (const name of Object.keys(obj)) {
      if (!known.has(name) && !/^norms\.\d+\.num_batches_tracked$/.test(name)) {
        throw new CoreError(1, `unknown tensor '${name}' for this model`);
      }
    }
    for (const { name, count } of this.tensors) {
      if (!obj[name]) throw new CoreError(1, `missing tensor '${name}'`);
      if (obj[name].length !== count) throw new CoreError(1, `tensor '${name}' needs ${count} values, got ${obj[name].length}`);
    }
    this.tensors.forEach(({ name, count }, t) => {
      this.core._with({ v: { type: this.t, n: count, data: obj[name] } }, (p) => this.core.M._gl_train_set(this.ptr, t, p.v));
    });
  }

  /** The data: {X: (2·points × 2) row-major in the dtype, y: Int32Array of classes}. */
  data() {
    this._live();
    const o = this.core._with({ X: { type: this.t, n: 2 * this.rows }, y: { type: 'i32', n: this.rows } },
      (p) => this.core.M._gl_train_data(this.ptr, p.X, p.y));
    return { X: o.X, y: o.y };
  }

  /** Replaces the data ({X, y} as data() gives them; every y 0 or 1). */
  setData({ X, y }) {
    this._live();
    if (X?.length !== 2 * this.rows || y?.length !== this.rows) {
      throw new CoreError(1, `the data must hold ${this.rows} points (X ${2 * this.rows} values, y ${this.rows})`);
    }
    this.core._with({ X: { type: this.t, n: X.length, data: X }, y: { type: 'i32', n: y.length, data: y } },
      (p) => this.core.M._gl_train_set_data(this.ptr, p.X, p.y));
  }

  /** Per hidden layer h_0..h_depth, max over points of (max − min over units); 0 = units identical. */
  unitSpread() {
    this._live();
    return this.core._with({ s: { type: 'f64', n: this.linears - 1 } }, (p) => this.core.M._gl_train_unit_spread(this.ptr, p.s)).s;
  }

  /**
   * The loss of a training-mode forward pass at the current parameters and
   * every parameter's gradient of it, before clipping (running statistics
   * untouched): {loss, grads: {state_dict name: Float32Array | Float64Array}}.
   */
  gradients() {
    const M = this._live();
    const st = M._gl_train_gradients(this.ptr, this.report);
    if (st !== 0) throw new CoreError(st, this.core.lastError());
    const loss = M.HEAPF64[this.report / 8];
    const grads = {};
    this.tensors.forEach(({ name, count }, t) => {
      if (/running_/.test(name)) return;
      grads[name] = this.core._with({ v: { type: this.t, n: count } }, (p) => M._gl_train_get_grad(this.ptr, t, p.v)).v;
    });
    return { loss, grads };
  }

  /** The optimizer's moments as torch names them, per parameter tensor. */
  _moments() {
    return { sgd: [], momentum: ['momentum_buffer'], adam: ['exp_avg', 'exp_avg_sq'] }[this.cfg.optimizer ?? 'sgd'];
  }

  /**
   * The optimizer's state as torch keeps it: {step, state: {name:
   * {momentum_buffer} | {exp_avg, exp_avg_sq}}} (state empty for SGD; step is
   * the number of steps taken).
   */
  optimizerState() {
    const M = this._live();
    const step = this.core._with({ k: { type: 'f64', n: 1 } }, (p) => M._gl_train_get_steps(this.ptr, p.k)).k[0];
    const state = {};
    const moments = this._moments();
    if (moments.length) {
      this.tensors.forEach(({ name, count }, t) => {
        if (/running_/.test(name)) return;
        state[name] = Object.fromEntries(moments.map((m, which) => [m,
          this.core._with({ v: { type: this.t, n: count } }, (p) => M._gl_train_get_moment(this.ptr, t, which, p.v)).v]));
      });
    }
    return { step, state };
  }

  /**
   * Restores optimizerState()'s shape: the step count, and for momentum/Adam
   * every parameter's moments (all of them, or none when step is 0: torch
   * keeps no state before the first step).
   */
  setOptimizerState({ step, state = {} }) {
    const M = this._live();
    const moments = this._moments();
    const params = this.tensors.map((x, t) => ({ ...x, t })).filter(({ name }) => !/running_/.test(name));
    const given = Object.keys(state);
    for (const name of given) {
      if (!params.some((x) => x.name === name)) throw new CoreError(1, `unknown parameter '${name}' in the optimizer state`);
    }
    if (given.length && !moments.length) throw new CoreError(1, 'plain SGD keeps no optimizer state');
    if (given.length || step > 0) {
      for (const { name, count } of params) {
        for (const m of moments) {
          if (state[name]?.[m]?.length !== count) throw new CoreError(1, `optimizer state: '${name}' needs ${m} of ${count} values`);
        }
      }
    }
    const st = M._gl_train_set_steps(this.ptr, step);
    if (st !== 0) throw new CoreError(st, this.core.lastError());
    if (!given.length) return;
    for (const { name, count, t } of params) {
      moments.forEach((m, which) => {
        this.core._with({ v: { type: this.t, n: count, data: state[name][m] } }, (p) => M._gl_train_set_moment(this.ptr, t, which, p.v));
      });
    }
  }

  /** Releases the state; idempotent. */
  free() {
    if (!this.ptr) return;
    this.core.M._free(this.ptr);
    this.core.frees++;
    this.ptr = 0;
  }
}
