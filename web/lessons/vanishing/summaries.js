// What the Vanishing lesson's figures show, for a reader who does not see
// them (web/app/readers.js): per figure a static line on how to read it and a
// sentence from the numbers on show.
import { addMessages, t } from '../../i18n.js';
import { fmtNum, last, lineData, orders } from '../../app/summary.js';

addMessages({
  en: {
    'van.what.curve': 'What you are looking at: x runs left to right; the solid line is the activation φ(x), the dashed line its gradient φ′(x), the slope of the solid line at that x.',
    'van.what.chain': 'What you are looking at: left to right, how many activations are stacked (L); up the log scale (each gridline ten times the one below), how much gradient is left. Each point is one depth; the three lines are the best case, the mean and the median over the inputs.',
    'van.sum.curve': '{act} and its gradient for x from {x0} to {x1}: the gradient peaks at {max} at x = {xm} and is {lo} at x = {x0}.',
    'van.sum.curveFlat': '{act} and its gradient for x from {x0} to {x1}: the gradient is at its largest, {max}, from x = {xm} to x = {xe}, and is {lo} at x = {x0}.',
    'van.sum.chain': 'After {L} layers the typical gradient (median) is {median}, {n} orders of magnitude below its {first} after the first layer; best case {bound}, mean {mean}.',
    'van.sum.chainUp': 'After {L} layers the typical gradient (median) is {median}, {n} orders of magnitude above its {first} after the first layer; best case {bound}, mean {mean}.',
    'van.sum.chainFlat': 'After {L} layers the typical gradient (median) is {median}, about as large as after the first layer ({first}); best case {bound}, mean {mean}.',
    'van.sum.chainZero': 'After {L} layers the typical gradient (median) is 0: more than half of the inputs pass no gradient at all; best case {bound}, mean {mean}.',
  },
  zh: {
    'van.what.curve': '图中内容：横轴是 x；实线是激活函数 φ(x)，虚线是它的梯度 φ′(x)，也就是实线在该点的斜率。',
    'van.what.chain': '图中内容：横轴是叠加的激活函数层数 L；纵轴是对数刻度（每条网格线是下一条的 10 倍），表示还剩多少梯度。每个点对应一个深度；三条线分别是最好情况、对输入的平均和中位数。',
    'van.sum.curve': '{act} 及其梯度，x 从 {x0} 到 {x1}：梯度在 x = {xm} 处最大，为 {max}；在 x = {x0} 处为 {lo}。',
    'van.sum.curveFlat': '{act} 及其梯度，x 从 {x0} 到 {x1}：梯度在 x = {xm} 到 {xe} 之间取最大值 {max}；在 x = {x0} 处为 {lo}。',
    'van.sum.chain': '经过 {L} 层后，典型梯度（中位数）为 {median}，比第一层后的 {first} 小 {n} 个数量级；最好情况 {bound}，平均 {mean}。',
    'van.sum.chainUp': '经过 {L} 层后，典型梯度（中位数）为 {median}，比第一层后的 {first} 大 {n} 个数量级；最好情况 {bound}，平均 {mean}。',
    'van.sum.chainFlat': '经过 {L} 层后，典型梯度（中位数）为 {median}，与第一层后（{first}）大致相同；最好情况 {bound}，平均 {mean}。',
    'van.sum.chainZero': '经过 {L} 层后，典型梯度（中位数）为 0：超过一半的输入完全没有梯度传过来；最好情况 {bound}，平均 {mean}。',
  },
}, 'the Vanishing summaries');

export default {
  curve: {
    what: 'van.what.curve',
    say({ chart }) {
      const [act, grad] = lineData(chart);
      if (!grad?.points.length) return '';
      let m = grad.points[0];
      for (const p of grad.points) if (p.v > m.v) m = p;
      const top = grad.points.filter((p) => p.v === m.v); // ReLU: 1 on the whole right half
      const p0 = grad.points[0];
      const params = { act: act.label, x0: fmtNum(p0.x), x1: fmtNum(last(grad).x), max: fmtNum(m.v), xm: fmtNum(m.x), xe: fmtNum(last({ points: top }).x), lo: fmtNum(p0.v) };
      return t(top.length > 1 ? 'van.sum.curveFlat' : 'van.sum.curve', params);
    },
  },
  chain: {
    what: 'van.what.chain',
    say({ chart }) {
      const [bound, mean, median] = lineData(chart);
      const end = median && last(median);
      if (!end) return '';
      const params = { L: end.x, median: fmtNum(end.v), first: fmtNum(median.points[0].v), bound: fmtNum(last(bound).v), mean: fmtNum(last(mean).v) };
      if (end.v === 0) return t('van.sum.chainZero', params);
      const n = orders(median.points[0].v, end.v);
      if (n === null || n === 0) return t('van.sum.chainFlat', params);
      return t(n < 0 ? 'van.sum.chain' : 'van.sum.chainUp', { ...params, n: Math.abs(n) });
    },
  },
};
