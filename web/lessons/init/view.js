// view.js — the Initialization lesson's view: up to four torch.nn.init
// schemes side by side through the per-layer statistics of a deep MLP
// (forward and backward, with the mean-field theory), histograms at a chosen
// layer, the symmetry lesson, and the Xavier compromise.  Which statistic is
// plotted and which layer's histogram is shown are display-only: they redraw
// from the networks already computed.
import { t } from '../../i18n.js';
import { COLORS, coincideText, fmtNum, lazyChart, points, setLogY, setSeries } from '../../charts.js';
import { drawOnce, timeSlicer } from '../../app/runtime.js';
import { SLOTS } from './jobs.js';

/** Each slot's marker, on every 4th point of its line (about ten a line when deeper), where no other slot has one. */
const MARKS = ['circle', 'triangle', 'rect', 'rectRot'];
const markEvery = (slot, n) => {
  const every = Math.max(SLOTS.length, Math.ceil(n / 10));
  return { style: MARKS[slot - 1], radius: 3.5, every, at: (slot - 1) * Math.floor(every / SLOTS.length) };
};

/** An integer as superscript digits (10 and sup(3): 10³). */
const sup = (k) => String(k).replace(/[-0-9]/g, (c) => '⁻⁰¹²³⁴⁵⁶⁷⁸⁹'['-0123456789'.indexOf(c)]);

/** Statistics with a mean-field line: Var(z_l) forward, Var(∂ℓ/∂z_l) backward. */
const THEORY_OF = { z_var: 'zVar', grad_z_var: 'gradZVar' };
const NETS = SLOTS.map((i) => `net${i}`);
const NET_JOB = NETS.join(' ');

const slotItem = (i) => ({ key: `s${i}`, kind: 'select', labelKey: `ini.slot${i}`, optionKey: (v) => `init.${v}` });
const MAIN = [
  slotItem(1), slotItem(2), slotItem(3), slotItem(4),
  { key: 'act', kind: 'select', labelKey: 'ini.act', optionKey: (v) => `act.${v}` },
  { key: 'depth', labelKey: 'ini.depth' },
  { key: 'width', labelKey: 'ini.width', log: true },
  { key: 'batch', labelKey: 'ini.batch', log: true },
  { key: 'sigma', labelKey: 'ini.sigma', log: true, step: 0.001 },
  { key: 'gdef', kind: 'check', labelKey: 'ini.gainDefault' },
  { key: 'gain', labelKey: 'ini.gain', log: true, step: 0.001 },
  { key: 'value', labelKey: 'ini.value', step: 0.001 },
  { key: 'seed', labelKey: 'ctl.seed', sliderMax: 1000 },
  { key: 'dtype', kind: 'select', labelKey: 'ctl.dtype', optionKey: (v) => `dtype.${v}` },
  { key: 'fwd', kind: 'select', labelKey: 'ini.fwdStat', optionKey: (v) => `stat.${v}` },
  { key: 'bwd', kind: 'select', labelKey: 'ini.bwdStat', optionKey: (v) => `stat.${v}` },
];
const HIST = [
  { key: 'hl', labelKey: 'ini.histLayer' },
  { key: 'hlog', kind: 'check', labelKey: 'ini.histLog' },
];
const DILEMMA = [
  { key: 'nin', labelKey: 'ini.nin', log: true },
  { key: 'nout', labelKey: 'ini.nout', log: true },
];

const TEMPLATE = `
  <h2 data-i18n="ini.title"></h2>
  <p class="prose" data-i18n-html="ini.intro"></p>
  <div class="controls" data-box="main" data-ctl="main"></div>
  <div class="buttons" data-ctl="recommend"><button type="button" data-act="recommend" data-job="gain" data-i18n="ini.recommendPending"></button></div>
  <p class="error" data-out="memory" data-job="${NET_JOB}" hidden></p>
  <div class="grid2" data-job="${NET_JOB}">
    <div data-fig="fwd" data-fig-ctl="main recommend"><h3 data-i18n="ini.fwdTitle"></h3>
      <div class="chart-box"><canvas data-chart="fwd" role="img" data-i18n-title="ini.fwdAria"></canvas></div>
      <p class="note" data-out="fwdSame" aria-live="polite" hidden></p></div>
    <div data-fig="bwd" data-fig-ctl="main recommend"><h3 data-i18n="ini.bwdTitle"></h3>
      <div class="chart-box"><canvas data-chart="bwd" role="img" data-i18n-title="ini.bwdAria"></canvas></div>
      <p class="note" data-out="bwdSame" aria-live="polite" hidden></p></div>
  </div>
  <ul class="note" data-out="summary" data-job="${NET_JOB}" data-fig="fwd bwd"></ul>
  <p class="note" data-out="notheory" data-fig="fwd bwd"></p>
  <h3 data-i18n="ini.histTitle" data-fig="histA histG"></h3>
  <div class="controls" data-box="hist" data-ctl="hist"></div>
  <div class="grid2" data-job="${NET_JOB}">
    <div data-fig="histA" data-fig-ctl="main hist"><p class="note" data-out="histA"></p>
      <div class="chart-box small"><canvas data-chart="histA" role="img" data-i18n-title="ini.histAAria"></canvas></div>
      <p class="note" data-out="histANote"></p></div>
    <div data-fig="histG" data-fig-ctl="main hist"><p class="note" data-out="histG"></p>
      <div class="chart-box small"><canvas data-chart="histG" role="img" data-i18n-title="ini.histGAria"></canvas></div>
      <p class="note" data-out="histGNote"></p></div>
  </div>
  <h3 data-i18n="ini.symTitle"></h3>
  <p class="prose" data-i18n="ini.symIntro"></p>
  <ul data-out="sym" data-job="${NET_JOB}"></ul>
  <div class="buttons" data-ctl="constant"><button type="button" data-act="constant" data-i18n="ini.tryConstant"></button></div>
  <h3 data-i18n="ini.dilemmaTitle" data-fig="dilemma"></h3>
  <p class="prose" data-i18n="ini.dilemmaIntro" data-fig="dilemma"></p>
  <div class="controls" data-box="dilemma" data-ctl="dilemma"></div>
  <div class="grid2" data-job="xavier">
    <div data-fig="dilemma" data-fig-ctl="dilemma"><div class="chart-box small"><canvas data-chart="dilemma" role="img" data-i18n-title="ini.dilemmaAria"></canvas></div>
      <p class="readout" data-out="dilemma"></p></div>
    <div data-fig="uniform" data-fig-ctl="dilemma"><p class="note" data-i18n="ini.uniformTitle"></p>
      <div class="chart-box small"><canvas data-chart="uniform" role="img" data-i18n-title="ini.uniformAria"></canvas></div>
      <p class="readout" data-out="uniform"></p></div>
  </div>
  <details class="prose" open><summary data-i18n="ini.textTitle"></summary><div data-i18n-html="ini.text"></div></details>
`;

/** Builds the view into ctx.root; returns {draw}. */
export function createView(ctx) {
  const { root } = ctx;
  root.innerHTML = TEMPLATE;
  const q = (sel) => root.querySelector(sel);
  const main = ctx.controls(q('[data-box=main]'), MAIN);
  const hist = ctx.controls(q('[data-box=hist]'), HIST);
  const dil = ctx.controls(q('[data-box=dilemma]'), DILEMMA);
  const sync = () => { main.sync(); hist.sync(); dil.sync(); };
  // Slot labels carry their number: "Scheme 1" …; named from the start (a
  // select without a name while the first networks compute is unusable by
  // screen reader), relabelled with the language.
  const slotLabels = () => {
    for (const i of SLOTS) q(`[data-key=${ctx.globalKey(`s${i}`)}] label`).textContent = t('ini.slot', { i });
  };
  for (const i of SLOTS) {
    const label = q(`[data-key=${ctx.globalKey(`s${i}`)}] label`);
    delete label.dataset.i18n;
    label.dataset.slot = String(i);
  }
  slotLabels();

  // Charts are made on first use, inside the time-sliced drawing (lazyChart).
  // Two slots can draw one line (the same scheme twice, or schemes equal at
  // this setting): a note says so, and each slot's markers tell them apart.
  const sameNote = (name) => {
    const note = q(`[data-out=${name}Same]`);
    return function onCoincide(pairs) {
      note.textContent = coincideText(this, pairs);
      note.hidden = !pairs.length;
    };
  };
  const fwdChart = lazyChart(q('[data-chart=fwd]'), { yLog: true, xLabel: () => 'l', onCoincide: sameNote('fwd') });
  const bwdChart = lazyChart(q('[data-chart=bwd]'), { yLog: true, xLabel: () => 'l', onCoincide: sameNote('bwd') });
  // Densities on a linear axis by default, on a log axis as an option (hlog).
  const histA = lazyChart(q('[data-chart=histA]'), {});
  const histG = lazyChart(q('[data-chart=histG]'), {});
  const dilemma = lazyChart(q('[data-chart=dilemma]'), { yLog: true, xLog: true, xLabel: () => 'σ' });
  const uniform = lazyChart(q('[data-chart=uniform]'), {});
  const once = drawOnce();
  let recommended = null; // the gain the "recommended" button sets
  const newDrawing = timeSlicer();

  /** The networks on show: one entry per slot that is not 'none' and was not refused. */
  function networks(results) {
    const runs = [];
    for (const name of NETS) {
      const { data, input } = results[name];
      if (data.run) runs.push({ ...data.run, init: data.init, slot: data.slot, input, color: COLORS[data.slot - 1] });
    }
    return runs;
  }

  function layerSeries(runs, stat) {
    const out = [];
    for (const r of runs) {
      const L = r.stats.layers.map((row) => row.layer);
      const name = t(`init.${r.init}`);
      out.push({
        label: name, color: r.color, points: points(L, r.stats.layers.map((row) => row[stat]), true),
        pointStyle: MARKS[r.slot - 1], marks: markEvery(r.slot, L.length),
      });
      const key = THEORY_OF[stat];
      if (r.theory && key) {
        out.push({ label: `_${t('ini.theory', { name })}`, color: r.color, dash: [5, 4], width: 1.5, points: points(L, r.theory[key], true) });
      }
    }
    return out;
  }

  /** The layer the histograms show for a network: the chosen one, or its last if it is shallower. */
  const histLayer = (r, hl) => Math.min(hl, r.input.depth);

  /**
   * One density line per scheme at the chosen layer, and the note that says
   * how to read them.  Each histogram spans its own scheme's values (the core
   * takes the 0.1% and 99.9% quantiles as its range, HIST_TAIL), so one
   * scheme's gradients of 1e7 no longer squeeze another's of 1e-2 into a
   * spike at 0: a scheme whose values are 10^k times smaller than the widest
   * one's is drawn ×10^k, which its label says.  Densities are per unit of
   * the x drawn and over all of a scheme's values (the few left out make its
   * area a little under 1).  On a log axis an empty bin is drawn on the
   * axis's floor rather than as a gap, so the line stays whole.
   */
  function histSeries(runs, hl, which, log) {
    const hs = runs.filter((r) => r.stats.hists).map((r) => ({ r, h: r.stats.hists[histLayer(r, hl) - 1][which] }));
    const reach = ({ h }) => Math.max(Math.abs(h.lo), Math.abs(h.hi));
    const widest = Math.max(0, ...hs.map(reach));
    const lines = hs.map(({ r, h }) => {
      const k = reach({ h }) > 0 && widest / reach({ h }) >= 10 ? Math.floor(Math.log10(widest / reach({ h }))) : 0;
      const m = 10 ** k;
      const nb = h.counts.length;
      const w = (h.hi - h.lo) / nb || 1;
      const shown = h.counts.reduce((x, y) => x + y, 0);
      const xs = Array.from({ length: nb }, (_, i) => (h.lo + (i + 0.5) * w) * m);
      const ys = Array.from(h.counts, (c) => c / (h.n * w * m));
      return { r, k, xs, ys, left: h.n - shown, n: h.n };
    });
    let floor;
    if (log) {
      const least = Math.min(...lines.flatMap((l) => l.ys.filter((y) => y > 0)));
      floor = Number.isFinite(least) ? 10 ** Math.floor(Math.log10(least) - 1e-9) : 1;
    }
    const series = lines.map(({ r, k, xs, ys }) => ({
      label: k ? t('ini.histScaled', { name: t(`init.${r.init}`), k: sup(k) }) : t(`init.${r.init}`),
      color: r.color,
      points: log ? xs.map((x, i) => (ys[i] > 0 ? { x, y: ys[i] } : { x, y: floor, v: 0 })) : points(xs, ys),
    }));
    const note = [t('ini.histRange', {
      left: lines.map((l) => t('ini.histLeft', { name: t(`init.${l.r.init}`), m: l.left, n: l.n })).join(t('ini.listSep')),
    })];
    for (const l of lines) if (l.k) note.push(t('ini.histScaledNote', { name: t(`init.${l.r.init}`), k: sup(l.k) }));
    return { series, floor, note: lines.length ? note.join(' ') : '' };
  }

  /** Draws histogram chart `chart` (histA or histG) of `which` ('a' | 'gz') and its note. */
  function drawHist(chart, which, noteKey, xTitle, display, runs) {
    const { series, floor, note } = histSeries(runs, display.hl, which, display.hlog);
    setLogY(chart, display.hlog);
    chart.options.scales.y.min = display.hlog ? floor : undefined;
    setSeries(chart, series, [xTitle, t(display.hlog ? 'ini.densityLog' : 'ini.density')]);
    q(`[data-out=${noteKey}]`).textContent = note;
  }

  /**
   * Draws what changed, time-sliced (timeSlicer: after 12 ms of drawing the
   * browser handles input before the next chart; the four charts take ~80
   * ms at depth 200 on a loaded 2-core machine), so a small result on a quick
   * machine is drawn in one or two tasks and nothing blocks input for long.  Resolves to false
   * if a newer draw took over in between.
   */
  async function draw({ results, display, relabel }) {
    if (relabel) once.reset();
    const goOn = newDrawing();
    const nets = NETS.map((n) => results[n]);
    const runs = networks(results);
    const step = (name, deps, fn) => once(name, deps, fn);

    step('labels', [results.gain], () => {
      slotLabels();
      const { data, input } = results.gain;
      recommended = data.recommended;
      const button = q('[data-act=recommend]');
      delete button.dataset.i18n; // its text is this drawing's from now on
      button.disabled = recommended === null;
      button.textContent = recommended === null ? t('ini.noRecommend', { act: t(`act.${input.act}`) })
        : t('ini.recommend', { act: t(`act.${input.act}`), g: fmtNum(recommended) });
    });
    step('memory', nets, () => {
      const refused = nets.map((r) => r.data.refused).find((m) => m !== null);
      const mem = q('[data-out=memory]');
      mem.hidden = refused === undefined;
      mem.textContent = refused === undefined ? '' : t('error.core', { msg: refused });
    });
    step('fwd', [...nets, display.fwd], () => setSeries(fwdChart(), layerSeries(runs, display.fwd),
      [t('ini.layer'), `${t(`stat.${display.fwd}`)} — ${t('ini.variance')}`]));
    if (!(await goOn())) return false;
    step('bwd', [...nets, display.bwd], () => setSeries(bwdChart(), layerSeries(runs, display.bwd),
      [t('ini.layer'), `${t(`stat.${display.bwd}`)} — ${t('ini.variance')}`]));
    if (!(await goOn())) return false;
    step('summary', [...nets, display.fwd, display.bwd], () => {
      q('[data-out=summary]').replaceChildren(...runs.map((r) => {
        const li = document.createElement('li');
        const lastRow = r.stats.layers[r.stats.layers.length - 1];
        li.textContent = t('ini.summary', {
          name: t(`init.${r.init}`), std: fmtNum(r.th.std), bound: r.th.bound === null ? '' : t('ini.bound', { b: fmtNum(r.th.bound) }),
          sw2: fmtNum(r.sw2), fwd: t(`stat.${display.fwd}`), fv: fmtNum(lastRow[display.fwd]),
          bwd: t(`stat.${display.bwd}`), bv: fmtNum(r.stats.layers[0][display.bwd]),
        });
        return li;
      }));
      q('[data-out=notheory]').textContent = runs.some((r) => r.init === 'constant') ? t('ini.noTheory') : '';
    });
    if (!(await goOn())) return false;
    // The histograms' titles say the layer they show: the one drawn, never a newer slider value.
    const shownLayer = runs.length ? histLayer(runs[0], display.hl) : display.hl;
    step('histA', [...nets, display.hl, display.hlog], () => {
      q('[data-out=histA]').textContent = t('ini.histA', { l: shownLayer });
      drawHist(histA(), 'a', 'histANote', 'a', display, runs);
    });
    if (!(await goOn())) return false;
    step('histG', [...nets, display.hl, display.hlog], () => {
      q('[data-out=histG]').textContent = t('ini.histG', { l: shownLayer });
      drawHist(histG(), 'gz', 'histGNote', '∂ℓ/∂z', display, runs);
    });
    if (!(await goOn())) return false;
    step('sym', nets, () => {
      q('[data-out=sym]').replaceChildren(...runs.map((r) => {
        const li = document.createElement('li');
        const spread = Math.max(...r.stats.layers.map((row) => row.unit_spread));
        li.textContent = spread === 0 ? t('ini.symSame', { name: t(`init.${r.init}`) })
          : t('ini.symRow', { name: t(`init.${r.init}`), s: fmtNum(spread) });
        return li;
      }));
    });
    if (!(await goOn())) return false;
    dilemma(); // made in a slice of their own the first time
    if (!(await goOn())) return false;
    uniform();
    if (!(await goOn())) return false;
    step('dilemma', [results.xavier], () => drawDilemma(results.xavier));
    return true;
  }

  function drawDilemma({ data, input: s }) {
    const { xn, xu, sample, uh } = data;
    const sig = Array.from({ length: 121 }, (_, i) => 10 ** (-3 + (3 * i) / 120));
    const xs = xn.std;
    setSeries(dilemma(), [
      { label: t('ini.fwdFactor'), color: COLORS[0], points: points(sig, sig.map((v) => s.nin * v * v), true) },
      { label: t('ini.bwdFactor'), color: COLORS[1], points: points(sig, sig.map((v) => s.nout * v * v), true) },
      { label: t('ini.one'), color: COLORS[7], dash: [3, 3], width: 1, points: [{ x: 1e-3, y: 1 }, { x: 1, y: 1 }] },
      {
        label: t('ini.xavierPt'), color: COLORS[2], showLine: false, pointRadius: 6,
        points: [{ x: xs, y: s.nin * xs * xs }, { x: xs, y: s.nout * xs * xs }],
      },
    ], [t('ini.sigmaAxis'), t('ini.factorAxis')]);
    q('[data-out=dilemma]').textContent = t('ini.dilemmaReadout', {
      f: fmtNum(1 / Math.sqrt(s.nin)), b: fmtNum(1 / Math.sqrt(s.nout)), x: fmtNum(xs), x2: fmtNum(xs * xs),
      ff: fmtNum(s.nin * xs * xs), bf: fmtNum(s.nout * xs * xs),
    });

    const a = xu.bound;
    const nb = uh.counts.length;
    const w = (uh.hi - uh.lo) / nb;
    const total = sample.stats.count;
    const centers = Array.from({ length: nb }, (_, i) => uh.lo + (i + 0.5) * w);
    setSeries(uniform(), [
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
    if (recommended === null) return; // disabled: torch has no gain for this activation
    ctx.setState('gdef', false);
    ctx.setState('gain', Number(recommended.toPrecision(6)));
    sync();
  });
  q('[data-act=constant]').addEventListener('click', () => {
    ctx.setState('s4', 'constant');
    sync();
  });

  return { draw };
}
