// init.js — the Initialization panel: up to four torch.nn.init schemes side
// by side through the per-layer statistics of a deep MLP (forward and
// backward, with the mean-field theory), histograms at a chosen layer, the
// symmetry lesson, and the Xavier compromise.
import { ACTIVATIONS, DTYPES, INITS } from '../core.js';
import { t } from '../i18n.js';
import { COLORS, fmtNum, lineChart, points, setSeries } from '../charts.js';
import { buildControls, jobUpdater, nextTask } from './panel.js';

const SLOT_VALUES = ['none', ...INITS];
const FWD_STATS = ['z_var', 'a_var'];
const BWD_STATS = ['grad_z_var', 'grad_a_var', 'grad_w_var'];
/** Statistics with a mean-field line: Var(z_l) forward, Var(∂ℓ/∂z_l) backward. */
const THEORY_OF = { z_var: 'zVar', grad_z_var: 'gradZVar' };
/** Schemes × layers above which the charts are drawn one per task. */
const LARGE_DRAW = 200;

export const schema = {
  i_s1: { type: 'enum', values: SLOT_VALUES, default: 'normal' },
  i_s2: { type: 'enum', values: SLOT_VALUES, default: 'xavier_normal' },
  i_s3: { type: 'enum', values: SLOT_VALUES, default: 'kaiming_normal' },
  i_s4: { type: 'enum', values: SLOT_VALUES, default: 'torch_default' },
  i_act: { type: 'enum', values: ACTIVATIONS, default: 'tanh' },
  i_depth: { type: 'int', min: 1, max: 200, default: 20 },
  i_width: { type: 'int', min: 1, max: 1024, default: 64 },
  i_batch: { type: 'int', min: 1, max: 256, default: 32 },
  i_sigma: { type: 'float', min: 0.001, max: 10, default: 0.05 },
  i_gdef: { type: 'bool', default: true },
  i_gain: { type: 'float', min: 0.01, max: 10, default: 1 },
  i_value: { type: 'float', min: -10, max: 10, default: 0.01 },
  i_seed: { type: 'int', min: 0, max: 2 ** 31 - 1, default: 0 },
  i_dtype: { type: 'enum', values: DTYPES, default: 'float32' },
  i_fwd: { type: 'enum', values: FWD_STATS, default: 'z_var' },
  i_bwd: { type: 'enum', values: BWD_STATS, default: 'grad_z_var' },
  i_hl: { type: 'int', min: 1, max: 200, default: 10 },
  i_nin: { type: 'int', min: 1, max: 1024, default: 256 },
  i_nout: { type: 'int', min: 1, max: 1024, default: 64 },
};

const slotItem = (i) => ({ key: `i_s${i}`, kind: 'select', labelKey: `ini.slot${i}`, optionKey: (v) => `init.${v}` });
const MAIN = [
  slotItem(1), slotItem(2), slotItem(3), slotItem(4),
  { key: 'i_act', kind: 'select', labelKey: 'ini.act', optionKey: (v) => `act.${v}` },
  { key: 'i_depth', labelKey: 'ini.depth' },
  { key: 'i_width', labelKey: 'ini.width', log: true },
  { key: 'i_batch', labelKey: 'ini.batch', log: true },
  { key: 'i_sigma', labelKey: 'ini.sigma', log: true, step: 0.001 },
  { key: 'i_gdef', kind: 'check', labelKey: 'ini.gainDefault' },
  { key: 'i_gain', labelKey: 'ini.gain', log: true, step: 0.001 },
  { key: 'i_value', labelKey: 'ini.value', step: 0.001 },
  { key: 'i_seed', labelKey: 'ctl.seed', sliderMax: 1000 },
  { key: 'i_dtype', kind: 'select', labelKey: 'ctl.dtype', optionKey: (v) => `dtype.${v}` },
  { key: 'i_fwd', kind: 'select', labelKey: 'ini.fwdStat', optionKey: (v) => `stat.${v}` },
  { key: 'i_bwd', kind: 'select', labelKey: 'ini.bwdStat', optionKey: (v) => `stat.${v}` },
];
const HIST = [{ key: 'i_hl', labelKey: 'ini.histLayer' }];
const DILEMMA = [
  { key: 'i_nin', labelKey: 'ini.nin', log: true },
  { key: 'i_nout', labelKey: 'ini.nout', log: true },
];

const TEMPLATE = `
  <h2 data-i18n="ini.title"></h2>
  <p data-i18n-html="ini.intro"></p>
  <div class="controls" data-box="main"></div>
  <div class="buttons"><button type="button" data-act="recommend"></button></div>
  <p class="error" data-out="memory" hidden></p>
  <div class="grid2">
    <div><h3 data-i18n="ini.fwdTitle"></h3>
      <div class="chart-box"><canvas data-chart="fwd" role="img" data-i18n-title="ini.fwdAria"></canvas></div></div>
    <div><h3 data-i18n="ini.bwdTitle"></h3>
      <div class="chart-box"><canvas data-chart="bwd" role="img" data-i18n-title="ini.bwdAria"></canvas></div></div>
  </div>
  <ul class="note" data-out="summary"></ul>
  <p class="note" data-out="notheory"></p>
  <h3 data-i18n="ini.histTitle"></h3>
  <div class="controls" data-box="hist"></div>
  <div class="grid2">
    <div><p class="note" data-out="histA"></p>
      <div class="chart-box small"><canvas data-chart="histA" role="img" data-i18n-title="ini.histAAria"></canvas></div></div>
    <div><p class="note" data-out="histG"></p>
      <div class="chart-box small"><canvas data-chart="histG" role="img" data-i18n-title="ini.histGAria"></canvas></div></div>
  </div>
  <h3 data-i18n="ini.symTitle"></h3>
  <p data-i18n="ini.symIntro"></p>
  <ul data-out="sym"></ul>
  <div class="buttons"><button type="button" data-act="constant" data-i18n="ini.tryConstant"></button></div>
  <h3 data-i18n="ini.dilemmaTitle"></h3>
  <p data-i18n="ini.dilemmaIntro"></p>
  <div class="controls" data-box="dilemma"></div>
  <div class="grid2">
    <div><div class="chart-box small"><canvas data-chart="dilemma" role="img" data-i18n-title="ini.dilemmaAria"></canvas></div>
      <p class="readout" data-out="dilemma"></p></div>
    <div><p class="note" data-i18n="ini.uniformTitle"></p>
      <div class="chart-box small"><canvas data-chart="uniform" role="img" data-i18n-title="ini.uniformAria"></canvas></div>
      <p class="readout" data-out="uniform"></p></div>
  </div>
  <details open><summary data-i18n="ini.textTitle"></summary><div data-i18n-html="ini.text"></div></details>
`;

/** Builds the panel into ctx.root; returns {update, relabel, sync}. */
export function createInit(ctx) {
  const { root } = ctx;
  root.innerHTML = TEMPLATE;
  const q = (sel) => root.querySelector(sel);
  const main = buildControls(q('[data-box=main]'), schema, MAIN, ctx);
  const hist = buildControls(q('[data-box=hist]'), schema, HIST, ctx);
  const dil = buildControls(q('[data-box=dilemma]'), schema, DILEMMA, ctx);
  const sync = () => { main.sync(); hist.sync(); dil.sync(); };
  // Slot labels carry their number: "Scheme 1" …
  for (let i = 1; i <= 4; i++) {
    const label = q(`[data-key=i_s${i}] label`);
    delete label.dataset.i18n;
    label.dataset.slot = String(i);
  }

  const fwdChart = lineChart(q('[data-chart=fwd]'), { yLog: true, xLabel: () => 'l' });
  const bwdChart = lineChart(q('[data-chart=bwd]'), { yLog: true, xLabel: () => 'l' });
  // Densities on a log axis: a collapsed (vanishing) layer is a tall spike,
  // and the shapes of the healthy schemes stay visible beside it.
  const histA = lineChart(q('[data-chart=histA]'), { yLog: true });
  const histG = lineChart(q('[data-chart=histG]'), { yLog: true });
  const dilemma = lineChart(q('[data-chart=dilemma]'), { yLog: true, xLog: true, xLabel: () => 'σ' });
  const uniform = lineChart(q('[data-chart=uniform]'), {});

  let last = null;

  function layerSeries(stat) {
    const out = [];
    for (const r of last.runs) {
      const L = r.stats.layers.map((row) => row.layer);
      const name = t(`init.${r.init}`);
      out.push({ label: name, color: r.color, points: points(L, r.stats.layers.map((row) => row[stat]), true) });
      const key = THEORY_OF[stat];
      if (r.theory && key) {
        out.push({ label: `_${t('ini.theory', { name })}`, color: r.color, dash: [5, 4], width: 1.5, points: points(L, r.theory[key], true) });
      }
    }
    return out;
  }

  function histSeries(which) {
    return last.runs.filter((r) => r.stats.hist).map((r) => {
      const h = r.stats.hist[which];
      const nb = h.counts.length;
      const w = (h.hi - h.lo) / nb || 1;
      const total = h.counts.reduce((x, y) => x + y, 0) || 1;
      const xs = Array.from({ length: nb }, (_, i) => h.lo + (i + 0.5) * w);
      return { label: t(`init.${r.init}`), color: r.color, points: points(xs, Array.from(h.counts, (c) => c / (total * w)), true) };
    });
  }

  let dilemmaDrawn = null; // what the Xavier charts show, to skip redrawing them
  let drawing = 0; // the newest draw(); an older one stops at its next pause
  let relabelDilemma = false; // a forced redraw of the Xavier charts is owed

  /**
   * Draws `last`.  At large settings each chart takes a good part of the
   * 50 ms a task may block input (the four take ~80 ms at depth 200 on the
   * benchmark machine), so a large result is drawn one chart per task; a
   * small one (the defaults: 4 schemes × 20 layers) in one go, within the
   * frame.  Resolves to false if a newer draw took over in between.
   */
  async function draw(force = false) {
    relabelDilemma ||= force;
    if (!last) return true;
    const me = ++drawing;
    const large = last.runs.length * last.s.i_depth > LARGE_DRAW;
    const goOn = async () => {
      if (large) await nextTask();
      return me === drawing;
    };
    const { s, hl, runs } = last;
    for (let i = 1; i <= 4; i++) q(`[data-key=i_s${i}] label`).textContent = t('ini.slot', { i });
    q('[data-act=recommend]').textContent = t('ini.recommend', { act: t(`act.${s.i_act}`), g: fmtNum(last.recommended) });
    const mem = q('[data-out=memory]');
    mem.hidden = last.refused === null;
    mem.textContent = last.refused === null ? '' : t('error.core', { msg: last.refused });

    setSeries(fwdChart, layerSeries(s.i_fwd), [t('ini.layer'), `${t(`stat.${s.i_fwd}`)} — ${t('ini.variance')}`]);
    if (!(await goOn())) return false;
    setSeries(bwdChart, layerSeries(s.i_bwd), [t('ini.layer'), `${t(`stat.${s.i_bwd}`)} — ${t('ini.variance')}`]);

    const ul = q('[data-out=summary]');
    ul.replaceChildren(...runs.map((r) => {
      const li = document.createElement('li');
      const lastRow = r.stats.layers[r.stats.layers.length - 1];
      li.textContent = t('ini.summary', {
        name: t(`init.${r.init}`), std: fmtNum(r.th.std), bound: r.th.bound === null ? '' : t('ini.bound', { b: fmtNum(r.th.bound) }),
        sw2: fmtNum(r.sw2), fwd: t(`stat.${s.i_fwd}`), fv: fmtNum(lastRow[s.i_fwd]), bwd: t(`stat.${s.i_bwd}`), bv: fmtNum(r.stats.layers[0][s.i_bwd]),
      });
      return li;
    }));
    q('[data-out=notheory]').textContent = runs.some((r) => r.init === 'constant') ? t('ini.noTheory') : '';

    if (!(await goOn())) return false;
    q('[data-out=histA]').textContent = t('ini.histA', { l: hl });
    q('[data-out=histG]').textContent = t('ini.histG', { l: hl });
    setSeries(histA, histSeries('a'), ['a', t('ini.density')]);
    if (!(await goOn())) return false;
    setSeries(histG, histSeries('gz'), ['∂ℓ/∂z', t('ini.density')]);

    const sym = q('[data-out=sym]');
    sym.replaceChildren(...runs.map((r) => {
      const li = document.createElement('li');
      const spread = Math.max(...r.stats.layers.map((row) => row.unit_spread));
      li.textContent = spread === 0 ? t('ini.symSame', { name: t(`init.${r.init}`) })
        : t('ini.symRow', { name: t(`init.${r.init}`), s: fmtNum(spread) });
      return li;
    }));

    // The Xavier charts depend on four controls only: most slider moves
    // leave them as they are.
    const key = [last.s.i_nin, last.s.i_nout, last.s.i_seed, last.s.i_dtype].join();
    if (relabelDilemma || key !== dilemmaDrawn) {
      drawDilemma();
      dilemmaDrawn = key;
      relabelDilemma = false;
    }
    return true;
  }

  function drawDilemma() {
    const { s, xn, xu, sample, uh } = last;
    const sig = Array.from({ length: 121 }, (_, i) => 10 ** (-3 + (3 * i) / 120));
    const xs = xn.std;
    setSeries(dilemma, [
      { label: t('ini.fwdFactor'), color: COLORS[0], points: points(sig, sig.map((v) => s.i_nin * v * v), true) },
      { label: t('ini.bwdFactor'), color: COLORS[1], points: points(sig, sig.map((v) => s.i_nout * v * v), true) },
      { label: t('ini.one'), color: COLORS[7], dash: [3, 3], width: 1, points: [{ x: 1e-3, y: 1 }, { x: 1, y: 1 }] },
      {
        label: t('ini.xavierPt'), color: COLORS[2], showLine: false, pointRadius: 6,
        points: [{ x: xs, y: s.i_nin * xs * xs }, { x: xs, y: s.i_nout * xs * xs }],
      },
    ], [t('ini.sigmaAxis'), t('ini.factorAxis')]);
    q('[data-out=dilemma]').textContent = t('ini.dilemmaReadout', {
      f: fmtNum(1 / Math.sqrt(s.i_nin)), b: fmtNum(1 / Math.sqrt(s.i_nout)), x: fmtNum(xs), x2: fmtNum(xs * xs),
      ff: fmtNum(s.i_nin * xs * xs), bf: fmtNum(s.i_nout * xs * xs),
    });

    const a = xu.bound;
    const nb = uh.counts.length;
    const w = (uh.hi - uh.lo) / nb;
    const total = sample.stats.count;
    const centers = Array.from({ length: nb }, (_, i) => uh.lo + (i + 0.5) * w);
    setSeries(uniform, [
      { label: t('ini.sampled'), color: COLORS[0], points: points(centers, Array.from(uh.counts, (c) => c / (total * w))) },
      {
        label: t('ini.densityLine'), color: COLORS[1], dash: [5, 4],
        points: [{ x: -1.15 * a, y: 0 }, { x: -a, y: 0 }, { x: -a, y: 1 / (2 * a) }, { x: a, y: 1 / (2 * a) }, { x: a, y: 0 }, { x: 1.15 * a, y: 0 }],
      },
    ], ['w', t('ini.density')]);
    const st = sample.stats;
    q('[data-out=uniform]').textContent = t('ini.uniformReadout', {
      a: fmtNum(a), v: fmtNum((a * a) / 3), count: st.count, mean: fmtNum(st.mean), sv: fmtNum(st.var), min: fmtNum(st.min), max: fmtNum(st.max),
    });
  }

  q('[data-act=recommend]').addEventListener('click', () => {
    ctx.setState('i_gdef', false);
    if (!last) return;
    ctx.setState('i_gain', Number(last.recommended.toPrecision(6)));
    sync();
  });
  q('[data-act=constant]').addEventListener('click', () => {
    ctx.setState('i_s4', 'constant');
    sync();
  });

  const update = jobUpdater(ctx, 'init', (data, snapshot) => {
    const runs = data.runs.map((r) => ({ ...r, color: COLORS[r.slot - 1] }));
    last = { ...data, runs, s: snapshot };
    return draw();
  });

  return { update, relabel: () => draw(true), sync };
}
