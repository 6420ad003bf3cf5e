// What the Initialization lesson's figures show, for a reader who does not
// see them (web/app/readers.js): per figure a static line on how to read it
// and a sentence from the numbers on show.
import { addMessages, t } from '../../i18n.js';
import { fmtNum, last, lineData, list, range } from '../../app/summary.js';

addMessages({
  en: {
    'ini.what.fwd': 'What you are looking at: left to right, the layers of the network from the input; up the log scale, how spread out the values z_l of that layer are. One line per init scheme; the thin dashed line in the same colour is what theory predicts.',
    'ini.what.bwd': 'What you are looking at: left to right, the layers of the network; up the log scale, how large the gradient ∂ℓ/∂z_l at that layer is. The gradient flows from the right (the loss) to the left. One line per init scheme.',
    'ini.what.histA': 'What you are looking at: a histogram of the activations at one layer; left to right their value, up how often that value occurs (density). One line per init scheme.',
    'ini.what.histG': 'What you are looking at: a histogram of the gradients at one layer; left to right their value, up how often that value occurs (density). One line per init scheme.',
    'ini.what.dilemma': 'What you are looking at: left to right the weights\' standard deviation σ, up (both log scales) the factor by which a layer scales the variance forward (n_in·σ²) and backward (n_out·σ²); 1 keeps it unchanged. The dots mark Xavier\'s σ.',
    'ini.what.uniform': 'What you are looking at: left to right a weight\'s value w, up how often it occurs (density): the solid line is a histogram of the weights drawn, the dashed line the uniform distribution U(−a, a) they come from.',
    'ini.sum.layers': '{y}, from layer {l0} to layer {l1}: {list}.',
    'ini.sum.layer': '{name} {a} → {b}',
    'ini.sum.hist': 'Histogram of {x} at layer {l}: {list}.',
    'ini.sum.histOne': '{name} from {lo} to {hi}, highest at {at}',
    'ini.sum.histAll0': '{name} all at {at}',
    'ini.sum.dilemma': 'The forward factor is 1 at σ = {f}, the backward factor at σ = {b}; Xavier\'s σ = {x} lies between and gives a forward factor {ff} and a backward factor {bf}.',
    'ini.sum.uniform': 'Weights drawn from U(−a, a) with a = {a}: between −a and a the histogram\'s height is {lo} to {hi}, around the density 1/(2a) = {h}.',
  },
  zh: {
    'ini.what.fwd': '图中内容：横轴是网络从输入开始的各层；纵轴是对数刻度，表示该层数值 z_l 的分散程度。每种初始化方法一条线；同色细虚线是理论预测。',
    'ini.what.bwd': '图中内容：横轴是网络的各层；纵轴是对数刻度，表示该层梯度 ∂ℓ/∂z_l 的大小。梯度从右边（损失）往左传。每种初始化方法一条线。',
    'ini.what.histA': '图中内容：某一层激活值的直方图；横轴是数值，纵轴是该数值出现的频繁程度（密度）。每种初始化方法一条线。',
    'ini.what.histG': '图中内容：某一层梯度的直方图；横轴是数值，纵轴是该数值出现的频繁程度（密度）。每种初始化方法一条线。',
    'ini.what.dilemma': '图中内容：横轴是权重的标准差 σ，纵轴（两个轴都是对数刻度）是一层在前向（n_in·σ²）和反向（n_out·σ²）把方差放大的倍数；等于 1 表示保持不变。圆点标出 Xavier 的 σ。',
    'ini.what.uniform': '图中内容：横轴是权重的值 w，纵轴是它出现的频繁程度（密度）：实线是抽到的权重的直方图，虚线是它们所来自的均匀分布 U(−a, a)。',
    'ini.sum.layers': '{y}，从第 {l0} 层到第 {l1} 层：{list}。',
    'ini.sum.layer': '{name} {a} → {b}',
    'ini.sum.hist': '第 {l} 层 {x} 的直方图：{list}。',
    'ini.sum.histOne': '{name} 从 {lo} 到 {hi}，在 {at} 附近最高',
    'ini.sum.histAll0': '{name} 全部集中在 {at}',
    'ini.sum.dilemma': '前向因子在 σ = {f} 时为 1，反向因子在 σ = {b} 时为 1；Xavier 的 σ = {x} 介于两者之间，前向因子为 {ff}，反向因子为 {bf}。',
    'ini.sum.uniform': '从 U(−a, a)（a = {a}）中抽取的权重：在 −a 与 a 之间，直方图的高度为 {lo} 到 {hi}，围绕密度 1/(2a) = {h}。',
  },
}, 'the Initialization summaries');

/** Per scheme, its value at the first and the last layer. */
function layers({ chart }) {
  const lines = lineData(chart).filter((l) => l.shown && l.points.length);
  if (!lines.length) return '';
  const y = chart.options.scales.y.title?.text || '';
  return t('ini.sum.layers', {
    y, l0: lines[0].points[0].x, l1: last(lines[0]).x,
    list: list(lines.map((l) => t('ini.sum.layer', { name: l.label, a: fmtNum(l.points[0].v), b: fmtNum(last(l).v) }))),
  });
}

/** Per scheme, where its histogram has mass and where it peaks. */
function hist({ chart, state }) {
  const lines = lineData(chart).filter((l) => l.shown);
  if (!lines.length) return '';
  return t('ini.sum.hist', {
    x: chart.options.scales.x.title?.text || 'x', l: Math.min(state.hl, state.depth),
    list: list(lines.map((l) => {
      const mass = l.points.filter((p) => p.v > 0);
      let peak = mass[0];
      for (const p of mass) if (p.v > peak.v) peak = p;
      const r = range(mass.map((p) => p.x));
      if (!r) return t('ini.sum.histAll0', { name: l.label, at: '—' });
      return r.lo === r.hi ? t('ini.sum.histAll0', { name: l.label, at: fmtNum(r.lo) })
        : t('ini.sum.histOne', { name: l.label, lo: fmtNum(r.lo), hi: fmtNum(r.hi), at: fmtNum(peak.x) });
    })),
  });
}

export default {
  fwd: { what: 'ini.what.fwd', say: layers },
  bwd: { what: 'ini.what.bwd', say: layers },
  histA: { what: 'ini.what.histA', say: hist },
  histG: { what: 'ini.what.histG', say: hist },
  dilemma: {
    what: 'ini.what.dilemma',
    say({ chart }) {
      const [fwd, bwd, , xavier] = lineData(chart);
      const p = fwd.points[0], q = bwd.points[0];
      const nin = p.v / (p.x * p.x), nout = q.v / (q.x * q.x);
      const [a, b] = xavier.points;
      return t('ini.sum.dilemma', { f: fmtNum(1 / Math.sqrt(nin)), b: fmtNum(1 / Math.sqrt(nout)), x: fmtNum(a.x), ff: fmtNum(a.v), bf: fmtNum(b.v) });
    },
  },
  uniform: {
    what: 'ini.what.uniform',
    say({ chart }) {
      const [sampled, density] = lineData(chart);
      const a = density.points[3].x;
      const inside = range(sampled.points.filter((p) => Math.abs(p.x) < a).map((p) => p.v));
      if (!inside) return '';
      return t('ini.sum.uniform', {
        a: fmtNum(a), lo: fmtNum(inside.lo), hi: fmtNum(inside.hi), h: fmtNum(density.points[2].v),
      });
    },
  },
};
