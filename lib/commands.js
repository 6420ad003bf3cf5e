// commands.js — the CLI's commands: flags (type, default, limits) and how each
// turns the core's answer into JSON and a table.  Parsing lives in cli.js.
import { readFileSync, writeFileSync } from 'node:fs';
import { ACTIVATIONS, CLIPS, CoreError, DTYPES, ENSEMBLES, INITS, LIMITS, NORMS, OPTIMIZERS } from '../web/core.js';
import { fmtNum, shortestFloat32, toJSON } from '../web/format.js';
import { torchFormatter, torchTensor } from '../web/torchprint.js';
import { coreInitArgs, initNetwork, initParams, trainConfig, trainLane, usedParams } from '../web/science.js';
import { WORK_BUDGET, curveFlops, initSampleFlops, matprodFlops, mlpFlops, trainFlops } from '../web/budget.js';
import { DEFAULTS as TRAIN_DEFAULTS, LANE_DEFAULTS, PRESET_NAMES, globalsOf, lanesOf } from '../web/lessons/train/presets.js';
// cli.js imports this file too; UsageError is only read inside run(), after
// both modules have finished evaluating, so the cycle is harmless.
import { UsageError, shown } from './cli.js';

const dtypeFlag = { type: 'enum', values: DTYPES, default: 'float32', help: 'element type (PyTorch default float32)' };

/** A fixed-width text table of rows (arrays of numbers/strings). */
export function table(header, rows) {
  const cells = [header, ...rows.map((r) => r.map((v) => (typeof v === 'number' ? fmt(v) : String(v))))];
  const widths = header.map((_, j) => Math.max(...cells.map((r) => r[j].length)));
  return cells.map((r) => r.map((c, j) => c.padStart(widths[j])).join('  ')).join('\n') + '\n';
}
/** A table cell: 7 significant digits (web/format.js). */
const fmt = (v) => fmtNum(v, 7);

/** Rows of an n×n row-major matrix, as decimals. */
function rows(arr, n, dtype) {
  const d = decimals(arr, dtype);
  return Array.from({ length: n }, (_, i) => d.slice(i * n, (i + 1) * n));
}

/** Converts a float32 array to the shortest decimals that round-trip. */
function decimals(arr, dtype) {
  return dtype === 'float32' ? Array.from(arr, shortestFloat32) : Array.from(arr);
}

// ---- init schemes: which parameters each one reads (web/science.js) ----------

const initFlags = {
  init: { type: 'enum', values: INITS, required: true, help: 'weight init scheme (torch.nn.init semantics)' },
  gain: { type: 'number', min: 0, exclusiveMin: true, help: 'gain (xavier_*, kaiming_*, orthogonal only; default: the scheme\'s, √2 for kaiming_*, else 1)' },
  sigma: { type: 'number', min: 0, help: 'std of normal/uniform (only those; default 1)' },
  value: { type: 'number', help: 'every weight of constant (only that; default 0)' },
};

/**
 * A flag given to a scheme that ignores it is a usage error (it would
 * otherwise be dropped silently): science.js's initParams says which are used.
 */
function checkInitFlags(o) {
  const used = initParams(o.init);
  for (const k of ['gain', 'sigma', 'value']) {
    if (o[k] !== undefined && used[k] === null) throw new UsageError(`--${k} has no effect with --init ${o.init}`);
  }
}
const given = (o) => ({ gain: o.gain, sigma: o.sigma, value: o.value });

const DEFAULT_BINS = 50;

// ---- train: a race of lanes on the spiral -------------------------------------

const LANE_FLAGS = ['act', 'init', 'gain', 'sigma', 'value', 'residual', 'norm', 'clip', 'clip-at'];

/** The single lane described by the lane flags (LANE_DEFAULTS for the rest). */
function laneFromFlags(o) {
  const l = { ...LANE_DEFAULTS };
  for (const k of ['act', 'init', 'gain', 'sigma', 'value', 'norm', 'clip']) if (o[k] !== undefined) l[k] = o[k];
  l.residual = !!o.residual;
  checkInitFlags({ ...o, init: l.init });
  if (l.clip !== 'none' && o['clip-at'] === undefined) throw new UsageError(`--clip ${l.clip} needs --clip-at`);
  if (l.clip === 'none' && o['clip-at'] !== undefined) throw new UsageError('--clip-at needs --clip value|norm');
  l.clipAt = o['clip-at'] ?? null;
  const remedies = [l.residual && 'residual', l.norm !== 'none' && `${l.norm} norm`, l.clip !== 'none' && `clip ${l.clip} ${l.clipAt}`];
  l.name = [`${l.act} + ${l.init}`, ...remedies.filter(Boolean)].join(' + ');
  return l;
}

/**
 * The race a `gradlab train` run asks for: its lanes (the preset's, or one
 * from the lane flags) and its globals (the preset's or DEFAULTS, overridden
 * by the global flags).
 */
function raceOf(o) {
  let lanes;
  if (o.preset !== undefined) {
    const clash = LANE_FLAGS.find((k) => o[k] !== undefined);
    if (clash) throw new UsageError(`--${clash} cannot be combined with --preset (the preset sets every lane)`);
    lanes = lanesOf(o.preset);
  } else {
    lanes = [laneFromFlags(o)];
  }
  const g = o.preset !== undefined ? globalsOf(o.preset) : { ...TRAIN_DEFAULTS };
  for (const [flag, key] of [['depth', 'depth'], ['width', 'width'], ['points', 'points'], ['turns', 'turns'],
    ['noise', 'noise'], ['lr', 'lr'], ['optimizer', 'optimizer'], ['steps', 'steps'], ['seed', 'seed'],
    ['data-seed', 'dataSeed'], ['dtype', 'dtype']]) {
    if (o[flag] !== undefined) g[key] = o[flag];
  }
  return { lanes, g };
}

/** A dtype tensor as nested arrays of its shape, float32 as shortest round-trip decimals. */
function nested(values, shape, dtype) {
  const d = decimals(values, dtype);
  if (shape.length === 1) return d;
  return Array.from({ length: shape[0] }, (_, i) => d.slice(i * shape[1], (i + 1) * shape[1]));
}

/** --dump-init's file: {X: [[x0, x1]…], y, params: {state_dict name: nested arrays}}. */
function dumpInit(tr, dtype) {
  const { X, y } = tr.data();
  const params = tr.params();
  return {
    X: nested(X, [y.length, 2], dtype), y: Array.from(y),
    params: Object.fromEntries(tr.tensors.map(({ name, shape }) => [name, nested(params[name], shape, dtype)])),
  };
}

/** --init-from: loads such a file into a fresh trainer (data and every tensor). */
function loadInit(tr, file) {
  let d;
  try {
    d = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    // e.message can hold the whole file name or a piece of the file: never echoed in full
    const why = e.code === 'ENOENT' ? 'no such file' : e.code ? `cannot read it (${e.code})` : 'not JSON';
    throw new UsageError(`--init-from ${shown(file)}: ${why}`);
  }
  if (!d || !Array.isArray(d.X) || !Array.isArray(d.y) || typeof d.params !== 'object' || d.params === null) {
    throw new UsageError(`--init-from ${shown(file)}: expected {X, y, params} as --dump-init writes`);
  }
  const flat = (v) => (Array.isArray(v) ? v.flat(Infinity).map(Number) : []);
  try {
    tr.setData({ X: flat(d.X), y: d.y.map(Number) });
    tr.setParams(Object.fromEntries(Object.entries(d.params).map(([k, v]) => [k, flat(v)])));
  } catch (e) {
    if (e instanceof CoreError) throw new UsageError(`--init-from ${shown(file)}: ${e.message}`);
    throw e;
  }
}

export const COMMANDS = {
  activation: {
    summary: 'an activation and its gradient over torch.arange(from, to, step)',
    flags: {
      fn: { type: 'enum', values: ACTIVATIONS, default: 'sigmoid', help: 'activation' },
      from: { type: 'number', default: -8, help: 'first point' },
      to: { type: 'number', default: 8, help: 'end (exclusive)' },
      step: { type: 'number', default: 0.1, help: 'spacing (non-zero)' },
      dtype: dtypeFlag,
    },
    /** At most LIMITS.maxPoints points (the core refuses more): never near the budget. */
    work: () => ({ settings: { points: LIMITS.maxPoints }, flops: curveFlops }),
    run(core, o) {
      const c = core.activationCurve({ act: o.fn, dtype: o.dtype, from: o.from, to: o.to, step: o.step });
      return { fn: o.fn, dtype: o.dtype, x: decimals(c.x, o.dtype), y: decimals(c.y, o.dtype), grad: decimals(c.grad, o.dtype) };
    },
    table(r) {
      return `# ${r.fn} (${r.dtype}), ${r.x.length} points; grad = d(sum y)/dx by the backward pass\n` +
        table(['x', 'y', 'grad'], r.x.map((x, i) => [x, r.y[i], r.grad[i]]));
    },
  },
  matprod: {
    summary: 'the product of random n×n matrices (d2l: 100 products of 4×4 N(0,1) ends near 1e25)',
    flags: {
      n: { type: 'int', min: 1, max: LIMITS.matprodMaxN, default: 4, help: 'matrix size' },
      steps: { type: 'int', min: 0, max: LIMITS.matprodMaxSteps, default: 100, help: 'multiplications K' },
      sigma: { type: 'number', min: 0, exclusiveMin: true, default: 1, help: 'std of the entries (or scale of Q)' },
      seed: { type: 'int', min: 0, max: LIMITS.maxSeed, default: 0, help: 'random seed' },
      dtype: dtypeFlag,
      ensemble: { type: 'enum', values: ENSEMBLES, default: 'gaussian', help: 'N(0, σ²) entries or σ·(Haar orthogonal)' },
      trials: { type: 'int', min: 1, max: LIMITS.ensembleMaxTrials, default: 1, help: 'independent trials for mean_log_norms' },
    },
    /** One trajectory in dtype, then `trials` in float64 for mean_log_norms. */
    work: (o) => ({ settings: o, flops: (s) => matprodFlops({ ...s, trajectories: 1 }), knobs: ['trials', 'steps', 'n'] }),
    run(core, o) {
      const args = { n: o.n, steps: o.steps, sigma: o.sigma, ensemble: o.ensemble, seed: o.seed };
      const one = core.matprod({ ...args, dtype: o.dtype });
      const ens = core.matprodEnsemble({ ...args, trials: o.trials });
      const th = core.matprodTheory(args);
      return {
        n: o.n, steps: o.steps, sigma: o.sigma, dtype: o.dtype, ensemble: o.ensemble, seed: o.seed, trials: o.trials,
        norms: Array.from(one.norms),
        matrix: rows(one.last, o.n, o.dtype),
        first_matrix: rows(one.first, o.n, o.dtype),
        mean_log_norms: Array.from(ens.meanLog),
        overflow_step: one.overflowStep,
        theory: { log_growth_per_step: th.typical, log_rms_growth_per_step: th.rms, critical_sigma: th.critical_sigma },
      };
    },
    table(r) {
      const every = Math.max(1, Math.ceil(r.steps / 20));
      const ks = r.norms.map((_, k) => k).filter((k) => k % every === 0 || k === r.steps);
      // As torch prints them: the shown norms as one vector (one notation for
      // the column), M_K as print(M) does.  The float32 entries are read back
      // from their shortest decimals to the exact float32 values torch rounds.
      const norm = torchFormatter(ks.map((k) => r.norms[k]));
      const exact = r.dtype === 'float32' ? Math.fround : Number;
      return `# product of ${r.steps} random ${r.n}x${r.n} matrices (${r.ensemble}, sigma ${r.sigma}, ${r.dtype}, seed ${r.seed})\n` +
        `# theory, ln norm per step: typical ${r.theory.log_growth_per_step.toFixed(6)} (in the long run), rms ${r.theory.log_rms_growth_per_step.toFixed(6)}; ` +
        `critical sigma ${r.theory.critical_sigma.toFixed(6)}\n` +
        `# overflow step: ${r.overflow_step === null ? 'none' : r.overflow_step}\n` +
        table(['k', 'norm', `mean ln norm (${r.trials} trials)`], ks.map((k) => [k, norm.format(r.norms[k]), r.mean_log_norms[k]])) +
        `# M_${r.steps}:\n` + torchTensor(r.matrix.flat().map(exact), [r.n, r.n], r.dtype) + '\n';
    },
  },
  'init-sample': {
    summary: 'one (fan_out × fan_in) weight drawn by an init scheme: theory (std, bound) vs sample statistics',
    notes: [
      'std and bound are the scheme\'s theoretical values (bound null unless the scheme is uniform); gain is the one',
      'used (null for schemes that ignore it).  Flags a scheme ignores (--gain, --sigma, --value) are rejected.',
    ],
    flags: {
      ...initFlags,
      'fan-in': { type: 'int', min: 1, max: LIMITS.maxFan, required: true, help: 'inputs of the layer (columns of nn.Linear.weight)' },
      'fan-out': { type: 'int', min: 1, max: LIMITS.maxFan, required: true, help: 'outputs of the layer (rows)' },
      seed: { type: 'int', min: 0, max: LIMITS.maxSeed, default: 0, help: 'random seed' },
      dtype: dtypeFlag,
    },
    work: (o) => ({
      settings: o, flops: (s) => initSampleFlops({ init: s.init, fanIn: s['fan-in'], fanOut: s['fan-out'] }),
      knobs: ['fan-in', 'fan-out'],
    }),
    run(core, o) {
      checkInitFlags(o);
      const p = usedParams(core, o.init, given(o));
      const args = { init: o.init, fanIn: o['fan-in'], fanOut: o['fan-out'], ...coreInitArgs(p) };
      // initTheory first: the core validates every parameter and the memory cap
      // there without allocating the fan_out × fan_in matrix.
      const th = core.initTheory(args);
      const { stats } = core.initSample({ ...args, dtype: o.dtype, seed: o.seed });
      return {
        init: o.init, fan_in: o['fan-in'], fan_out: o['fan-out'], gain: p.gain, std: th.std, bound: th.bound,
        sample: { count: stats.count, mean: stats.mean, var: stats.var, min: stats.min, max: stats.max },
      };
    },
    table(r) {
      const s = r.sample;
      return `# ${r.init}: a ${r.fan_out} x ${r.fan_in} weight (fan_out x fan_in), gain ${r.gain === null ? 'n/a' : fmtNum(r.gain)}\n` +
        table(['', 'theory', `sample (${s.count})`], [
          ['std', r.std, Math.sqrt(s.var)],
          ['var', r.std * r.std, s.var],
          ['mean', r.init === 'constant' ? 'value' : 0, s.mean],
          ['bound', r.bound === null ? '-' : r.bound, `[${fmt(s.min)}, ${fmt(s.max)}]`],
        ]);
    },
  },
  'init-stats': {
    summary: 'forward/backward statistics per layer of a deep MLP under an init, with mean-field theory',
    notes: [
      'Network: a_0 = X (batch x width, N(0,1)), z_l = a_(l-1)·W_lᵀ, a_l = act(z_l), no biases; upstream dL/da_L ~ N(0,1).',
      'theory: mean-field (infinite width) Var(z_l) and Var(dL/dz_l) for sw2 = width·std², input and upstream variance 1.',
      'With --init constant theory is null: every unit of a layer gets the same weights, so the units are identical',
      'rather than independent and mean-field theory (which needs i.i.d. zero-mean weights) does not apply.',
      'Flags a scheme ignores (--gain, --sigma, --value) are rejected; JSON reports them as null.',
    ],
    flags: {
      ...initFlags,
      act: { type: 'enum', values: ACTIVATIONS, default: 'tanh', help: 'activation after every layer' },
      depth: { type: 'int', min: 1, max: LIMITS.mlpMaxDepth, default: 10, help: 'layers L' },
      width: { type: 'int', min: 1, max: LIMITS.mlpMaxWidth, default: 128, help: 'units per layer (every W is width × width)' },
      batch: { type: 'int', min: 1, max: LIMITS.mlpMaxBatch, default: 64, help: 'rows of the N(0, 1) input batch' },
      seed: { type: 'int', min: 0, max: LIMITS.maxSeed, default: 0, help: 'random seed (input, weights, upstream gradient)' },
      dtype: dtypeFlag,
      'hist-layer': { type: 'int', min: 1, max: LIMITS.mlpMaxDepth, help: 'also histogram a_l and dL/dz_l at this layer (1..depth)' },
      bins: { type: 'int', min: 1, max: LIMITS.maxBins, help: `histogram bins (only with --hist-layer; default ${DEFAULT_BINS})` },
    },
    work: (o) => ({ settings: o, flops: mlpFlops, knobs: ['batch', 'depth', 'width'] }),
    run(core, o) {
      const histLayer = o['hist-layer'];
      if (histLayer !== undefined && histLayer > o.depth) {
        throw new UsageError(`--hist-layer must be 1..depth (${o.depth}), got ${histLayer}`);
      }
      if (o.bins !== undefined && histLayer === undefined) throw new UsageError('--bins needs --hist-layer');
      checkInitFlags(o);
      const bins = histLayer === undefined ? 0 : (o.bins ?? DEFAULT_BINS);
      // The core checks the shape and its memory cap before allocating
      // anything (a CoreError with status 2, reported as exit 2).  It makes
      // histograms at every layer; the CLI prints the one asked for.
      const net = initNetwork(core, {
        init: o.init, ...given(o), act: o.act, depth: o.depth, width: o.width, batch: o.batch,
        dtype: o.dtype, seed: o.seed, bins,
      });
      const p = net.params;
      const layers = net.stats.layers.map((l) => ({
        layer: l.layer, z_mean: l.z_mean, z_var: l.z_var, a_mean: l.a_mean, a_var: l.a_var,
        grad_a_var: l.grad_a_var, grad_z_var: l.grad_z_var, grad_w_var: l.grad_w_var,
      }));
      // null for a constant init: see science.js's hasMeanField
      const mf = net.theory;
      const theory = mf && Array.from(mf.zVar, (z, i) => ({ layer: i + 1, z_var: z, grad_z_var: mf.gradZVar[i] }));
      const result = {
        init: o.init, act: o.act, depth: o.depth, width: o.width, batch: o.batch, seed: o.seed, dtype: o.dtype,
        gain: p.gain, sigma: p.sigma, value: p.value, layers, theory,
      };
      if (bins) {
        const at = net.stats.hists[histLayer - 1];
        const h = (x) => ({ lo: x.lo, hi: x.hi, counts: Array.from(x.counts) });
        result.hist = { layer: histLayer, bins, a: h(at.a), grad_z: h(at.gz) };
      }
      return result;
    },
    table(r) {
      const params = [r.gain !== null && `gain ${fmtNum(r.gain)}`, r.sigma !== null && `sigma ${fmtNum(r.sigma)}`,
        r.value !== null && `value ${fmtNum(r.value)}`].filter(Boolean).join(', ');
      const every = r.depth <= 30 ? 1 : Math.ceil(r.depth / 20);
      const shown = r.layers.filter((l) => (l.layer - 1) % every === 0 || l.layer === r.depth);
      const g = fmtNum;
      const header = ['layer', 'z_mean', 'z_var', 'a_mean', 'a_var', 'grad_a_var', 'grad_z_var', 'grad_w_var'];
      if (r.theory) header.push('theory z_var', 'theory grad_z_var');
      const rowsOut = shown.map((l) => {
        const row = [l.layer, g(l.z_mean), g(l.z_var), g(l.a_mean), g(l.a_var), g(l.grad_a_var), g(l.grad_z_var), g(l.grad_w_var)];
        if (r.theory) row.push(g(r.theory[l.layer - 1].z_var), g(r.theory[l.layer - 1].grad_z_var));
        return row;
      });
      let out = `# ${r.depth} layers of ${r.width} units, ${r.act}, init ${r.init}${params ? ` (${params})` : ''}; ` +
        `batch ${r.batch}, ${r.dtype}, seed ${r.seed}\n` +
        (r.theory ? '# theory: mean-field (infinite width), input Var 1, upstream gradient Var 1\n'
          : '# theory: none (constant init: all units of a layer are identical, mean-field does not apply)\n') +
        (every > 1 ? `# one layer in ${every} shown (and the last); --json has all\n` : '') +
        table(header, rowsOut);
      if (r.hist) {
        for (const [name, h] of [['a', r.hist.a], ['dL/dz', r.hist.grad_z]]) {
          const w = (h.hi - h.lo) / r.hist.bins;
          const peak = Math.max(...h.counts, 1);
          const lines = table(['from', 'count'], h.counts.map((c, i) => [g(h.lo + i * w), c])).split('\n');
          out += `# histogram of ${name} at layer ${r.hist.layer}, ${r.hist.bins} bins over [${g(h.lo)}, ${g(h.hi)}]\n` +
            lines.slice(0, -1).map((line, i) => (i === 0 ? line : `${line}  ${'#'.repeat(Math.round((40 * h.counts[i - 1]) / peak))}`.trimEnd()))
              .join('\n') + '\n';
        }
      }
      return out;
    },
  },
  train: {
    summary: 'a same-seed race of deep classifiers on a 2-arm spiral: vanishing/exploding gradients and their remedies',
    notes: [
      `--preset ${PRESET_NAMES.join('|')} runs that race's lanes (web/lessons/train/presets.js); without it one lane from the lane flags`,
      '(--act --init --gain --sigma --value --residual --norm --clip --clip-at; default relu + kaiming_normal, no remedy).',
      'Global flags override the preset\'s.  loss/accuracy: steps+1 values (step k before its update, then after the last);',
      'a lane whose loss turns non-finite stops: nonfinite_step is that step, its later entries are null.',
      `Work budget: ${WORK_BUDGET.toExponential()} flops (web/budget.js), ~12·points·depth·width² a step and lane.  See docs/cli.md.`,
    ],
    flags: {
      preset: { type: 'enum', values: PRESET_NAMES, help: 'a race of lanes (lane flags are then refused)' },
      act: { type: 'enum', values: ACTIVATIONS, help: `one lane's activation (default ${LANE_DEFAULTS.act})` },
      init: { type: 'enum', values: INITS, help: `one lane's weight init (default ${LANE_DEFAULTS.init})` },
      gain: initFlags.gain,
      sigma: initFlags.sigma,
      value: initFlags.value,
      residual: { type: 'flag', help: 'one lane: residual blocks h ← h + φ(Norm(W h + b))' },
      norm: { type: 'enum', values: NORMS, help: 'one lane: normalization between Linear and φ (default none)' },
      clip: { type: 'enum', values: CLIPS, help: 'one lane: clip_grad_value_ or clip_grad_norm_ (default none)' },
      'clip-at': { type: 'number', min: 0, exclusiveMin: true, help: 'one lane: the clipping threshold (needed with --clip)' },
      depth: { type: 'int', min: 1, max: LIMITS.trainMaxDepth, help: `hidden blocks (default ${TRAIN_DEFAULTS.depth} or the preset's)` },
      width: { type: 'int', min: LIMITS.trainMinWidth, max: LIMITS.trainMaxWidth, help: `units per layer (default ${TRAIN_DEFAULTS.width})` },
      points: { type: 'int', min: 1, max: LIMITS.trainMaxPoints, help: `points per class (default ${TRAIN_DEFAULTS.points})` },
      turns: { type: 'number', min: 0, exclusiveMin: true, max: LIMITS.trainMaxTurns, help: `turns of each arm (default ${TRAIN_DEFAULTS.turns})` },
      noise: { type: 'number', min: 0, help: `uniform noise ±noise per coordinate (default ${TRAIN_DEFAULTS.noise})` },
      lr: { type: 'number', min: 0, exclusiveMin: true, help: `learning rate (default ${TRAIN_DEFAULTS.lr})` },
      optimizer: { type: 'enum', values: OPTIMIZERS, help: `sgd, momentum 0.9, adam (default ${TRAIN_DEFAULTS.optimizer})` },
      steps: { type: 'int', min: 1, max: LIMITS.trainMaxSteps, help: `training steps (default ${TRAIN_DEFAULTS.steps})` },
      seed: { type: 'int', min: 0, max: LIMITS.maxSeed, help: 'weights seed, shared by every lane: torch.manual_seed\'s (default 0)' },
      'data-seed': { type: 'int', min: 0, max: LIMITS.maxSeed, help: 'noise seed: torch.manual_seed\'s, then torch.rand (default 0)' },
      dtype: { ...dtypeFlag, default: undefined, help: 'element type (default float32)' },
      heatmap: { type: 'flag', help: 'also output rel_update per step and Linear' },
      'dump-init': { type: 'string', help: 'write X, y and every parameter before training to FILE (one lane only)' },
      'init-from': { type: 'string', help: 'start from a --dump-init FILE (one lane only)' },
    },
    work(o) {
      const { lanes, g } = raceOf(o);
      const settings = { depth: g.depth, width: g.width, points: g.points, steps: g.steps, dtype: g.dtype, lanes: lanes.length };
      return { settings, flops: trainFlops, knobs: ['steps', 'points', 'depth', 'width'] };
    },
    run(core, o) {
      const { lanes, g } = raceOf(o);
      if (lanes.length > 1 && (o['dump-init'] || o['init-from'])) {
        throw new UsageError(`--${o['dump-init'] ? 'dump-init' : 'init-from'} needs one lane; preset ${o.preset} has ${lanes.length}`);
      }
      const before = (tr) => {
        if (o['dump-init']) {
          try {
            writeFileSync(o['dump-init'], toJSON(dumpInit(tr, g.dtype)) + '\n');
          } catch (e) {
            if (!e.code) throw e;
            throw new UsageError(`--dump-init ${shown(o['dump-init'])}: cannot write it (${e.code})`);
          }
        }
        if (o['init-from']) loadInit(tr, o['init-from']);
      };
      const out = lanes.map((lane) => {
        const r = trainLane(core, trainConfig(g, lane), g.steps, { heatmap: !!o.heatmap, before });
        const row = {
          name: lane.name, act: lane.act, init: lane.init, residual: !!lane.residual, norm: lane.norm, clip: lane.clip,
          clip_at: lane.clip === 'none' ? null : lane.clipAt,
          loss: r.loss, accuracy: r.accuracy, total_norm: r.totalNorm, clipped: r.clipped, final_loss: r.finalLoss,
          steps_to_0_1: r.stepsToTrained, nonfinite_step: r.nonfiniteStep, grad_norm_step0: r.gradNormStep0,
        };
        if (o.heatmap) row.rel_update = r.relUpdate;
        return row;
      });
      return { preset: o.preset ?? null, depth: g.depth, width: g.width, steps: g.steps, seed: g.seed, dtype: g.dtype, lanes: out };
    },
    table(r) {
      const g = fmtNum;
      const head = `# ${r.preset ? `preset ${r.preset}` : 'one lane'}: depth ${r.depth}, width ${r.width}, ${r.steps} steps, ` +
        `seed ${r.seed}, ${r.dtype}; loss = mean cross-entropy (chance ln 2 = 0.6931)\n`;
      const rowsOut = r.lanes.map((l) => {
        const last = l.nonfinite_step ?? r.steps;
        const gn = l.grad_norm_step0 || [];
        return [l.name, g(l.final_loss), l.steps_to_0_1 ?? 'never', l.nonfinite_step ?? '-', g(l.accuracy[last]),
          g(gn[0]), g(gn[gn.length - 1])];
      });
      return head + table(['lane', 'final loss', 'steps to 0.1', 'non-finite at', 'accuracy', '|dL/dW| stem, step 0', 'head'], rowsOut);
    },
  },
};
