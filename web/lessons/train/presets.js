// presets.js — the Remedies lesson's races as data, shared by the lesson and
// the CLI (`gradlab train --preset NAME`).  No DOM, no core: plain objects.
//
// A preset is {globals, caption: {en, zh}, lanes}; globals override DEFAULTS,
// each lane overrides LANE_DEFAULTS and names its remedy in en and zh.  Lanes
// of one race share the seed's draws (src/train.c), so two lanes differ only
// by what was toggled.

/** The race's settings when a preset does not say otherwise (the issue's). */
export const DEFAULTS = Object.freeze({
  depth: 20, width: 32, points: 128, turns: 1, noise: 0, lr: 0.1, optimizer: 'sgd',
  steps: 300, seed: 0, dataSeed: 0, dtype: 'float32',
});

/** One lane's settings: ReLU + Kaiming normal, no remedy.  null = the scheme's own (gain) or unused. */
export const LANE_DEFAULTS = Object.freeze({
  act: 'relu', init: 'kaiming_normal', gain: null, sigma: null, value: null,
  residual: false, norm: 'none', clip: 'none', clipAt: null,
});

const lane = (name, en, zh, settings) => Object.freeze({ name, caption: Object.freeze({ en, zh }), ...settings });

const SIGMOID_SMALL = { act: 'sigmoid', init: 'normal', sigma: 0.01 };
const KAIMING_GAIN_2 = { act: 'relu', init: 'kaiming_normal', gain: 2 };

export const PRESETS = Object.freeze({
  race: {
    globals: { depth: 20 },
    caption: {
      en: 'Depth 20: the same seed, four networks — one never learns, one learns unstably, two remedies learn fast.',
      zh: '深度 20：同一随机种子的四个网络——一个学不动，一个学得不稳定，两种补救方法学得又快又稳。',
    },
    lanes: [
      lane('sigmoid + N(0, 0.01)', 'sigmoid with N(0, 0.01²) weights: the gradient vanishes, the loss stays at ln 2',
        'sigmoid + N(0, 0.01²)：梯度消失，损失停在 ln 2', SIGMOID_SMALL),
      lane('ReLU + Kaiming', 'ReLU with Kaiming init: learns, but the updates jump', 'ReLU + Kaiming 初始化：能学，但更新忽大忽小', {}),
      lane('+ clip norm 1', 'remedy: clip the gradient norm to 1', '补救：把梯度范数裁剪到 1', { clip: 'norm', clipAt: 1 }),
      lane('+ residual + BatchNorm', 'remedy: residual connections and batch normalization', '补救：残差连接 + 批量归一化',
        { residual: true, norm: 'batch' }),
    ],
  },
  vanishing: {
    globals: { depth: 10 },
    caption: {
      en: 'Depth 10: vanishing gradients and the remedy of choosing the initialization and the activation well.',
      zh: '深度 10：梯度消失，以及选好初始化与激活函数这一补救。',
    },
    lanes: [
      lane('sigmoid + N(0, 0.01)', 'sigmoid with tiny weights: updates too small, nothing learns', 'sigmoid + 很小的权重：更新太小，学不动', SIGMOID_SMALL),
      lane('sigmoid + Xavier', 'sigmoid with Xavier init: still vanishes (σ′ ≤ ¼ per layer)', 'sigmoid + Xavier：仍然消失（每层 σ′ ≤ ¼）',
        { act: 'sigmoid', init: 'xavier_uniform' }),
      lane('tanh + Xavier', 'tanh with Xavier init: learns slowly', 'tanh + Xavier：学得慢', { act: 'tanh', init: 'xavier_uniform' }),
      lane('ReLU + Kaiming', 'remedy: ReLU with Kaiming init keeps the gradient', '补救：ReLU + Kaiming 初始化保住梯度', {}),
    ],
  },
  exploding: {
    globals: { depth: 20 },
    caption: {
      en: 'Depth 20, Kaiming init with gain 2: exploding gradients, and clipping as the remedy.',
      zh: '深度 20，增益为 2 的 Kaiming 初始化：梯度爆炸，以及梯度裁剪这一补救。',
    },
    lanes: [
      lane('no clipping', 'no remedy: the first update destroys the network', '不做补救：第一次更新就毁掉了网络', KAIMING_GAIN_2),
      lane('clip norm 1', 'remedy: clip the gradient norm to 1', '补救：把梯度范数裁剪到 1', { ...KAIMING_GAIN_2, clip: 'norm', clipAt: 1 }),
      lane('clip value 0.05', 'remedy: clip every gradient entry to ±0.05', '补救：把每个梯度分量裁剪到 ±0.05',
        { ...KAIMING_GAIN_2, clip: 'value', clipAt: 0.05 }),
      lane('tanh + Xavier gain 2', 'tanh saturates instead of exploding', 'tanh 饱和而不是爆炸', { act: 'tanh', init: 'xavier_uniform', gain: 2 }),
    ],
  },
  deep: {
    globals: { depth: 50 },
    caption: {
      en: 'Depth 50, ReLU + Kaiming: depth alone defeats a plain network; residual connections and normalization together train it.',
      zh: '深度 50，ReLU + Kaiming：仅凭深度就能让普通网络失败；残差连接与归一化一起才能训练它。',
    },
    lanes: [
      lane('plain', 'plain: the loss stays at chance', '普通网络：损失停在随机猜测的水平', {}),
      lane('+ residual', 'residual alone: the stream\'s variance doubles per block and explodes', '只有残差：每个块方差翻倍，最终爆炸', { residual: true }),
      lane('+ BatchNorm', 'BatchNorm alone: trains, slowly', '只有批量归一化：能训练，但慢', { norm: 'batch' }),
      lane('+ residual + BatchNorm', 'remedy: residual connections and batch normalization together', '补救：残差连接与批量归一化一起', { residual: true, norm: 'batch' }),
    ],
  },
  symmetry: {
    globals: { depth: 4 },
    caption: {
      en: 'Constant init never breaks the symmetry: every unit of a layer stays identical; random init breaks it.',
      zh: '常数初始化永远打破不了对称性：同一层的单元始终相同；随机初始化打破了它。',
    },
    lanes: [
      lane('constant 0.1', 'constant init: all units identical, the layer acts as one unit', '常数初始化：所有单元相同，整层如同一个单元',
        { act: 'tanh', init: 'constant', value: 0.1 }),
      lane('Xavier', 'remedy: random (Xavier) init breaks the symmetry', '补救：随机（Xavier）初始化打破对称性', { act: 'tanh', init: 'xavier_uniform' }),
    ],
  },
});

export const PRESET_NAMES = Object.freeze(Object.keys(PRESETS));

function presetOf(name) {
  const p = PRESETS[name];
  if (!p) throw new RangeError(`unknown preset '${name}' (valid: ${PRESET_NAMES.join(', ')})`);
  return p;
}

/** The preset's lanes, each complete: {name, caption, act, init, gain, sigma, value, residual, norm, clip, clipAt}. */
export function lanesOf(name) {
  return presetOf(name).lanes.map((l) => ({ ...LANE_DEFAULTS, ...l }));
}

/** The preset's global settings: DEFAULTS with its overrides. */
export function globalsOf(name) {
  return { ...DEFAULTS, ...presetOf(name).globals };
}

/**
 * The lesson's state (local keys) that loads preset `name`: its global
 * settings, and lanes 1..n from its lanes (lanes = n).  Parameters a lane's
 * scheme ignores keep the schema's defaults.
 */
export function presetState(name) {
  const g = globalsOf(name);
  const lanes = lanesOf(name);
  const s = {
    preset: name, lanes: lanes.length, depth: g.depth, width: g.width, points: g.points, turns: g.turns,
    noise: g.noise, lr: g.lr, optimizer: g.optimizer, steps: g.steps, seed: g.seed, dtype: g.dtype,
  };
  lanes.forEach((l, i) => {
    const k = i + 1;
    Object.assign(s, {
      [`act${k}`]: l.act, [`init${k}`]: l.init, [`gdef${k}`]: l.gain === null, [`res${k}`]: l.residual,
      [`norm${k}`]: l.norm, [`clip${k}`]: l.clip,
    });
    if (l.gain !== null) s[`gain${k}`] = l.gain;
    if (l.sigma !== null) s[`sigma${k}`] = l.sigma;
    if (l.value !== null) s[`value${k}`] = l.value;
    if (l.clipAt !== null) s[`clipat${k}`] = l.clipAt;
  });
  return s;
}
