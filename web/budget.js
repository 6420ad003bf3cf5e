// budget.js — the work a request asks for, from its arguments, before it runs:
// one cost model per computation and one budget, shared by the CLI (every
// command, lib/commands.js) and the page (every lesson's jobs, through each
// job's flops(input) and the lesson's `budget`).  Plain functions, no core, no DOM.
//
// The unit is a flop of the packed float32 matmul, the core's fastest kernel
// (wasm, one core of the 2-core machine the budget was measured on, Node 20:
// 10–17 GF/s, so NOMINAL_RATE = 8 GF/s is what a busy core still does).  The
// other kernels are counted in that unit, each weighted by how much slower it
// runs (bench/budget.js measures them):
//   float64 matmul, 2 SIMD lanes instead of 4      ~3.5× slower   F64_FLOP = 3
//   Householder QR (orthogonal.c: unblocked, column by column: ~2 GF/s while
//   the m×k matrix fits in 8 MiB, ~1 GF/s from memory beyond)    QR_FLOP = 5, QR_BIG_FLOP = 8
//   one random draw (ziggurat normal, uniform; ~11–16 ns)               DRAW = 120
//   one elementwise pass over one entry (φ, φ', stats, histogram)        ELEM = 8
//   a histogram's quantile range, per entry (a copy, two quickselects and a
//   scan: ~3× gl_stats's two passes in wasm)                    SELECT = 6·ELEM
//   fixed cost of one small matrix step (matprod at n = 2: ~300 ns)      STEP = 2500
// A request costing at most WORK_BUDGET runs in about WORK_BUDGET /
// NOMINAL_RATE ≈ 19 s on a busy core, ~10 s on an idle one (bench/budget.js
// times the largest accepted request of each kind); the Remedies lesson's
// deepest preset (4 lanes, depth 50) needs 94% of it.  Past it the CLI
// refuses (exit 2) unless --allow-slow, and the page lowers a control before
// any job starts.
import { LIMITS } from './core.js';

/** Most work one command or one change of a lesson may ask for (flops of the float32 matmul). */
export const WORK_BUDGET = 1.5e11;
/** Flops a second the budget assumes (one busy core, wasm). */
export const NOMINAL_RATE = 8e9;

const F64_FLOP = 3;
const QR_FLOP = 5;
const QR_BIG_FLOP = 8;
const QR_CACHED = 2 ** 20; // doubles of A (8 MiB) below which the QR runs at QR_FLOP
const DRAW = 120;
const ELEM = 8;
const SELECT = 6 * ELEM;
const STEP = 2500;

/** A matmul flop in dtype, in the budget's unit. */
const flop = (dtype) => (dtype === 'float64' ? F64_FLOP : 1);

/**
 * Flops of gl_random_orthogonal for a rows × cols draw: Householder QR of the
 * m × k Gaussian (m = max, k = min), 2mk² − ⅔k³, and forming the thin Q
 * from its reflectors, as much again; plus the m·k draws.
 */
export function orthogonalFlops(rows, cols) {
  const m = Math.max(rows, cols), k = Math.min(rows, cols);
  return (m * k <= QR_CACHED ? QR_FLOP : QR_BIG_FLOP) * (4 * m * k * k - (4 / 3) * k ** 3) + DRAW * m * k;
}

/** One (fan_out × fan_in) weight drawn by `init` (gl_init_fill). */
export function initFlops(init, fanIn, fanOut) {
  if (init === 'orthogonal') return orthogonalFlops(fanOut, fanIn);
  return (init === 'constant' ? ELEM : DRAW) * fanIn * fanOut;
}

/** `gradlab init-sample` and the Init lesson's Xavier sample: one weight and its statistics. */
export function initSampleFlops({ init, fanIn, fanOut }) {
  return initFlops(init, fanIn, fanOut) + ELEM * fanIn * fanOut;
}

/**
 * gl_matprod (one trajectory in dtype, trials = 0 for none) and
 * gl_matprod_ensemble (`trials` trajectories in float64) for n × n factors:
 * per step and trajectory a factor drawn (σ·Z, or σ·Q by QR), one product
 * 2n³, the norm and the small step's fixed cost.
 */
export function matprodFlops({ n, steps, ensemble, dtype = 'float32', trajectories = 1, trials = 0 }) {
  const draw = ensemble === 'orthogonal' ? orthogonalFlops(n, n) : DRAW * n * n;
  const perStep = (mm) => draw + 2 * n ** 3 * mm + ELEM * n * n + STEP;
  return (steps + 1) * (trajectories * perStep(flop(dtype)) + trials * perStep(F64_FLOP));
}

/**
 * gl_mlp_stats: per layer the weight's init (twice when the weights are past
 * LIMITS.mlpWeightCacheBytes and drawn again for the backward pass), the
 * forward product 2·batch·width² and the backward two, the elementwise
 * passes (φ, φ', statistics of z, a, ∂a, ∂z and ∂W, histograms), and with a
 * histTail > 0 the quantile ranges of the two histograms.
 */
export function mlpFlops({ init, depth, width, batch, dtype = 'float32', histTail = 0 }) {
  const es = dtype === 'float64' ? 8 : 4;
  const draws = depth * width * width * es <= LIMITS.mlpWeightCacheBytes ? 1 : 2;
  const perLayer = draws * initFlops(init, width, width) + 6 * batch * width * width * flop(dtype) +
    ELEM * (8 * batch * width + width * width) + (histTail > 0 ? 2 * SELECT * batch * width : 0);
  return depth * perLayer;
}

/**
 * `gradlab train` and one lane of the Remedies lesson, per lane: each step a
 * forward and backward pass over the 2·points batch, 12·points·width² a
 * hidden block (stem and head are 2 × width), the optimizer's update, the
 * elementwise passes, and the step's fixed cost (~50 µs at the smallest shape).
 */
export function trainFlops({ depth, width, points, steps, dtype = 'float32', lanes = 1 }) {
  const perStep = 12 * points * (depth * width * width + 4 * width) * flop(dtype) +
    ELEM * (20 * points * width * (depth + 2) + 10 * (depth * width * width + 6 * width)) + 100 * STEP;
  return lanes * steps * perStep;
}

/** gl_chain_grad: `samples` draws and `depth` forward and backward passes over them. */
export function chainFlops({ depth, samples }) {
  return samples * (DRAW + 4 * ELEM * depth + 2 * ELEM);
}

/** gl_activation_curve and `gradlab activation`: a forward and backward pass over the points. */
export function curveFlops({ points }) {
  return 4 * ELEM * points;
}

/**
 * gl_xavier_check: per trial n_in + n_out draws for the weights, n_in for x,
 * n_out upstream; none past LIMITS.xavierMaxDraws (samples·(n_in + n_out)),
 * which the core refuses before drawing.
 */
export function xavierFlops({ nIn, nOut, samples }) {
  const draws = samples * (nIn + nOut);
  return draws > LIMITS.xavierMaxDraws ? 0 : 2 * draws * (DRAW + 2 * ELEM);
}

/** Seconds a cost takes at NOMINAL_RATE, rounded for a message. */
export const seconds = (flops) => Number((flops / NOMINAL_RATE).toPrecision(2));

/**
 * The largest integer v in [lo, hi] with cost(v) ≤ budget, cost rising with v
 * (bisection: the cost models are monotone in every size); null if even lo
 * costs too much.
 */
export function largestWithin(cost, lo, hi, budget = WORK_BUDGET) {
  if (!(cost(lo) <= budget)) return null;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (cost(mid) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The nearest accepted setting of a request over the budget: among `knobs`
 * ([{key, min}], sizes the cost rises with), the one that needs the smallest
 * relative cut, set to the largest value within the budget with the others
 * kept.  cost(settings) prices a settings object.  Returns {key, value} or
 * null when no single knob brings the cost within the budget.
 */
export function nearestWithin(cost, settings, knobs, budget = WORK_BUDGET) {
  let best = null;
  for (const { key, min = 1 } of knobs) {
    const now = settings[key];
    if (!(now > min)) continue;
    const v = largestWithin((x) => cost({ ...settings, [key]: x }), min, now - 1, budget);
    if (v !== null && (best === null || v / now > best.value / settings[best.key])) best = { key, value: v };
  }
  return best;
}
