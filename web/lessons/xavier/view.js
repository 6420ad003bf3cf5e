// view.js — the Xavier lesson's view: the derivation as a table, one row a
// step (the formula as MathML and why it holds, the core's Monte-Carlo figure
// ± its standard error, the formula's value, agree/disagree), the controls
// and presets of "what breaks", and a histogram of the measured o.
import { t } from '../../i18n.js';
import { COLORS, fmtNum, lazyChart, points, setSeries } from '../../charts.js';
import { drawOnce } from '../../app/runtime.js';
import { MATHML } from '../../gen/xavier-math.mjs';
import { verdict } from './agree.js';

const CONTROLS = [
  { key: 'nin', labelKey: 'xav.nin', log: true },
  { key: 'nout', labelKey: 'xav.nout', log: true },
  { key: 'xs', kind: 'check', labelKey: 'xav.xs' },
  { key: 'sigma', labelKey: 'xav.sigma', log: true, step: 0.001 },
  { key: 'wd', kind: 'select', labelKey: 'xav.wd', optionKey: (v) => `xd.${v}` },
  { key: 'xd', kind: 'select', labelKey: 'xav.xd', optionKey: (v) => `xd.${v}` },
  { key: 'mu', labelKey: 'xav.mu', step: 0.1 },
  { key: 'gamma', labelKey: 'xav.gamma', step: 0.01 },
  { key: 'rhow', labelKey: 'xav.rhow', step: 0.05 },
  { key: 'rhox', labelKey: 'xav.rhox', step: 0.05 },
  { key: 'delta', labelKey: 'xav.delta', step: 0.01, log: true },
  { key: 'samples', labelKey: 'xav.samples', log: true, step: 1 },
  { key: 'seed', labelKey: 'ctl.seed', sliderMax: 1000 },
  { key: 'dtype', kind: 'select', labelKey: 'ctl.dtype', optionKey: (v) => `dtype.${v}` },
];

/** "What breaks" presets: d2l's assumptions, then one broken at a time. */
const ASSUMED = { wd: 'normal', xd: 'normal', mu: 0, gamma: 1, rhow: 0, rhox: 0 };
const PRESETS = {
  d2l: ASSUMED,
  relu: { ...ASSUMED, xd: 'relu_normal' },
  mean: { ...ASSUMED, mu: 1 },
  corrx: { ...ASSUMED, rhox: 1 },
  corrwx: { ...ASSUMED, nin: 16, rhow: 0.5, rhox: 0.5, samples: 100000 },
  shared: { ...ASSUMED, nin: 16, rhow: 1, mu: 0.5, samples: 100000 },
};

/**
 * The rows, in the chapter's order.  `mc`: the measured figure and its SE
 * (names of XAVIER_STATS) and the formula's value it is checked against;
 * `value`: what a row without a Monte-Carlo figure shows.
 */
const ROWS = [
  { key: 'model' },
  { key: 'mean', mc: (S) => [S.o_mean, S.o_mean_se, S.th_o_mean] },
  { key: 'varD2l', mc: (S) => [S.o_var, S.o_var_se, S.th_o_var_d2l] },
  { key: 'varInd', mc: (S) => [S.o_var, S.o_var_se, S.th_o_var_ind] },
  { key: 'varDep', mc: (S) => [S.o_var, S.o_var_se, S.th_o_var] },
  { key: 'xsq', mc: (S) => [S.x_sq, S.x_sq_se, S.th_x_sq] },
  { key: 'fwd', value: (S) => t('xav.factor', { f: fmtNum(S.fwd_factor) }), one: (S) => S.fwd_factor },
  { key: 'bwd', mc: (S) => [S.g_var, S.g_var_se, S.th_g_var] },
  { key: 'compromise', value: (S) => t('xav.factors', { f: fmtNum(S.fwd_factor), b: fmtNum(S.bwd_factor) }) },
  // the sampled weights' variance against σ² (a²/3 for a uniform w)
  { key: 'uniform', mc: (S) => [S.w_var, S.w_var_se, S.sigma * S.sigma], value: (S) => t('xav.bound', { s: fmtNum(S.xavier_sigma), a: fmtNum(S.xavier_bound) }) },
];

const TEMPLATE = `
  <h2 data-i18n="xav.title"></h2>
  <p class="prose" data-i18n-html="xav.intro"></p>
  <div class="controls" data-box="main" data-ctl="main"></div>
  <div class="buttons" data-ctl="presets"><span data-i18n="xav.presets"></span>${Object.keys(PRESETS).map((k) =>
    `<button type="button" data-preset="${k}" data-i18n="xav.p.${k}"></button>`).join('')}</div>
  <div data-fig="table" data-fig-ctl="main presets">
  <p class="error" data-out="refused" data-job="derive" hidden></p>
  <p class="readout" data-out="setup" data-job="derive" aria-live="polite"></p>
  <div class="derivation" data-job="derive">
    <table class="derivation">
      <caption data-i18n="xav.tableCaption"></caption>
      <thead><tr>${['step', 'formula', 'measured', 'value', 'verdict'].map((c) =>
        `<th scope="col" data-i18n="xav.col.${c}"></th>`).join('')}</tr></thead>
      <tbody>${ROWS.map(({ key }, i) => `<tr data-row="${key}"><th scope="row">${i + 1}</th>
        <td><div class="math">${MATHML[key]}</div><div class="why" data-i18n="xav.row.${key}"></div></td>
        <td class="num" data-cell="measured"></td><td class="num" data-cell="value"></td><td data-cell="verdict"></td></tr>`).join('')}
      </tbody>
    </table>
  </div>
  <p class="note" data-out="same"></p>
  <p class="note" data-out="honest"></p>
  </div>
  <div data-fig="hist" data-fig-ctl="main presets">
    <h3 data-out="histTitle"></h3>
    <div class="chart-box small" data-job="derive"><canvas data-chart="hist" role="img" data-i18n-title="xav.histAria"></canvas></div>
  </div>
  <details class="prose" open><summary data-i18n="xav.textTitle"></summary><div data-i18n-html="xav.text"></div></details>
`;

/** Builds the view into ctx.root; returns {draw}. */
export function createView(ctx) {
  const { root } = ctx;
  root.innerHTML = TEMPLATE;
  const q = (sel) => root.querySelector(sel);
  const main = ctx.controls(q('[data-box=main]'), CONTROLS);
  const hist = lazyChart(q('[data-chart=hist]'), { xLabel: () => 'o' });
  const once = drawOnce();

  for (const b of root.querySelectorAll('[data-preset]')) {
    b.addEventListener('click', () => {
      ctx.setMany(PRESETS[b.dataset.preset]);
      main.sync();
    });
  }

  function drawRows(S) {
    for (const row of ROWS) {
      const tr = q(`tr[data-row=${row.key}]`);
      const cell = (c) => tr.querySelector(`[data-cell=${c}]`);
      delete tr.dataset.agree;
      if (!S) {
        for (const c of ['measured', 'value', 'verdict']) cell(c).textContent = '';
        continue;
      }
      if (row.mc) {
        const [m, se, f] = row.mc(S);
        const v = verdict(m, se, f);
        tr.dataset.agree = v.agree ? '1' : '0';
        Object.assign(tr.dataset, { m: String(m), se: String(se), f: String(f) });
        cell('measured').textContent = t(row.key === 'uniform' ? 'xav.measuredVarW' : 'xav.pm', { m: fmtNum(m), se: fmtNum(se) });
        cell('value').textContent = row.value ? `${fmtNum(f)} (${row.value(S)})` : fmtNum(f);
        cell('verdict').textContent = t(v.agree ? 'xav.agree' : 'xav.disagree', { z: fmtNum(Number(v.z.toPrecision(2))) });
        cell('verdict').className = v.agree ? 'ok' : 'bad';
      } else {
        cell('measured').textContent = row.value ? t('xav.none') : '';
        cell('value').textContent = row.value ? row.value(S) : '';
        const one = row.one ? Math.abs(row.one(S) - 1) < 1e-9 : null;
        cell('verdict').textContent = one === null ? '' : t(one ? 'xav.isOne' : 'xav.notOne');
        cell('verdict').className = one === null ? '' : one ? 'ok' : 'bad';
      }
    }
  }

  function drawAll({ data, input: s }) {
    const { stats: S, hist: h, refused } = data;
    const ref = q('[data-out=refused]');
    ref.hidden = refused === null;
    ref.textContent = refused === null ? '' : t('error.core', { msg: refused });
    drawRows(S);
    if (!S) {
      for (const k of ['setup', 'same', 'honest', 'histTitle']) q(`[data-out=${k}]`).textContent = '';
      return;
    }
    q('[data-out=setup]').textContent = t('xav.setup', {
      sigma: fmtNum(S.sigma), xavier: s.xs ? t('xav.isXavier') : '', xm: fmtNum(S.th_x_mean), xv: fmtNum(S.th_x_var),
      samples: s.samples, nin: s.nin, nout: s.nout, dtype: s.dtype,
    });
    q('[data-out=same]').textContent = S.th_o_var === S.th_o_var_d2l && S.th_o_var_ind === S.th_o_var_d2l ? t('xav.sameAsD2l') : '';
    q('[data-out=honest]').textContent = t('xav.honest', { s: fmtNum(S.sigma), f: fmtNum(S.fwd_factor), b: fmtNum(S.bwd_factor) });
    q('[data-out=histTitle]').textContent = t('xav.histTitle', { n: s.samples });
    const nb = h.counts.length;
    const w = (h.hi - h.lo) / nb;
    const xs = Array.from({ length: nb }, (_, i) => h.lo + (i + 0.5) * w);
    setSeries(hist(), [
      { label: t('xav.series.o'), color: COLORS[0], points: points(xs, Array.from(h.counts, (c) => c / (s.samples * w))) },
    ], ['o', t('xav.density')]);
  }

  return {
    draw({ results, relabel }) {
      if (relabel) once.reset();
      once('derive', [results.derive], () => drawAll(results.derive));
    },
  };
}
