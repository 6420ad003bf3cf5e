// view.js — the Exploding lesson's view: d2l's product of 100 random 4×4
// matrices, animated one multiplication per frame, with the measured norm next
// to the two theoretical growth rates and a fan of independent trials.  The
// lesson opens at k = 0, paused, as its text says ("Press play"); the
// animation's position k survives every change that leaves the trajectory as
// it is (speed, number of trials).  Under prefers-reduced-motion nothing
// moves by itself: Play shows every step at once, Step goes one at a time.
import { t } from '../../i18n.js';
import { COLORS, fmtNum, lineChart, points, setBundle, setSeries } from '../../charts.js';
import { el } from '../../controls.js';
import { torchFormatter, torchScalar } from '../../torchprint.js';
import { FLT_MAX } from '../../format.js';
import { onMotionChange, reducedMotion } from '../../theme.js';

const LAYOUT = [
  { key: 'n', labelKey: 'exp.n' },
  { key: 'sigma', labelKey: 'exp.sigma', log: true, step: 0.001 },
  { key: 'steps', labelKey: 'exp.steps' },
  { key: 'seed', labelKey: 'ctl.seed', sliderMax: 1000 },
  { key: 'dtype', kind: 'select', labelKey: 'ctl.dtype', optionKey: (v) => `dtype.${v}` },
  { key: 'ensemble', kind: 'select', labelKey: 'exp.ensemble', optionKey: (v) => `ens.${v}` },
  { key: 'trials', labelKey: 'exp.trials' },
  { key: 'speed', labelKey: 'exp.speed', log: true, unitKey: 'exp.speedUnit' },
];

const DBL_MAX = Number.MAX_VALUE;
/** Most points a line of the fan is drawn with. */
const FAN_POINTS = 250;

const TEMPLATE = `
  <h2 data-i18n="exp.title"></h2>
  <p class="prose" data-i18n-html="exp.intro"></p>
  <div data-fig="norms">
    <div class="controls" data-box="ctl" data-ctl="ctl"></div>
    <div class="buttons" data-ctl="play">
      <button type="button" data-act="play"></button>
      <button type="button" data-act="step" data-i18n="exp.step"></button>
      <button type="button" data-act="reset" data-i18n="exp.reset"></button>
      <button type="button" data-act="critical" data-i18n="exp.setCritical"></button>
      <button type="button" data-act="invsqrt" data-i18n="exp.setInvSqrt"></button>
    </div>
    <div class="chart-box" data-job="traj fan"><canvas data-chart="norm" role="img" data-i18n-title="exp.chartAria"></canvas></div>
    <p class="readout" data-out="now" aria-live="off"></p>
    <p class="visually-hidden" role="status" data-out="anim"></p>
    <p class="readout" data-out="overflow"></p>
    <p class="note" data-out="theory"></p>
    <p class="note" data-out="fan"></p>
  </div>
  <div class="grid2" data-job="traj" data-fig="matrices" data-fig-ctl="ctl play">
    <div><h3 data-out="curTitle"></h3><p class="note" data-out="corner"></p><table class="matrix" data-out="cur"></table></div>
    <div><h3 data-i18n="exp.first"></h3><p class="note" data-out="corner0"></p><table class="matrix" data-out="first"></table></div>
  </div>
  <details class="prose" open><summary data-i18n="exp.textTitle"></summary><div data-i18n-html="exp.text"></div></details>
`;

/** Builds the view into ctx.root; returns {draw}. */
export function createView(ctx) {
  const { root } = ctx;
  root.innerHTML = TEMPLATE;
  const q = (sel) => root.querySelector(sel);
  const controls = ctx.controls(q('[data-box=ctl]'), LAYOUT);
  const playButton = q('[data-act=play]');
  const labelPlay = () => { playButton.textContent = t(playing ? 'exp.pause' : 'exp.play'); };
  const chart = lineChart(q('[data-chart=norm]'), {
    yLog: true,
    xLabel: () => 'k',
    datasets: [],
  });

  let run = null; // the trajectory on show, its theory and its series
  let first = true; // no trajectory shown yet
  let fanRun = null; // the fan on show and its series
  let k = 0; // how many multiplications are shown
  let playing = false;
  let lastTime = 0;
  let carry = 0;
  labelPlay(); // named from the start, not at the first drawing

  /** Says what the animation did in the status line (a screen reader announces it; it stays quiet while playing). */
  const announce = (key, params = {}) => {
    q('[data-out=anim]').textContent = t(key, { k, n: run ? run.steps : 0, readout: run ? readoutText() : '', ...params });
  };
  const readoutText = () => t('exp.readout', { k, norm: torchScalar(run.traj.norms[k]) });

  /** Turns the trajectory job's result into the series the chart reveals step by step. */
  function prepareTraj(result) {
    const { data, input: s } = result;
    const { traj, theory } = data;
    const ks = Array.from({ length: s.steps + 1 }, (_, i) => i);
    const n0 = traj.norms[0];
    run = {
      ...data, s, n: s.n, steps: s.steps, ks, result,
      measured: points(ks, traj.norms, true),
      typical: points(ks, ks.map((i) => n0 * Math.exp(theory.typical * i)), true),
      rms: points(ks, ks.map((i) => n0 * Math.exp(theory.rms * i)), true),
    };
    // The first trajectory opens at k = 0 for Play (unless there is no Play
    // button); a later one is shown whole (Play replays it), and one arriving
    // during the animation keeps the animation's place.
    k = first && ctx.controlsShown ? 0 : playing ? Math.min(k, s.steps) : s.steps;
    first = false;
    chart.options.scales.x.min = 0;
    chart.options.scales.x.max = s.steps;
  }

  /** The fan's lines keep one point in `stride` (and the last): no more than
   *  FAN_POINTS a line, about one per pixel column of the chart — 200 trials ×
   *  1000 steps drawn point by point took a whole long task. */
  function prepareFan(result) {
    const { data, input: s } = result;
    const ks = Array.from({ length: s.steps + 1 }, (_, i) => i);
    const { fan } = data;
    const stride = Math.max(1, Math.ceil((s.steps + 1) / FAN_POINTS));
    const thin = (line) => {
      const out = [];
      for (let i = 0; i <= s.steps; i += stride) out.push({ x: i, y: Math.exp(line[i]) });
      if (s.steps % stride) out.push({ x: s.steps, y: Math.exp(line[s.steps]) });
      return out;
    };
    fanRun = {
      result, trials: data.trials, asked: s.trials, shown: !!fan, stride,
      mean: fan ? points(ks, Array.from(fan.meanLog, Math.exp), true) : [],
      lines: fan ? fan.fan.map(thin) : [],
    };
  }

  /** The b×b block at `offset` as torch prints that block: one formatter (mode and
   *  digits) for all its cells; the table aligns the columns, so torch's padding is dropped. */
  function matrixTable(table, values, b, offset) {
    table.replaceChildren();
    const cells = values.slice(offset, offset + b * b);
    const fmt = torchFormatter(cells);
    for (let i = 0; i < b; i++) {
      const tr = el('tr');
      for (let j = 0; j < b; j++) {
        const v = cells[i * b + j];
        const td = el('td', Number.isFinite(v) ? {} : { class: 'bad' });
        td.textContent = fmt.format(v).trimStart();
        tr.append(td);
      }
      table.append(tr);
    }
  }

  function render() {
    if (!run || !fanRun) return;
    const { s, traj, theory, block, n } = run;
    const ov = traj.overflowStep;
    const upto = (arr) => arr.slice(0, k + 1);
    const series = [
      { label: t('exp.series.measured', { dtype: s.dtype }), color: COLORS[1], width: 3, points: upto(run.measured) },
      { label: t('exp.series.typical'), color: COLORS[2], dash: [6, 4], points: run.typical },
      { label: t('exp.series.rms'), color: COLORS[3], dash: [2, 3], points: run.rms },
      { label: fanRun.trials === 1 ? t('exp.series.meanOne') : t('exp.series.mean', { T: fanRun.trials }), color: COLORS[0], width: 2, points: upto(fanRun.mean), hidden: !fanRun.shown },
      {
        label: ov === null ? '_overflow' : t('exp.series.overflow'), color: COLORS[1], showLine: false, pointRadius: 9, pointStyle: 'crossRot', width: 3,
        points: ov !== null && k >= ov ? [lastFinitePoint(run.measured, ov)] : [],
      },
    ];
    // the thinned lines up to k (their points are every stride-th step)
    const fanUpto = (line) => (k >= run.steps ? line : line.slice(0, Math.floor(k / fanRun.stride) + 1));
    setBundle(chart, fanRun.lines.map(fanUpto), { color: '--chart-fan', width: 1 });
    setSeries(chart, series, [t('exp.k'), t('exp.normAxis')]);

    q('[data-out=now]').textContent = readoutText();
    const over = q('[data-out=overflow]');
    if (ov !== null && k >= ov) {
      const bad = traj.last.some(Number.isNaN) || (k < run.steps && Number.isNaN(traj.traj[k * block * block]));
      over.textContent = t('exp.overflow', {
        k: ov, what: bad ? 'inf / nan' : 'inf', dtype: s.dtype, max: torchScalar(s.dtype === 'float32' ? FLT_MAX : DBL_MAX),
      });
      over.classList.add('overflow');
    } else {
      over.textContent = ov === null && k === run.steps ? t('exp.noOverflow', { dtype: s.dtype }) : '';
      over.classList.remove('overflow');
    }
    q('[data-out=theory]').textContent = s.ensemble === 'orthogonal'
      ? t('exp.theoryOrth', { l: fmtNum(theory.typical) })
      : t('exp.theory', {
        typ: fmtNum(Math.exp(theory.typical)), ltyp: fmtNum(theory.typical), rms: fmtNum(Math.exp(theory.rms)),
        lrms: fmtNum(theory.rms), crit: fmtNum(theory.critical_sigma), inv: fmtNum(1 / Math.sqrt(n)),
      });
    q('[data-out=fan]').textContent = fanRun.trials < fanRun.asked ? t('exp.fanThinned', { T: fanRun.trials, asked: fanRun.asked }) : '';
    q('[data-out=curTitle]').textContent = t('exp.current', { k });
    const corner = block < n ? t('exp.corner', { b: block, n }) : '';
    q('[data-out=corner]').textContent = corner;
    q('[data-out=corner0]').textContent = corner;
    matrixTable(q('[data-out=cur]'), traj.traj, block, k * block * block);
    matrixTable(q('[data-out=first]'), traj.traj, block, 0);
    labelPlay();
  }

  function frame(now) {
    if (!playing) return;
    const dt = lastTime ? (now - lastTime) / 1000 : 0;
    lastTime = now;
    carry += dt * ctx.state.speed;
    const advance = Math.floor(carry);
    if (advance > 0) {
      carry -= advance;
      k = Math.min(run.steps, k + advance);
      render();
    }
    if (k >= run.steps) {
      playing = false;
      render();
      announce('exp.status.done');
      return;
    }
    requestAnimationFrame(frame);
  }

  function play() {
    if (playing) {
      playing = false;
      render();
      announce('exp.status.paused');
      return;
    }
    if (reducedMotion()) { // no frames: the whole product at once
      k = run.steps;
      render();
      announce('exp.status.all');
      return;
    }
    if (k >= run.steps) k = 0;
    announce('exp.status.playing');
    playing = true;
    lastTime = 0;
    carry = 1; // show the first multiplication at once
    render();
    requestAnimationFrame(frame);
  }

  playButton.addEventListener('click', () => { if (run) play(); });
  q('[data-act=step]').addEventListener('click', () => {
    if (!run) return;
    playing = false;
    k = Math.min(run.steps, k + 1);
    render();
    announce('exp.status.paused');
  });
  q('[data-act=reset]').addEventListener('click', () => {
    playing = false;
    k = 0;
    render();
    if (run) announce('exp.status.paused');
  });
  // Asked for reduced motion while playing: it stops where it is.
  onMotionChange((reduced) => {
    if (reduced && playing && run) {
      playing = false;
      render();
      announce('exp.status.paused');
    }
  });
  const setSigma = (v) => {
    ctx.setState('sigma', Number(v.toPrecision(6)));
    controls.sync();
  };
  q('[data-act=critical]').addEventListener('click', () => { if (run) setSigma(run.theory.critical_sigma); });
  q('[data-act=invsqrt]').addEventListener('click', () => setSigma(1 / Math.sqrt(ctx.state.n)));

  return {
    draw({ results, relabel }) {
      const fresh = !run || results.traj !== run.result || !fanRun || results.fan !== fanRun.result;
      if (!run || results.traj !== run.result) prepareTraj(results.traj);
      if (!fanRun || results.fan !== fanRun.result) prepareFan(results.fan);
      // The speed (display-only) shows in nothing drawn: only the next frames' pace.
      if (fresh || relabel) render();
      if (relabel) labelPlay();
    },
  };
}

/** The last point before step `ov` that a log axis can show (where the overflow marker goes). */
function lastFinitePoint(measured, ov) {
  for (let i = Math.min(ov, measured.length - 1); i >= 0; i--) {
    if (measured[i].y !== null) return { x: ov, y: measured[i].y };
  }
  return { x: ov, y: 1 };
}
