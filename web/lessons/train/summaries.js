// What the Training lesson's figures show, for a reader who does not see
// them (web/app/readers.js): per figure a static line on how to read it and a
// sentence from the numbers on show.
import { addMessages, t } from '../../i18n.js';
import { fmtNum, last, lineData, list } from '../../app/summary.js';
import { LANES } from './jobs.js';

addMessages({
  en: {
    'trn.what.loss': 'What you are looking at: left to right, the training steps; up the log scale, the loss of each network (lower is better). One line per lane; the dashed lines mark chance (ln 2) and the target 0.1; a ✕ marks where a network broke down (inf or nan).',
    'trn.what.norm': 'What you are looking at: left to right, the training steps; up the log scale, the size of the whole gradient of each network. One line per lane; a dashed line is a lane\'s clipping threshold.',
    'trn.what.profile': 'What you are looking at: left to right, the linear layers from the input (0) to the output; up the log scale, the size of each layer\'s gradient before the first step. One line per lane.',
    'trn.what.heat': 'What you are looking at: time runs left to right (one column per step), layers bottom (input) to top (output); the colour is the size on a log scale, from dark (small) to yellow (large), magenta where it is exactly 0 (an update lost).',
    'trn.what.regions': 'What you are looking at: the square of inputs; each dot is a training point coloured by its class, the background by the class the network predicts there.',
    'trn.sum.lane': '{lane} ({name}) {v}',
    'trn.sum.loss': 'Loss after {k} steps: {list}. Chance is ln 2 = 0.693.',
    'trn.sum.norm': 'Gradient norm at step {k}: {list}.',
    'trn.sum.profile': 'Gradient norm at step 0 from layer {l0} to layer {l1}: {list}.',
    'trn.sum.range': '{lane} ({name}) {a} → {b}',
    'trn.sum.heat': '{lane}, {what}: {cols} steps × {rows} layers drawn; at step {c} the first layer has {a}, the last {b}.',
    'trn.sum.heatLost': ' {z} cells are exactly 0: the update was lost.',
    'trn.sum.regions': '{lane}: the network predicts class 1 on {pct}% of the square and puts {acc}% of the {n} training points on their own class\'s side.',
  },
  zh: {
    'trn.what.loss': '图中内容：横轴是训练步数；纵轴是对数刻度，表示每个网络的损失（越低越好）。每个赛道一条线；虚线标出随机猜测（ln 2）和目标 0.1；✕ 标出网络崩溃（inf 或 nan）的位置。',
    'trn.what.norm': '图中内容：横轴是训练步数；纵轴是对数刻度，表示每个网络整体梯度的大小。每个赛道一条线；虚线是该赛道的裁剪阈值。',
    'trn.what.profile': '图中内容：横轴是从输入（0）到输出的各个线性层；纵轴是对数刻度，表示第一步之前每层梯度的大小。每个赛道一条线。',
    'trn.what.heat': '图中内容：时间从左到右（每步一列），层从下（输入）到上（输出）；颜色按对数刻度表示大小，从深色（小）到黄色（大），品红色表示恰好为 0（更新丢失）。',
    'trn.what.regions': '图中内容：输入所在的正方形区域；每个点是一个训练样本，颜色表示它的类别，背景颜色表示网络在该处预测的类别。',
    'trn.sum.lane': '{lane}（{name}）{v}',
    'trn.sum.loss': '训练 {k} 步后的损失：{list}。随机猜测为 ln 2 = 0.693。',
    'trn.sum.norm': '第 {k} 步的梯度范数：{list}。',
    'trn.sum.profile': '第 0 步从第 {l0} 层到第 {l1} 层的梯度范数：{list}。',
    'trn.sum.range': '{lane}（{name}）{a} → {b}',
    'trn.sum.heat': '{lane}，{what}：已绘制 {cols} 步 × {rows} 层；第 {c} 步时第一层为 {a}，最后一层为 {b}。',
    'trn.sum.heatLost': '有 {z} 个格子恰好为 0：这些更新丢失了。',
    'trn.sum.regions': '{lane}：网络在 {pct}% 的区域预测为类别 1，并把 {n} 个训练点中的 {acc}% 划到了各自类别的一侧。',
  },
}, 'the Training summaries');

/** The lanes on show in a chart: its first LANES.length datasets, one per lane. */
const lanes = (chart) => lineData(chart).slice(0, LANES.length)
  .map((l, i) => ({ ...l, lane: t('trn.lane', { k: LANES[i] }) })).filter((l) => l.shown && l.points.length);

/** Each lane's last value, at the latest step any lane has reached. */
function atLast(key) {
  return ({ chart }) => {
    const ls = lanes(chart);
    if (!ls.length) return '';
    return t(key, {
      k: Math.max(...ls.map((l) => last(l).x)),
      list: list(ls.map((l) => t('trn.sum.lane', { lane: l.lane, name: l.label, v: fmtNum(last(l).v) }))),
    });
  };
}

export default {
  loss: { what: 'trn.what.loss', say: atLast('trn.sum.loss') },
  norm: { what: 'trn.what.norm', say: atLast('trn.sum.norm') },
  profile: {
    what: 'trn.what.profile',
    say({ chart }) {
      const ls = lanes(chart);
      if (!ls.length) return '';
      return t('trn.sum.profile', {
        l0: ls[0].points[0].x, l1: last(ls[0]).x,
        list: list(ls.map((l) => t('trn.sum.range', { lane: l.lane, name: l.label, a: fmtNum(l.points[0].v), b: fmtNum(last(l).v) }))),
      });
    },
  },
  heat: {
    what: 'trn.what.heat',
    say({ spec, lane }) {
      if (!spec || !spec.cols) return '';
      const { values, rows, cols, label } = spec;
      const c = cols - 1;
      let zeros = 0;
      for (let i = 0; i < cols * rows; i++) if (values[i] === 0) zeros++;
      return t('trn.sum.heat', {
        lane: t('trn.lane', { k: lane }), what: label, cols, rows, c, a: fmtNum(values[c * rows]), b: fmtNum(values[c * rows + rows - 1]),
      }) + (zeros ? t('trn.sum.heatLost', { z: zeros }) : '');
    },
  },
  regions: {
    what: 'trn.what.regions',
    say({ spec, lane }) {
      if (!spec) return '';
      const { prob, grid, extent, X, y } = spec;
      let ones = 0;
      for (const p of prob) if (p >= 0.5) ones++;
      // each point against the class predicted in its cell of the grid (row 0 at the top)
      const cell = (v) => Math.min(grid - 1, Math.max(0, Math.floor(((v + extent) / (2 * extent)) * grid)));
      let right = 0;
      for (let i = 0; i < y.length; i++) {
        const p = prob[(grid - 1 - cell(X[2 * i + 1])) * grid + cell(X[2 * i])];
        if ((p >= 0.5 ? 1 : 0) === y[i]) right++;
      }
      return t('trn.sum.regions', {
        lane: t('trn.lane', { k: lane }), pct: fmtNum((100 * ones) / prob.length), acc: fmtNum((100 * right) / y.length), n: y.length,
      });
    },
  },
};
