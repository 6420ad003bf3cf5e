// science.js — the science the page and the CLI share, with no DOM: which
// parameters an init scheme reads, and one initialized network measured next
// to its mean-field theory.  Every number comes from the core (web/core.js);
// this module only decides what to ask it and how the answers fit together.
import { INIT_USES } from './core.js';

/**
 * The parameters a scheme actually uses, from the core's INIT_USES: each of
 * gain, sigma, value is null when the scheme ignores it, else the given value
 * or its default (sigma 1, value 0; gain NaN, the core's "the scheme's own
 * gain": √2 for kaiming_*, else 1).
 */
export function initParams(init, { gain, sigma, value } = {}) {
  const uses = INIT_USES[init];
  if (!uses) throw new RangeError(`unknown init '${init}'`);
  return {
    gain: uses.gain ? (gain ?? NaN) : null,
    sigma: uses.sigma ? (sigma ?? 1) : null,
    value: uses.value ? (value ?? 0) : null,
  };
}

/** initParams with a default gain (NaN) replaced by the number the core uses. */
export function usedParams(core, init, given) {
  const p = initParams(init, given);
  if (p.gain !== null && Number.isNaN(p.gain)) p.gain = core.defaultGain(init);
  return p;
}

/** The core's arguments for params: it skips what a scheme ignores, so any number will do there. */
export function coreInitArgs(p) {
  return { gain: p.gain ?? NaN, sigma: p.sigma ?? 1, value: p.value ?? 0 };
}

/**
 * Mean-field theory assumes i.i.d. zero-mean weights, so that z is Gaussian
 * with σ_w² = width·Var(W).  A constant init breaks it: every unit of a layer
 * gets the same weights, so the units are identical, not independent.
 */
export const hasMeanField = (init) => init !== 'constant';

/**
 * One network of the Initialization lesson: a bias-free MLP of `depth` square
 * layers under an init scheme, measured by the core, next to its theory.
 * Returns {params (usedParams), th: {std, bound} of the scheme for a
 * width × width weight, stats (core.mlpStats: layers, and hists at every layer
 * when bins > 0), sw2 = width·std² (the mean-field σ_w²), theory: null when
 * hasMeanField(init) is false, else core.meanfield({act, sw2, qx: 1, gVar: 1,
 * depth}) = {zVar, gradZVar} for inputs and an upstream gradient of variance 1}.
 */
export function initNetwork(core, { init, gain, sigma, value, act, depth, width, batch, dtype = 'float32', seed = 0, bins = 0 }) {
  const params = usedParams(core, init, { gain, sigma, value });
  const args = coreInitArgs(params);
  const stats = core.mlpStats({ init, ...args, act, depth, width, batch, dtype, seed, bins });
  const th = core.initTheory({ init, fanIn: width, fanOut: width, ...args });
  const sw2 = width * th.std * th.std;
  const theory = hasMeanField(init) ? core.meanfield({ act, sw2, qx: 1, gVar: 1, depth }) : null;
  return { params, th, stats, sw2, theory };
}
