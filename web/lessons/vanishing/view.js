// view.js — the Vanishing lesson's view: an activation and its gradient
// (d2l's sigmoid figure) and the gradient that survives a chain of them.
import { t } from '../../i18n.js';
import { COLORS, coincideText, fmtNum, lineChart, points, setSeries } from '../../charts.js';
import { drawOnce } from '../../app/runtime.js';

const CURVE_CONTROLS = [
  { key: 'act', kind: 'select', labelKey: 'van.act', optionKey: (v) => `act.${v}` },
  { key: 'dtype', kind: 'select', labelKey: 'ctl.dtype', optionKey: (v) => `dtype.${v}` },
];
const CHAIN_CONTROLS = [
  { key: 'depth', labelKey: 'van.depth' },
  { key: 'dist', kind: 'select', labelKey: 'van.dist', optionKey: (v) => `dist.${v}` },
  { key: 'mu', labelKey: 'van.mu', step: 0.1 },
  { key: 'sd', labelKey: 'van.sd', step: 0.01, log: true },
  { key: 'samples', labelKey: 'van.samples', log: true, step: 1 },
  { key: 'seed', labelKey: 'ctl.seed', sliderMax: 1000 },
];

const TEMPLATE = `
  <h2 data-i18n="van.title"></h2>
  <p class="prose" data-i18n-html="van.intro"></p>
  <div data-fig="curve">
    <div class="controls" data-box="curve" data-ctl="curve"></div>
    <div class="chart-box" data-job="curve"><canvas data-chart="curve" role="img" data-i18n-title="van.curveAria"></canvas></div>
    <p class="readout" data-out="curve" aria-live="polite"></p>
    <p class="note" data-out="note"></p>
  </div>
  <div data-fig="chain">
    <h3 data-i18n="van.chainTitle"></h3>
    <p class="prose" data-i18n="van.chainIntro"></p>
    <div class="controls" data-box="chain" data-ctl="chain"></div>
    <div class="chart-box" data-job="chain"><canvas data-chart="chain" role="img" data-i18n-title="van.chainAria"></canvas></div>
    <p class="readout" data-out="chain" aria-live="polite"></p>
    <p class="note" data-out="coincide" aria-live="polite" hidden></p>
    <p class="hint prose" data-i18n="van.chainHint"></p>
  </div>
  <details class="prose" open><summary data-i18n="van.textTitle"></summary><div data-i18n-html="van.text"></div></details>
`;

/** Builds the view into ctx.root; returns {draw}. */
export function createView(ctx) {
  const { root } = ctx;
  root.innerHTML = TEMPLATE;
  const q = (sel) => root.querySelector(sel);
  ctx.controls(q('[data-box=curve]'), CURVE_CONTROLS);
  ctx.controls(q('[data-box=chain]'), CHAIN_CONTROLS);

  const curveChart = lineChart(q('[data-chart=curve]'), {
    xTitle: 'x',
    datasets: [
      { label: '', color: COLORS[0] },
      { label: '', color: COLORS[1], dash: [6, 4] },
    ],
  });
  // Three line patterns, so series that coincide stay apart (dotted best
  // case, dashed mean, both drawn over the thick solid median): with sigmoid
  // the mean and median draw as one line, with ReLU the best case and median.
  const coincide = q('[data-out=coincide]');
  const chainChart = lineChart(q('[data-chart=chain]'), {
    yLog: true,
    xLabel: () => 'L',
    datasets: [
      { label: '', color: COLORS[7], dash: [2, 3] },
      { label: '', color: COLORS[1], dash: [8, 4] },
      { label: '', color: COLORS[0], width: 3 },
    ],
    onCoincide(pairs) {
      coincide.textContent = coincideText(chainChart, pairs);
      coincide.hidden = !pairs.length;
    },
  });
  const once = drawOnce();

  function drawCurve({ data: curve, input: s }) {
    setSeries(curveChart, [
      { label: t(`leg.${s.act}`), points: points(curve.x, curve.y) },
      { label: t('van.series.grad'), points: points(curve.x, curve.grad) },
    ], ['x', t('van.yTitle')]);
    const i = curve.argmax;
    q('[data-out=curve]').textContent = t('van.readout', {
      max: fmtNum(curve.grad[i]), x: fmtNum(curve.x[i]), dtype: s.dtype,
    });
    q('[data-out=note]').textContent = s.act === 'sigmoid' ? t('van.sigmoidNote') : '';
  }

  function drawChain({ data: chain, input: s }) {
    const L = Array.from({ length: s.depth }, (_, k) => k + 1);
    setSeries(chainChart, [
      { label: t('van.series.bound'), points: points(L, chain.bound, true) },
      { label: t('van.series.mean'), points: points(L, chain.mean, true) },
      { label: t('van.series.median'), points: points(L, chain.median, true) },
    ], [t('van.layers'), t('van.gradAxis')]);
    const k = s.depth - 1;
    let text = t('van.chainReadout', {
      L: s.depth, bound: fmtNum(chain.bound[k]), median: fmtNum(chain.median[k]), mean: fmtNum(chain.mean[k]),
    });
    if (chain.zero[k] > 0) text += ' ' + t('van.zeroReadout', { pct: fmtNum(100 * chain.zero[k]) });
    q('[data-out=chain]').textContent = text;
  }

  return {
    draw({ results, relabel }) {
      if (relabel) once.reset();
      once('curve', [results.curve], () => drawCurve(results.curve));
      once('chain', [results.chain], () => drawChain(results.chain));
    },
  };
}
