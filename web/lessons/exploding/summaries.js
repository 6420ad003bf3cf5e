// What the Exploding lesson's figures show, for a reader who does not see
// them (web/app/readers.js): per figure a static line on how to read it and a
// sentence from the numbers on show.
import { addMessages, t } from '../../i18n.js';
import { fmtNum, last, lineData, orders, range } from '../../app/summary.js';

addMessages({
  en: {
    'exp.what.norm': 'What you are looking at: left to right, how many matrices have been multiplied (k); up the log scale (each gridline ten times the one below), the size ‖M_k‖ of the product. Each point is one step; the thin grey lines are other random trials, the dashed lines what theory predicts.',
    'exp.what.matrices': 'What you are looking at: the numbers inside the product M_k (left) and inside the first random matrix (right), printed as PyTorch prints them; each cell is one entry.',
    'exp.sum.norm': 'After {k} of {steps} multiplications ‖M_k‖ = {norm}, {n} orders of magnitude {dir} ‖M_0‖ = {n0}; typical-growth theory predicts {typ} there.',
    'exp.sum.normFlat': 'After {k} of {steps} multiplications ‖M_k‖ = {norm}, about as large as ‖M_0‖ = {n0}; typical-growth theory predicts {typ} there.',
    'exp.sum.normOver': 'After {k} of {steps} multiplications ‖M_k‖ is {norm}: the product has overflowed the number format.',
    'exp.sum.above': 'above',
    'exp.sum.below': 'below',
    'exp.sum.trials': ' The geometric mean of {T} trials is {mean}.',
    'exp.sum.matrices': '{title}: entries from {lo} to {hi}; the first matrix M_0 has entries from {lo0} to {hi0}.',
    'exp.sum.matricesBad': '{title}: {bad} of {n} entries are inf or nan (overflow); the first matrix M_0 has entries from {lo0} to {hi0}.',
  },
  zh: {
    'exp.what.norm': '图中内容：横轴是已经相乘的矩阵个数 k；纵轴是对数刻度（每条网格线是下一条的 10 倍），表示乘积的大小 ‖M_k‖。每个点是一步；细灰线是其他随机试验，虚线是理论预测。',
    'exp.what.matrices': '图中内容：左边是乘积 M_k 里的数，右边是第一个随机矩阵里的数，按 PyTorch 的格式打印；每个格子是一个元素。',
    'exp.sum.norm': '相乘 {k} 次（共 {steps} 次）后 ‖M_k‖ = {norm}，比 ‖M_0‖ = {n0} {dir} {n} 个数量级；典型增长理论在此处预测 {typ}。',
    'exp.sum.normFlat': '相乘 {k} 次（共 {steps} 次）后 ‖M_k‖ = {norm}，与 ‖M_0‖ = {n0} 大致相同；典型增长理论在此处预测 {typ}。',
    'exp.sum.normOver': '相乘 {k} 次（共 {steps} 次）后 ‖M_k‖ 为 {norm}：乘积已超出数值格式的表示范围（溢出）。',
    'exp.sum.above': '大',
    'exp.sum.below': '小',
    'exp.sum.trials': '{T} 次试验的几何平均为 {mean}。',
    'exp.sum.matrices': '{title}：元素从 {lo} 到 {hi}；第一个矩阵 M_0 的元素从 {lo0} 到 {hi0}。',
    'exp.sum.matricesBad': '{title}：{n} 个元素中有 {bad} 个是 inf 或 nan（溢出）；第一个矩阵 M_0 的元素从 {lo0} 到 {hi0}。',
  },
}, 'the Exploding summaries');

/** A cell as torch printed it, as a number (inf, -inf, nan included). */
function cellValue(text) {
  const s = text.trim();
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  return Number(s); // nan → NaN
}

export default {
  norm: {
    what: 'exp.what.norm',
    say({ chart }) {
      const [measured, typical, , mean] = lineData(chart);
      const end = measured && last(measured);
      if (!end) return '';
      const k = end.x;
      const n0 = measured.points[0].v;
      const params = { k, steps: last(typical).x, norm: fmtNum(end.v), n0: fmtNum(n0), typ: fmtNum(typical.points[k]?.v) };
      let text;
      if (!Number.isFinite(end.v)) text = t('exp.sum.normOver', params);
      else {
        const n = orders(n0, end.v);
        text = n === null || n === 0 ? t('exp.sum.normFlat', params)
          : t('exp.sum.norm', { ...params, n: Math.abs(n), dir: t(n > 0 ? 'exp.sum.above' : 'exp.sum.below') });
      }
      const T = chart.$bundle?.lines.length || 0;
      if (mean.shown && last(mean)) text += t('exp.sum.trials', { T, mean: fmtNum(last(mean).v) });
      return text;
    },
  },
  matrices: {
    what: 'exp.what.matrices',
    say({ el }) {
      const values = (sel) => [...el.querySelectorAll(`${sel} td`)].map((td) => cellValue(td.textContent));
      const cur = values('[data-out=cur]');
      const first = range(values('[data-out=first]'));
      if (!cur.length || !first) return '';
      const title = el.querySelector('[data-out=curTitle]').textContent;
      const bad = cur.filter((v) => !Number.isFinite(v)).length;
      const r = range(cur);
      const params = { title, lo0: fmtNum(first.lo), hi0: fmtNum(first.hi) };
      if (bad || !r) return t('exp.sum.matricesBad', { ...params, bad, n: cur.length });
      return t('exp.sum.matrices', { ...params, lo: fmtNum(r.lo), hi: fmtNum(r.hi) });
    },
  },
};
