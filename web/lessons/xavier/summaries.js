// What the Xavier lesson's figures show, for a reader who does not see them
// (web/app/readers.js): per figure a static line on how to read it and a
// sentence from the numbers on show.
import { addMessages, t } from '../../i18n.js';
import { fmtNum } from '../../app/summary.js';

addMessages({
  en: {
    'xav.what.table': 'What you are looking at: one row per step of the derivation; each row gives the formula, the value the core measured by sampling (± its standard error), the value the formula gives, and whether the two agree within 3 standard errors.',
    'xav.what.hist': 'What you are looking at: a histogram of one output o_i over many random draws; left to right the value of o, up how often it occurs (density).',
    'xav.sum.table': '{agree} of {n} measured steps agree with their formula within 3 standard errors.',
    'xav.sum.tableBad': '{agree} of {n} measured steps agree with their formula within 3 standard errors; steps {bad} disagree.',
    'xav.sum.tableNone': 'Nothing measured: the core refused this setting.',
    'xav.sum.hist': 'The measured o spreads from {lo} to {hi}, with mean {mean} and variance {var}; it is densest at o = {at}.',
  },
  zh: {
    'xav.what.table': '图中内容：推导的每一步占一行；每行给出公式、核心通过抽样测得的值（± 标准误差）、公式给出的值，以及两者是否在 3 个标准误差内一致。',
    'xav.what.hist': '图中内容：某个输出 o_i 在多次随机抽样下的直方图；横轴是 o 的值，纵轴是它出现的频繁程度（密度）。',
    'xav.sum.table': '{n} 个有测量值的步骤中，有 {agree} 个与公式在 3 个标准误差内一致。',
    'xav.sum.tableBad': '{n} 个有测量值的步骤中，有 {agree} 个与公式在 3 个标准误差内一致；第 {bad} 步不一致。',
    'xav.sum.tableNone': '没有测量值：核心拒绝了这个设置。',
    'xav.sum.hist': '测得的 o 分布在 {lo} 到 {hi} 之间，均值 {mean}，方差 {var}；在 o = {at} 附近最密集。',
  },
}, 'the Xavier summaries');

export default {
  table: {
    what: 'xav.what.table',
    say({ el }) {
      const rows = [...el.querySelectorAll('tr[data-row]')];
      const measured = rows.filter((r) => r.dataset.agree !== undefined);
      if (!measured.length) return el.querySelector('[data-out=refused]')?.hidden === false ? t('xav.sum.tableNone') : '';
      const bad = measured.filter((r) => r.dataset.agree === '0').map((r) => r.querySelector('th').textContent);
      const params = { agree: measured.length - bad.length, n: measured.length, bad: bad.join(', ') };
      return t(bad.length ? 'xav.sum.tableBad' : 'xav.sum.table', params);
    },
  },
  hist: {
    what: 'xav.what.hist',
    say({ chart }) {
      const pts = chart.data.datasets[0]?.data || [];
      if (pts.length < 2) return '';
      const w = pts[1].x - pts[0].x;
      // the density's moments (bin centres weighted by density × width)
      let mass = 0, m1 = 0, m2 = 0, peak = pts[0];
      for (const p of pts) {
        const d = p.y * w;
        mass += d; m1 += d * p.x; m2 += d * p.x * p.x;
        if (p.y > peak.y) peak = p;
      }
      const mean = m1 / mass;
      const occupied = pts.filter((p) => p.y > 0);
      return t('xav.sum.hist', {
        lo: fmtNum(occupied[0].x - w / 2), hi: fmtNum(occupied[occupied.length - 1].x + w / 2),
        mean: fmtNum(mean), var: fmtNum(m2 / mass - mean * mean), at: fmtNum(peak.x),
      });
    },
  },
};
