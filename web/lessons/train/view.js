// view.js — the Training lesson's view: the loss race, the total gradient
// norm, the step-0 gradient profile, and per lane a gradient-flow heatmap and
// the decision regions.  Lanes stream frames while they train; the position
// shown (step k) follows them, and Play / Pause / Step / Reset replay it
// (under prefers-reduced-motion, Play shows every step at once).
import { getLang, t } from '../../i18n.js';
import { COLORS, fmtNum, lazyChart, points, setSeries } from '../../charts.js';
import { drawHeatmap, drawRegions } from '../../heatmap.js';
import { drawOnce, timeSlicer } from '../../app/runtime.js';
import { reducedMotion } from '../../theme.js';
import { EXTENT, GRID, LANES, laneKeys, laneRun } from './jobs.js';
import { PRESETS, lanesOf } from './presets.js';

const LOSS_TARGET = 0.1;
/** log₁₀ range of the heatmap's colours, per quantity. */
const HEAT_RANGE = { rel: [-8, 0], grad: [-8, 3] };
/** Replay speed (steps a second) for `steps` steps: ~4 s a replay, at least 60 steps/s. */
const replaySpeed = (steps) => Math.max(60, steps / 4);
const CLASS_COLORS = ['--class-0', '--class-1'];
/** While lanes train, the view redraws at most this often (ms): ~10 frames a second. */
const STREAM_EVERY = 100;

const GLOBAL = [
  { key: 'depth', labelKey: 'trn.depth' },
  { key: 'width', labelKey: 'trn.width', log: true },
  { key: 'points', labelKey: 'trn.points', log: true },
  { key: 'turns', labelKey: 'trn.turns', step: 0.25 },
  { key: 'noise', labelKey: 'trn.noise', step: 0.01 },
  { key: 'lr', labelKey: 'trn.lr', log: true, step: 'any' },
  { key: 'optimizer', kind: 'select', labelKey: 'trn.optimizer', optionKey: (v) => `opt.${v}` },
  { key: 'steps', labelKey: 'trn.steps', log: true },
  { key: 'seed', labelKey: 'ctl.seed', sliderMax: 1000 },
  { key: 'dtype', kind: 'select', labelKey: 'ctl.dtype', optionKey: (v) => `dtype.${v}` },
  { key: 'lanes', labelKey: 'trn.lanes' },
  { key: 'heat', kind: 'select', labelKey: 'trn.heat', optionKey: (v) => `heat.${v}` },
];
const laneLayout = (k) => {
  const [act, init, sigma, gdef, gain, value, res, norm, clip, clipat] = laneKeys(k);
  return [
    { key: act, kind: 'select', labelKey: 'trn.act', optionKey: (v) => `act.${v}` },
    { key: init, kind: 'select', labelKey: 'trn.init', optionKey: (v) => `init.${v}` },
    { key: sigma, labelKey: 'trn.sigma', log: true, step: 0.001 },
    { key: gdef, kind: 'check', labelKey: 'trn.gdef' },
    { key: gain, labelKey: 'trn.gain', log: true, step: 0.001 },
    { key: value, labelKey: 'trn.value', step: 0.001 },
    { key: res, kind: 'check', labelKey: 'trn.res' },
    { key: norm, kind: 'select', labelKey: 'trn.norm', optionKey: (v) => `norm.${v}` },
    { key: clip, kind: 'select', labelKey: 'trn.clip', optionKey: (v) => `clip.${v}` },
    { key: clipat, labelKey: 'trn.clipAt', log: true, step: 'any' },
  ];
};

/** A lane's card, hidden until its lane has something to show (empty, its heading and
 *  pictures would have no name). */
const laneCard = (k) => `
  <section class="lane" data-lane="${k}" data-job="lane${k}" aria-labelledby="trn-lane-${k}" hidden>
    <h4 id="trn-lane-${k}" data-out="name" data-fig="heatmaps regions"></h4>
    <p class="note" data-out="remedy"></p>
    <details data-ctl="lanes"><summary data-out="summary"></summary><div class="controls" data-box="lane${k}"></div></details>
    <p class="note" data-out="heatTitle" data-fig="heatmaps"></p>
    <canvas class="heatmap" data-heat="${k}" role="img" data-fig="heatmaps"></canvas>
    <p class="note" data-out="regionTitle" data-fig="regions"></p>
    <canvas class="regions" data-region="${k}" width="192" height="192" role="img" data-fig="regions"></canvas>
    <p class="readout" data-out="readout" data-fig="heatmaps regions"></p>
    <p class="note" data-out="flat" data-fig="heatmaps"></p>
  </section>`;

const TEMPLATE = `
  <h2 data-i18n="trn.title"></h2>
  <p class="prose" data-i18n-html="trn.intro"></p>
  <div class="controls" data-box="preset" data-ctl="preset"></div>
  <p class="note" data-out="caption" data-ctl="preset"></p>
  <div class="controls" data-box="global" data-ctl="global"></div>
  <div class="buttons" data-ctl="play">
    <button type="button" data-act="play" data-i18n="trn.play"></button>
    <button type="button" data-act="step" data-i18n="trn.step"></button>
    <button type="button" data-act="reset" data-i18n="trn.reset"></button>
    <span class="readout" data-out="at" aria-live="off"></span>
  </div>
  <div data-fig="loss" data-fig-ctl="preset global play">
    <h3 data-i18n="trn.lossTitle"></h3>
    <div class="chart-box" data-job="lane1 lane2 lane3 lane4"><canvas data-chart="loss" role="img" data-i18n-title="trn.lossAria"></canvas></div>
    <ul class="note" data-out="race"></ul>
  </div>
  <div class="grid2">
    <div data-fig="norm" data-fig-ctl="preset global play"><h3 data-i18n="trn.normTitle"></h3>
      <div class="chart-box small" data-job="lane1 lane2 lane3 lane4"><canvas data-chart="norm" role="img" data-i18n-title="trn.normAria"></canvas></div></div>
    <div data-fig="profile" data-fig-ctl="preset global"><h3 data-i18n="trn.profileTitle"></h3>
      <div class="chart-box small" data-job="lane1 lane2 lane3 lane4"><canvas data-chart="profile" role="img" data-i18n-title="trn.profileAria"></canvas></div></div>
  </div>
  <h3 data-i18n="trn.heatTitle" data-fig="heatmaps regions" data-fig-ctl="preset global play lanes"></h3>
  <p class="note" data-out="heatLegend" data-fig="heatmaps"></p>
  <div class="lanes">${LANES.map(laneCard).join('')}</div>
  <details class="prose" open><summary data-i18n="trn.textTitle"></summary><div data-i18n-html="trn.text"></div></details>
`;

/** Builds the view into ctx.root; returns {draw, stream}. */
export function createView(ctx) {
  const { root } = ctx;
  root.innerHTML = TEMPLATE;
  const q = (sel) => root.querySelector(sel);
  const card = (k) => q(`[data-lane="${k}"]`);
  const presetCtl = ctx.controls(q('[data-box=preset]'), [
    { key: 'preset', kind: 'select', labelKey: 'trn.preset', optionKey: (v) => `trn.preset.${v}` },
  ]);
  const globalCtl = ctx.controls(q('[data-box=global]'), GLOBAL);
  const laneCtl = LANES.map((k) => ctx.controls(q(`[data-box=lane${k}]`), laneLayout(k)));
  const sync = () => { presetCtl.sync(); globalCtl.sync(); laneCtl.forEach((c) => c.sync()); };
  // Choosing a preset loads its lanes and settings, in one change.
  presetCtl.controls.preset.input.addEventListener('change', () => {
    ctx.setMany(ctx.lesson.presetState(ctx.state.preset));
    sync();
  });

  const lossChart = lazyChart(q('[data-chart=loss]'), { yLog: true, xLabel: () => t('trn.step0') });
  const normChart = lazyChart(q('[data-chart=norm]'), { yLog: true, xLabel: () => t('trn.step0') });
  const profileChart = lazyChart(q('[data-chart=profile]'), { yLog: true, xLabel: () => 'l' });

  // Per lane: what has arrived of its newest run (frames, then the whole result).
  const runs = {};
  let k = 0; // steps shown
  let follow = true; // k follows the lanes as they train
  let playing = false;
  let last = 0;
  let heat = ctx.state.heat;
  const regionsDrawn = {};
  let lastStreamDraw = 0;
  let streamTimer = null;
  const newDrawing = timeSlicer();
  const once = drawOnce();

  /** A lane's run from its first frame: buffers for the whole run, filled as frames come. */
  function startRun(name, input, seq, steps, nlin) {
    runs[name] = {
      input, seq, cfg: input.cfg, steps, nlin, to: 0, done: false, nonfinite: null, regions: [],
      loss: new Float64Array(steps + 1).fill(NaN), accuracy: new Float64Array(steps + 1).fill(NaN),
      totalNorm: new Float64Array(steps).fill(NaN), clipped: new Uint8Array(steps),
      gradNorms: new Float64Array(steps * nlin).fill(NaN), relUpdates: new Float64Array(steps * nlin).fill(NaN),
    };
    return runs[name];
  }

  function stream(name, f, input, seq) {
    let r = runs[name];
    if (f.from === 0 || !r || r.input !== input) r = startRun(name, input, seq, f.steps, f.nlin);
    r.loss.set(f.loss, f.from);
    r.accuracy.set(f.accuracy, f.from);
    r.totalNorm.set(f.totalNorm, f.from);
    r.clipped.set(f.clipped, f.from);
    r.gradNorms.set(f.gradNorms, f.from * f.nlin);
    r.relUpdates.set(f.relUpdates, f.from * f.nlin);
    r.regions.push(...f.regions);
    r.to = f.to;
    // Frames come faster than they are worth drawing: at most one draw per
    // STREAM_EVERY ms, and the last frame is always drawn.
    clearTimeout(streamTimer);
    const wait = lastStreamDraw + STREAM_EVERY - performance.now();
    if (wait <= 0) {
      lastStreamDraw = performance.now();
      ctx.redraw();
    } else {
      streamTimer = setTimeout(() => { lastStreamDraw = performance.now(); ctx.redraw(); }, wait);
    }
  }

  /**
   * The lanes on show: [{k, run, color}], run being the newest run of the
   * lane — its finished result, or the frames of a newer request still
   * training (requests are numbered: seq).
   */
  function lanes(results) {
    const out = [];
    for (const lk of LANES) {
      const name = `lane${lk}`;
      const res = results[name];
      const live = runs[name];
      if (res && (!live || res.seq >= live.seq) && live?.result !== res) {
        const d = res.data;
        runs[name] = d.off ? { input: res.input, seq: res.seq, result: res }
          : { ...d, input: res.input, seq: res.seq, to: d.nonfinite === null ? d.steps : d.nonfinite + 1, done: true, result: res };
      }
      if (runs[name] && !runs[name].input.off) out.push({ k: lk, run: runs[name], color: COLORS[lk - 1] });
    }
    return out;
  }

  const laneName = (cfg) => {
    const parts = [t(`act.${cfg.act}`), t(`init.${cfg.init}`)];
    if (cfg.gain !== null && Number.isFinite(cfg.gain)) parts.push(`gain ${fmtNum(cfg.gain)}`);
    if (cfg.init === 'normal' || cfg.init === 'uniform') parts.push(`σ ${fmtNum(cfg.sigma)}`);
    if (cfg.residual) parts.push(t('trn.res'));
    if (cfg.norm !== 'none') parts.push(t(`norm.${cfg.norm}`));
    if (cfg.clip !== 'none') parts.push(`${t(`clip.${cfg.clip}`)} ${fmtNum(cfg.clipAt)}`);
    return parts.join(' + ');
  };

  /** Draws the lanes up to step k, in slices (see timeSlicer); false if a newer drawing took over. */
  async function render(shown) {
    const goOn = newDrawing();
    const total = Math.max(1, ...shown.map((l) => l.run.steps));
    const avail = Math.max(0, ...shown.map((l) => l.run.to));
    if (follow) k = avail;
    k = Math.min(k, total);
    q('[data-act=play]').textContent = t(playing ? 'trn.pause' : 'trn.play');
    q('[data-out=at]').textContent = t('trn.at', { k, n: total });
    // Every chart keeps one dataset slot per lane (empty when the lane is not
    // shown), so a dataset keeps its style whichever lanes are present.
    const xs = (n) => Array.from({ length: n }, (_, i) => i);
    const byLane = Object.fromEntries(shown.map((l) => [l.k, l]));
    const slots = (fn) => LANES.map((lk) => (byLane[lk] ? fn(byLane[lk]) : { label: '_', color: COLORS[lk - 1], points: [] }));
    // (a) the loss race, with chance (ln 2) and the target (0.1), and a ✕ where a lane turned non-finite
    const lossLines = slots((l) => {
      const upto = Math.min(k, l.run.to) + (l.run.done && k >= l.run.steps ? 1 : 0);
      return { label: laneName(l.run.cfg), color: l.color, points: points(xs(upto), l.run.loss.subarray(0, upto), true) };
    });
    const crosses = slots((l) => {
      const nf = l.run.nonfinite;
      const at = nf !== null && k >= nf ? lastFinite(l.run.loss, nf) : null;
      return { label: at === null ? '_' : t('trn.nonfinite', { name: t('trn.lane', { k: l.k }) }), color: l.color, points: at === null ? [] : [{ x: nf, y: at }] };
    }).map((c) => ({ ...c, showLine: false, pointRadius: 9, pointStyle: 'crossRot', width: 3 }));
    if (!(await goOn())) return false;
    setSeries(lossChart(), [
      ...lossLines,
      { label: t('trn.chance'), color: COLORS[7], dash: [4, 4], width: 1, points: [{ x: 0, y: Math.LN2 }, { x: total, y: Math.LN2 }] },
      { label: t('trn.target'), color: '--chart-ref', dash: [2, 3], width: 1, points: [{ x: 0, y: LOSS_TARGET }, { x: total, y: LOSS_TARGET }] },
      ...crosses,
    ], [t('trn.step0'), t('trn.lossAxis')]);
    if (!(await goOn())) return false;
    // (c) the total gradient norm, with each norm-clipping lane's threshold
    setSeries(normChart(), [
      ...slots((l) => {
        const upto = Math.min(k, l.run.to);
        return { label: laneName(l.run.cfg), color: l.color, points: points(xs(upto), l.run.totalNorm.subarray(0, upto), true) };
      }),
      ...slots((l) => (l.run.cfg.clip !== 'norm' ? { label: '_', color: l.color, points: [] } : {
        label: t('trn.threshold', { name: t('trn.lane', { k: l.k }), c: fmtNum(l.run.cfg.clipAt) }), color: l.color,
        points: [{ x: 0, y: l.run.cfg.clipAt }, { x: total, y: l.run.cfg.clipAt }],
      })).map((c) => ({ ...c, dash: [6, 3], width: 1 })),
    ], [t('trn.step0'), t('trn.normAxis')]);
    if (!(await goOn())) return false;
    // (d) step 0, layer by layer: it changes only when a lane starts a new run
    once('profile', LANES.map((lk) => (byLane[lk] && byLane[lk].run.to > 0 ? byLane[lk].run.cfg : null)), () => {
      setSeries(profileChart(), slots((l) => ({
        label: laneName(l.run.cfg), color: l.color,
        points: l.run.to > 0 ? points(xs(l.run.nlin), l.run.gradNorms.subarray(0, l.run.nlin), true) : [],
      })), [t('trn.layer'), t('trn.gradAxis')]);
    });
    // the race in words
    q('[data-out=race]').replaceChildren(...shown.map((l) => {
      const li = document.createElement('li');
      li.textContent = readout(l, Math.min(k, l.run.to));
      return li;
    }));
    // (b) and (e) per lane
    const [lo, hi] = HEAT_RANGE[heat];
    q('[data-out=heatLegend]').textContent = t('trn.heatLegend', { lo: `1e${lo}`, hi: `1e${hi}` });
    for (const lk of LANES) card(lk).hidden = !shown.some((l) => l.k === lk);
    for (const l of shown) {
      if (!(await goOn())) return false;
      drawLane(l, lo, hi);
    }
    return true;
  }

  function readout(l, at) {
    const r = l.run;
    const reach = r.nonfinite !== null && at >= r.nonfinite ? t('trn.died', { s: r.nonfinite })
      : firstBelow(r.loss, LOSS_TARGET, at) !== null ? t('trn.reached', { s: firstBelow(r.loss, LOSS_TARGET, at) }) : t('trn.never');
    // The last step computed up to `at`: a run still training has its loss up to to − 1.
    const i = Math.max(0, Math.min(at, r.nonfinite ?? at, r.done ? r.steps : r.to - 1));
    return t('trn.readout', { name: `${t('trn.lane', { k: l.k })} (${laneName(r.cfg)})`, loss: fmtNum(r.loss[i]), acc: fmtNum(r.accuracy[i]), k: i, reach });
  }

  function drawLane(l, lo, hi) {
    const el = card(l.k);
    const r = l.run;
    const name = laneName(r.cfg);
    el.querySelector('[data-out=name]').textContent = `${t('trn.lane', { k: l.k })}: ${name}`;
    el.querySelector('[data-out=remedy]').textContent = remedyCaption(l);
    el.querySelector('[data-out=summary]').textContent = t('trn.lane', { k: l.k });
    const cols = Math.min(k, r.to, r.steps);
    const hc = el.querySelector('canvas.heatmap');
    drawHeatmap(hc, { values: heat === 'rel' ? r.relUpdates : r.gradNorms, rows: r.nlin, total: r.steps, cols, lo, hi, ticks: r.clipped, label: t(`heat.${heat}`) });
    hc.title = t('trn.heatAria', { what: t(`heat.${heat}`), name });
    el.querySelector('[data-out=heatTitle]').textContent = t(`heat.${heat}`);
    // the newest snapshot at or before k
    let snap = null;
    for (const s of r.regions) if (s.step <= k) snap = s;
    if (snap && r.X) {
      if (regionsDrawn[l.k] !== snap) {
        drawRegions(el.querySelector('canvas.regions'), { prob: snap.prob, grid: GRID, extent: EXTENT, X: r.X, y: r.y, colors: CLASS_COLORS });
        regionsDrawn[l.k] = snap;
      }
      el.querySelector('[data-out=regionTitle]').textContent = t('trn.regionTitle', { k: snap.step });
      el.querySelector('canvas.regions').title = t('trn.regionAria', { name, k: snap.step });
      let mn = Infinity, mx = -Infinity;
      for (const p of snap.prob) { if (p < mn) mn = p; if (p > mx) mx = p; }
      const flat = !((mx >= 0.5) && (mn < 0.5));
      el.querySelector('[data-out=flat]').textContent = flat ? t('trn.flat') : '';
    } else {
      el.querySelector('[data-out=regionTitle]').textContent = '';
      el.querySelector('[data-out=flat]').textContent = '';
    }
    let text = readout(l, Math.min(k, r.to));
    if (r.done && r.spread && k >= r.steps && (r.cfg.init === 'constant' || ctx.state.preset === 'symmetry')) {
      const s = Math.max(...r.spread.slice(1));
      text += ' ' + (s === 0 ? t('trn.symSame') : t('trn.symmetry', { s: fmtNum(s) }));
    }
    el.querySelector('[data-out=readout]').textContent = text;
  }

  let lastResults = null;
  function draw({ results, display, relabel }) {
    lastResults = results;
    // Every lane has answered its newest request: a frame's delayed redraw has nothing left to add.
    if (LANES.every((lk) => results[`lane${lk}`] && (!runs[`lane${lk}`] || results[`lane${lk}`].seq >= runs[`lane${lk}`].seq))) {
      clearTimeout(streamTimer);
    }
    heat = display.heat;
    if (relabel) {
      for (const key of Object.keys(regionsDrawn)) delete regionsDrawn[key];
      once.reset();
    }
    q('[data-out=caption]').textContent = presetCaption(display.preset);
    return render(lanes(results));
  }

  const presetCaption = (name) => PRESETS[name].caption[getLang()];
  /** The preset's caption of lane k (naming its remedy) while the lane is still the preset's. */
  const presetConfigs = new Map(); // preset name → its lanes' configs as JSON, made once
  const remedyCaption = (l) => {
    const preset = ctx.state.preset;
    const lane = lanesOf(preset)[l.k - 1];
    if (!lane) return '';
    if (!presetConfigs.has(preset)) {
      const s = ctx.lesson.presetState(preset);
      presetConfigs.set(preset, LANES.map((lk) => JSON.stringify(laneRun(s, lk).cfg)));
    }
    return presetConfigs.get(preset)[l.k - 1] === JSON.stringify(l.run.cfg) ? lane.caption[getLang()] : '';
  };

  function frame(now) {
    if (!playing) return;
    const dt = last ? (now - last) / 1000 : 0;
    last = now;
    const shown = lanes(lastResults);
    const total = Math.max(1, ...shown.map((l) => l.run.steps));
    k = Math.min(total, k + Math.max(1, Math.round(dt * replaySpeed(total))));
    if (k >= total) { playing = false; follow = true; }
    render(shown);
    if (playing) requestAnimationFrame(frame);
  }
  q('[data-act=play]').addEventListener('click', () => {
    if (!lastResults) return;
    if (playing) { playing = false; render(lanes(lastResults)); return; }
    const total = Math.max(1, ...lanes(lastResults).map((l) => l.run.steps));
    if (reducedMotion()) { // no replay frames: every step computed so far, at once
      k = total;
      follow = true;
      render(lanes(lastResults));
      return;
    }
    if (k >= total) k = 0;
    follow = false;
    playing = true;
    last = 0;
    q('[data-act=play]').textContent = t('trn.pause'); // at once, not at the first frame
    requestAnimationFrame(frame);
  });
  q('[data-act=step]').addEventListener('click', () => {
    if (!lastResults) return;
    playing = false;
    follow = false;
    k += 10;
    render(lanes(lastResults));
  });
  q('[data-act=reset]').addEventListener('click', () => {
    if (!lastResults) return;
    playing = false;
    follow = false;
    k = 0;
    render(lanes(lastResults));
  });

  return { draw, stream };
}

/** The first step at or before `upto` whose loss is below `target`, or null. */
function firstBelow(loss, target, upto) {
  for (let i = 0; i <= Math.min(upto, loss.length - 1); i++) if (loss[i] < target) return i;
  return null;
}

/** The last finite loss before step `at`, where the ✕ goes (1 if none). */
function lastFinite(loss, at) {
  for (let i = Math.min(at, loss.length - 1); i >= 0; i--) if (Number.isFinite(loss[i]) && loss[i] > 0) return loss[i];
  return 1;
}
