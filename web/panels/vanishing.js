// vanishing.js — the Vanishing-gradient panel: an activation and its gradient
// (d2l's sigmoid figure) and the gradient that survives a chain of them.
import { ACTIVATIONS, DISTS, DTYPES } from '../core.js';
import { t } from '../i18n.js';
import { COLORS, fmtNum, lineChart, points, setSeries } from '../charts.js';
import { buildControls, jobUpdater } from './panel.js';

export const schema = {
  v_act: { type: 'enum', values: ACTIVATIONS, default: 'sigmoid' },
  v_dtype: { type: 'enum', values: DTYPES, default: 'float32' },
  v_depth: { type: 'int', min: 1, max: 100, default: 20 },
  v_dist: { type: 'enum', values: DISTS, default: 'normal' },
  v_mu: { type: 'float', min: -10, max: 10, default: 0 },
  v_sd: { type: 'float', min: 0.01, max: 10, default: 1 },
  v_samples: { type: 'int', min: 100, max: 100000, default: 2000 },
  v_seed: { type: 'int', min: 0, max: 2 ** 31 - 1, default: 0 },
};

const CURVE_CONTROLS = [
  { key: 'v_act', kind: 'select', labelKey: 'van.act', optionKey: (v) => `act.${v}` },
  { key: 'v_dtype', kind: 'select', labelKey: 'ctl.dtype', optionKey: (v) => `dtype.${v}` },
];
const CHAIN_CONTROLS = [
  { key: 'v_depth', labelKey: 'van.depth' },
  { key: 'v_dist', kind: 'select', labelKey: 'van.dist', optionKey: (v) => `dist.${v}` },
  { key: 'v_mu', labelKey: 'van.mu', step: 0.1 },
  { key: 'v_sd', labelKey: 'van.sd', step: 0.01, log: true },
  { key: 'v_samples', labelKey: 'van.samples', log: true, step: 1 },
  { key: 'v_seed', labelKey: 'ctl.seed', sliderMax: 1000 },
];

const TEMPLATE = `
  <h2 data-i18n="van.title"></h2>
  <p data-i18n-html="van.intro"></p>
  <div class="controls" data-box="curve"></div>
  <div class="chart-box"><canvas data-chart="curve" role="img" data-i18n-title="van.curveAria"></canvas></div>
  <p class="readout" data-out="curve" aria-live="polite"></p>
  <p class="note" data-out="note"></p>
  <h3 data-i18n="van.chainTitle"></h3>
  <p data-i18n="van.chainIntro"></p>
  <div class="controls" data-box="chain"></div>
  <div class="chart-box"><canvas data-chart="chain" role="img" data-i18n-title="van.chainAria"></canvas></div>
  <p class="readout" data-out="chain" aria-live="polite"></p>
  <p class="hint" data-i18n="van.chainHint"></p>
  <details open><summary data-i18n="van.textTitle"></summary><div data-i18n-html="van.text"></div></details>
`;

/** Builds the panel into ctx.root; returns {update, relabel, sync}. */
export function createVanishing(ctx) {
  const { root } = ctx;
  root.innerHTML = TEMPLATE;
  const q = (sel) => root.querySelector(sel);
  const curveCtl = buildControls(q('[data-box=curve]'), schema, CURVE_CONTROLS, ctx);
  const chainCtl = buildControls(q('[data-box=chain]'), schema, CHAIN_CONTROLS, ctx);

  const curveChart = lineChart(q('[data-chart=curve]'), {
    xTitle: 'x',
    datasets: [
      { label: '', color: COLORS[0] },
      { label: '', color: COLORS[1], dash: [6, 4] },
    ],
  });
  const chainChart = lineChart(q('[data-chart=chain]'), {
    yLog: true,
    xLabel: () => 'L',
    datasets: [
      { label: '', color: COLORS[7], dash: [4, 4] },
      { label: '', color: COLORS[1] },
      { label: '', color: COLORS[0], width: 3 },
    ],
  });

  let last = null; // the latest results, kept so a language change redraws labels only

  function draw() {
    if (!last) return;
    const { curve, chain, state: s } = last;
    setSeries(curveChart, [
      { label: t(`leg.${s.v_act}`), points: points(curve.x, curve.y) },
      { label: t('van.series.grad'), points: points(curve.x, curve.grad) },
    ], ['x', t('van.yTitle')]);
    const i = curve.argmax;
    q('[data-out=curve]').textContent = t('van.readout', {
      max: fmtNum(curve.grad[i]), x: fmtNum(curve.x[i]), dtype: s.v_dtype,
    });
    q('[data-out=note]').textContent = s.v_act === 'sigmoid' ? t('van.sigmoidNote') : '';

    const L = Array.from({ length: s.v_depth }, (_, k) => k + 1);
    setSeries(chainChart, [
      { label: t('van.series.bound'), points: points(L, chain.bound, true) },
      { label: t('van.series.mean'), points: points(L, chain.mean, true) },
      { label: t('van.series.median'), points: points(L, chain.median, true) },
    ], [t('van.layers'), t('van.gradAxis')]);
    const k = s.v_depth - 1;
    let text = t('van.chainReadout', {
      L: s.v_depth, bound: fmtNum(chain.bound[k]), median: fmtNum(chain.median[k]), mean: fmtNum(chain.mean[k]),
    });
    if (chain.zero[k] > 0) text += ' ' + t('van.zeroReadout', { pct: fmtNum(100 * chain.zero[k]) });
    q('[data-out=chain]').textContent = text;
  }

  const update = jobUpdater(ctx, 'vanishing', (data, snapshot) => {
    last = { ...data, state: snapshot };
    draw();
  });

  return {
    update,
    relabel: draw,
    sync: () => { curveCtl.sync(); chainCtl.sync(); },
  };
}
