// settings.js — what bench/ui.js measures, and its command line.

/** One frame at 60 Hz (ms): the latency goal at default settings. */
export const FRAME = 1000 / 60;
/** The longest main-thread task the goals allow (ms); also the longtask API's floor. */
export const LONG_TASK = 50;
/** Navigation → first chart painted, cold (ms): the start-up goal (issue 15). */
export const STARTUP_GOAL = 400;

/**
 * Per lesson: the slider whose latency is sampled (its "depth": it changes
 * the cost of the job the most directly; samples alternate one step down and
 * one up, so every sample is computed at the setting measured), and the
 * slider the memory test moves.  Every slider of the lesson is dragged.
 */
export const LESSONS = {
  vanishing: { slider: 'v_depth', heapSlider: 'v_seed' },
  exploding: { slider: 'x_steps' },
  init: { slider: 'i_depth' },
  train: { slider: 'tr_depth' },
};

/** Each lesson at its default settings and at the largest allowed ones. */
export const SETTINGS = [
  { panel: 'vanishing', name: 'default', query: '' },
  { panel: 'vanishing', name: 'max', query: 'v_depth=100&v_samples=100000' },
  { panel: 'exploding', name: 'default', query: '' },
  { panel: 'exploding', name: 'max', query: 'x_n=64&x_steps=1000&x_trials=200' },
  { panel: 'init', name: 'default', query: '' },
  // The largest allowed network (depth 200, width 1024, batch 256, four
  // schemes): about a minute per job, so only two latency samples.
  { panel: 'init', name: 'max', query: 'i_depth=200&i_width=1024&i_batch=256&i_s1=normal&i_s2=xavier_normal&i_s3=kaiming_normal&i_s4=torch_default', samples: 2 },
  // A race of four lanes trains for seconds: a few latency samples.
  { panel: 'train', name: 'default', query: '', samples: 3 },
  // The largest race (depth 100 × width 128 × 1024 points a class × 2000
  // steps × 4 lanes) trains for hours: its sliders are dragged while it
  // streams, each drag waiting 5 s at most, and no latency is sampled.
  { panel: 'train', name: 'max', query: 'tr_depth=100&tr_width=128&tr_points=1024&tr_steps=2000', samples: 0, maxWaitS: 5 },
];

/**
 * The display-only probe: on this lesson and query, after the first result,
 * each control is changed and timed (input → data-drawn incremented → painted)
 * while the scheduler's 'submit' events are counted: a view-only change should
 * compute nothing.
 */
export const DISPLAY = {
  panel: 'init',
  query: 'i_depth=200&i_width=1024',
  controls: ['i_hl', 'i_fwd'], // the histogram's layer (slider), the forward statistic shown (select)
  samples: 3,
};

/**
 * The pool probe: Initialization at its largest network (four schemes, one
 * job each) computed in a fresh page in a pool of 1 worker and of max(2, the
 * page's own pool), then recomputed there with a new seed; the speed-up of
 * that recomputation (the job), and of the whole page load beside it.  Three
 * runs of each: a job is a few seconds since the work budget caps it.
 */
export const POOL = { panel: 'init', query: SETTINGS.find((s) => s.panel === 'init' && s.name === 'max').query, runs: 3 };

const HELP = `node bench/ui.js [--only WHAT,…] [--display] [--presets] [--pool] [--startup] [--samples N] [--updates N] [--max-wait S] [--no-build]
  --only      lessons and settings, e.g. vanishing or init:default, and/or 'display', 'presets', 'pool'
              (default: every lesson at every setting, and every probe)
              'startup' alone runs only the start-up probe
  --display   also run the display-only probe (Init at ${DISPLAY.query.replace('&', ', ')})
  --presets   also run the presets probe (each Training preset trained to the end)
  --pool      also run the pool probe (Init's largest network in 1 worker and in a pool of ≥ 2)
  --startup   also run the start-up probe (cold loads of the product page from file:// and http)
  --samples   latency samples at default settings (default 30; 5 at max)
  --updates   updates of the memory test (default 1000)
  --max-wait  at the largest settings, how long a drag waits for its last result (s, default 20)
  --no-build  do not run ./build-wasm.sh even if web/gen/ is missing or stale`;

function usage(msg) {
  console.error(`bench/ui.js: ${msg}\n${HELP}`);
  process.exit(2);
}

/** The options, and the settings chosen; exits on a bad argument or --help. */
export function parseArgs(argv) {
  const opts = { only: null, display: false, presets: false, pool: false, startup: false, startupRuns: 5, samples: 30, maxSamples: 5, updates: 1000, build: true, drag: 40, maxWaitS: 20 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    const int = (v, lo) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < lo) usage(`${a} must be an integer ≥ ${lo}, got ${v}`);
      return n;
    };
    if (a === '--only') opts.only = val().split(',');
    else if (a === '--display') opts.display = true;
    else if (a === '--presets') opts.presets = true;
    else if (a === '--pool') opts.pool = true;
    else if (a === '--startup') opts.startup = true;
    else if (a === '--samples') opts.samples = int(val(), 1);
    else if (a === '--updates') opts.updates = int(val(), 1);
    else if (a === '--max-wait') opts.maxWaitS = int(val(), 1);
    else if (a === '--no-build') opts.build = false;
    else if (a === '-h' || a === '--help') { console.log(HELP); process.exit(0); } else usage(`unknown option '${a}'`);
  }
  if (!opts.only || opts.only.includes('display')) opts.display = true;
  if (!opts.only || opts.only.includes('presets')) opts.presets = true;
  if (!opts.only || opts.only.includes('pool')) opts.pool = true;
  if (!opts.only || opts.only.includes('startup')) opts.startup = true;
  const PROBES = ['display', 'presets', 'pool', 'startup'];
  const wanted = (opts.only ?? []).filter((o) => !PROBES.includes(o));
  const chosen = SETTINGS.filter((s) => !opts.only || wanted.some((o) => {
    const [p, n] = o.split(':');
    return p === s.panel && (!n || n === s.name);
  }));
  const unknown = wanted.filter((o) => !SETTINGS.some((s) => o === s.panel || o === `${s.panel}:${s.name}`));
  if (unknown.length) usage(`--only ${unknown.join(',')} matches no lesson/setting`);
  if (!chosen.length && !opts.display && !opts.presets && !opts.pool && !opts.startup) usage(`--only ${opts.only.join(',')} matches no lesson/setting`);
  return { opts, chosen };
}
