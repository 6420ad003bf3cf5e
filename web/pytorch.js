// pytorch.js — what every lesson's "Copy as PyTorch" snippet shares (see
// web/lessons/<id>/pytorch.js): the header, Python literals, and the torch
// spelling of an activation, a dtype and an init scheme.  No DOM, no core:
// the snippets are made in the page and, by the tests, in Node.
import { LEAKY_SLOPE } from './core.js';
import { initParams } from './science.js';

/** A number as a Python literal (the state's numbers are finite). */
export function py(v) {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'string') return JSON.stringify(v);
  if (!Number.isFinite(v)) throw new RangeError(`py: ${v} has no Python literal here`);
  return String(v);
}

/** The torch module of an activation (GradLab's names, src/gradlab.h enum gl_act). */
export function torchAct(act) {
  const m = {
    sigmoid: 'torch.nn.Sigmoid()', tanh: 'torch.nn.Tanh()', relu: 'torch.nn.ReLU()',
    leaky_relu: `torch.nn.LeakyReLU(${py(LEAKY_SLOPE)})`, gelu: 'torch.nn.GELU()  # the exact erf form', linear: 'torch.nn.Identity()',
  }[act];
  if (!m) throw new RangeError(`unknown activation '${act}'`);
  return m;
}

export const torchDtype = (dtype) => `torch.${dtype}`;

/**
 * The statement that initialises weight `w` (out × in, as nn.Linear.weight)
 * with init scheme `init` and the lesson's {gain, sigma, value} (gain
 * null/undefined or NaN: the scheme's own), as torch.nn.init does it; where
 * torch has no call for GradLab's scheme (a Kaiming gain given as a number,
 * LeCun), the formula with torch's fan_in = w.shape[1].  Returns {code (an
 * expression), note (what it draws, for a trailing comment; '' if plain)}.
 */
export function initCode(init, given, w = 'w') {
  const p = initParams(init, given);
  const gain = p.gain === null || Number.isNaN(p.gain) ? null : p.gain;
  const fanIn = `${w}.shape[1]`;
  const c = (code, note = '') => ({ code, note });
  switch (init) {
    case 'normal': return c(`torch.nn.init.normal_(${w}, 0, ${py(p.sigma)})`);
    case 'uniform': return c(`torch.nn.init.uniform_(${w}, -${py(p.sigma)} * math.sqrt(3), ${py(p.sigma)} * math.sqrt(3))`, 'std σ');
    case 'xavier_uniform':
    case 'xavier_normal': return c(`torch.nn.init.${init}_(${w}, gain=${py(gain ?? 1)})`);
    case 'kaiming_normal': return gain === null ? c(`torch.nn.init.kaiming_normal_(${w}, nonlinearity="relu")`, 'std √2/√fan_in')
      : c(`torch.nn.init.normal_(${w}, 0, ${py(gain)} / math.sqrt(${fanIn}))`, `kaiming_normal with gain ${py(gain)}`);
    case 'kaiming_uniform': return gain === null ? c(`torch.nn.init.kaiming_uniform_(${w}, nonlinearity="relu")`, 'bound √3·√2/√fan_in')
      : c(`torch.nn.init.uniform_(${w}, -math.sqrt(3) * (${py(gain)} / math.sqrt(${fanIn})), math.sqrt(3) * (${py(gain)} / math.sqrt(${fanIn})))`,
        `kaiming_uniform with gain ${py(gain)}: bound √3·gain/√fan_in, rounded as torch's`);
    case 'lecun_normal': return c(`torch.nn.init.normal_(${w}, 0, 1 / math.sqrt(${fanIn}))`, 'LeCun normal');
    case 'orthogonal': return c(`torch.nn.init.orthogonal_(${w}, gain=${py(gain ?? 1)})`);
    case 'torch_default': return c(`torch.nn.init.kaiming_uniform_(${w}, a=math.sqrt(5))`, "nn.Linear's own: U(−1/√fan_in, 1/√fan_in)");
    case 'constant': return c(`torch.nn.init.constant_(${w}, ${py(p.value)})`);
    default: throw new RangeError(`unknown init '${init}'`);
  }
}

/**
 * The snippet's first lines: what it reproduces, the page's settings (url),
 * and how far its figures are the page's: `draws` are the lines that say so
 * (DRAWS_STATISTICAL unless the lesson draws as torch does).
 */
const DRAWS_STATISTICAL = [
  "# The random draws come from torch's generator, not GradLab's: the figures printed",
  "# below agree with the page's statistically (within sampling noise), not digit for digit;",
  '# the ones that involve no random draw agree to rounding.',
];
export function header(what, url, draws = DRAWS_STATISTICAL) {
  return [
    `# GradLab — ${what}, in PyTorch (torch only).`,
    ...(url ? [`# Settings: ${url}`] : []),
    ...draws,
    'import math',
    '',
    'import torch',
    '',
  ];
}
