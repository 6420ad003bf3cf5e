// jobs.js — the Initialization lesson's computations.  Each of the four
// scheme slots is its own job (changing one scheme reruns one network); the
// Xavier compromise and the recommended gain are jobs of their own, so their
// controls never rerun a network.  Histograms are made at every layer, so the
// layer slider only redraws.
import { initNetwork, initParams } from '../../science.js';
import { initSampleFlops, mlpFlops } from '../../budget.js';

/** Bins of the histograms. */
export const HIST_BINS = 60;
/**
 * The share of each histogram's values left out at each end: its range runs
 * from the 0.1% to the 99.9% quantile (computed by the core), so a few
 * extreme values cannot squeeze the rest into one bin; the view says how
 * many it leaves out.
 */
export const HIST_TAIL = 0.001;
export const SLOTS = [1, 2, 3, 4];

/** The job of slot i: one deep MLP under the scheme chosen in slot i, or nothing for 'none'. */
function slotJob(i) {
  const scheme = `s${i}`;
  return {
    inputs: [scheme, 'act', 'depth', 'width', 'batch', 'sigma', 'gdef', 'gain', 'value', 'seed', 'dtype'],
    /** Only what the scheme reads: σ for normal/uniform, the gain (unless default) for xavier_*, kaiming_*, orthogonal, the value for constant. */
    relevant(s) {
      const init = s[scheme];
      if (init === 'none') return { init };
      const p = initParams(init, { gain: s.gdef ? undefined : s.gain, sigma: s.sigma, value: s.value });
      return {
        init, act: s.act, depth: s.depth, width: s.width, batch: s.batch, seed: s.seed, dtype: s.dtype,
        gain: p.gain, sigma: p.sigma, value: p.value,
      };
    },
    flops: (s) => (s.init === 'none' ? 0 : mlpFlops({ ...s, histTail: HIST_TAIL })),
    run(core, s) {
      if (s.init === 'none') return { slot: i, init: 'none', run: null, refused: null };
      try {
        const net = initNetwork(core, {
          init: s.init, gain: s.gain ?? NaN, sigma: s.sigma ?? 1, value: s.value ?? 0, act: s.act,
          depth: s.depth, width: s.width, batch: s.batch, dtype: s.dtype, seed: s.seed, bins: HIST_BINS, histTail: HIST_TAIL,
        });
        return { slot: i, init: s.init, run: net, refused: null };
      } catch (e) {
        // The core refuses a network over its memory cap with a message that
        // says how much it would need; the rest of the lesson still works.
        if (e.name !== 'CoreError') throw e;
        return { slot: i, init: s.init, run: null, refused: e.message };
      }
    },
  };
}

export const NET_JOBS = Object.fromEntries(SLOTS.map((i) => [`net${i}`, slotJob(i)]));

/** The Xavier compromise: the theory of both Xavier schemes and one sampled U(−a, a) weight. */
export const xavier = {
  inputs: ['nin', 'nout', 'seed', 'dtype'],
  flops: (s) => initSampleFlops({ init: 'xavier_uniform', fanIn: s.nin, fanOut: s.nout }),
  run(core, s) {
    const fan = { fanIn: s.nin, fanOut: s.nout };
    const xn = core.initTheory({ init: 'xavier_normal', ...fan });
    const xu = core.initTheory({ init: 'xavier_uniform', ...fan });
    const sample = core.initSample({ init: 'xavier_uniform', ...fan, seed: s.seed, dtype: s.dtype });
    const uh = core.histogram(sample.weights, 40, -xu.bound, xu.bound);
    delete sample.weights; // only its statistics and histogram cross back
    return { xn, xu, sample, uh };
  },
};

/**
 * torch.nn.init.calculate_gain of the activation (the "recommended gain"
 * button): null for an activation torch has no gain for (gelu), as the core
 * refuses it the way torch does.
 */
export const gain = {
  inputs: ['act'],
  flops: () => 0,
  run(core, s) {
    try {
      return { recommended: core.calculateGain(s.act) };
    } catch (e) {
      if (e.name !== 'CoreError') throw e;
      return { recommended: null };
    }
  },
};
