// pytorch.js — the Initialization lesson as PyTorch code: for each chosen
// torch.nn.init scheme, one bias-free MLP of the page's depth, width, batch
// and activation, forward and backward, and the per-layer variances the
// page's charts plot.  Prints what the page's summary says per scheme: the
// forward statistic at the last layer and the backward one at the first.
import { header, initCode, py, torchAct, torchDtype } from '../../pytorch.js';
import { SLOTS } from './jobs.js';

/** How each statistic of the page (its 'fwd' and 'bwd' choices) is read off a layer. */
const STAT = {
  z_var: ['z', 'Var(z_l)'], a_var: ['a', 'Var(a_l)'],
  grad_z_var: ['z.grad', 'Var(dloss/dz_l)'], grad_a_var: ['a.grad', 'Var(dloss/da_l)'], grad_w_var: ['w.grad', 'Var(dloss/dW_l)'],
};

/** The snippet for the lesson's state (local keys); url: the page's settings. */
export function pytorch(s, { url } = {}) {
  const schemes = SLOTS.map((i) => s[`s${i}`]).filter((init) => init !== 'none');
  const given = { gain: s.gdef ? undefined : s.gain, sigma: s.sigma, value: s.value };
  const [fwdExpr, fwdName] = STAT[s.fwd];
  const [bwdExpr, bwdName] = STAT[s.bwd];
  return [
    ...header(`the Initialization lesson: ${schemes.join(', ')} in a ${s.depth}-layer ${s.act} MLP`, url),
    `torch.manual_seed(${py(s.seed)})`,
    `depth, width, batch = ${py(s.depth)}, ${py(s.width)}, ${py(s.batch)}`,
    `phi = ${torchAct(s.act)}`,
    `dtype = ${torchDtype(s.dtype)}`,
    '',
    'SCHEMES = {',
    ...schemes.map((init) => {
      const { code, note } = initCode(init, given);
      return `    ${py(init)}: lambda w: ${code},${note ? `  # ${note}` : ''}`;
    }),
    '}',
    '',
    '',
    'def var(t):',
    '    """Population variance over every entry, accumulated in float64."""',
    '    return t.double().var(unbiased=False).item()',
    '',
    '',
    'def run(init_):',
    '    """a_0 = X ~ N(0, 1); z_l = a_{l-1} W_l^T, a_l = phi(z_l), no biases; upstream dloss/da_L ~ N(0, 1)."""',
    '    a = torch.randn(batch, width, dtype=dtype)',
    '    layers = []',
    '    for l in range(depth):',
    '        w = torch.empty(width, width, dtype=dtype)',
    '        init_(w)',
    '        w.requires_grad_()',
    '        z = a @ w.T',
    '        a = phi(z)',
    '        z.retain_grad()',
    '        a.retain_grad()',
    '        layers.append((w, z, a))',
    '    a.backward(torch.randn(batch, width, dtype=dtype))',
    `    fwd = [var(${fwdExpr}) for w, z, a in layers]  # ${fwdName}`,
    `    bwd = [var(${bwdExpr}) for w, z, a in layers]  # ${bwdName}`,
    '    return fwd, bwd',
    '',
    '',
    'for name, init_ in SCHEMES.items():',
    '    fwd, bwd = run(init_)',
    `    print(f"{name}: ${fwdName} at l = {depth}: {fwd[-1]:.9g}; ${bwdName} at l = 1: {bwd[0]:.9g}")`,
    '    print("   per layer, forward:", " ".join(f"{v:.3g}" for v in fwd))',
    '    print("   per layer, backward:", " ".join(f"{v:.3g}" for v in bwd))',
    '',
  ].join('\n');
}
