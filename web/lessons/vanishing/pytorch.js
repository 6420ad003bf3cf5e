// pytorch.js — the Vanishing lesson as PyTorch code: the activation and its
// gradient by autograd over torch.arange(-8, 8, 0.1) (the page's curve), and
// the gradient that survives a chain of L activations (its chain figure).
// Prints what the page's readouts say: the largest gradient and where, and at
// L the best case (max φ')^L, the median and mean |g| and the share of exact zeros.
import { header, py, torchAct, torchDtype } from '../../pytorch.js';

/** The snippet for the lesson's state (local keys); url: the page's settings. */
export function pytorch(s, { url } = {}) {
  const inputs = s.dist === 'uniform'
    ? `x = (${py(s.mu)} + ${py(s.sd)} * math.sqrt(3) * (2 * torch.rand(n, dtype=torch.float64) - 1)).to(dtype)  # U(μ − s√3, μ + s√3), s: the spread`
    : `x = (${py(s.mu)} + ${py(s.sd)} * torch.randn(n, dtype=torch.float64)).to(dtype)  # N(μ, s²), s: the spread`;
  return [
    ...header(`the Vanishing lesson: ${s.act} and its gradient, and a chain of ${s.depth} of them`, url),
    `phi = ${torchAct(s.act)}`,
    `dtype = ${torchDtype(s.dtype)}`,
    '',
    '# 1. The activation and its gradient over torch.arange(-8, 8, 0.1), by autograd.',
    '# x_i = -8 + i·0.1 in float64, rounded once to dtype (torch.arange itself may fuse the',
    '# multiply-add and give 4e-16 instead of 0 at i = 80)',
    'x = (-8 + 0.1 * torch.arange(math.ceil((8 - -8) / 0.1), dtype=torch.float64)).to(dtype).requires_grad_()',
    'phi(x).sum().backward()',
    'i = int(torch.argmax(x.grad))',
    'print(f"largest gradient: {x.grad[i].item():.9g} at x = {x[i].item():.12g}")',
    '',
    `# 2. The gradient d phi(phi(...phi(x)))/dx through L layers, for n inputs`,
    `torch.manual_seed(${py(s.seed)})`,
    `L, n = ${py(s.depth)}, ${py(s.samples)}`,
    inputs,
    'g = torch.ones(n, dtype=dtype)',
    'for layer in range(L):',
    '    z = x.detach().requires_grad_()',
    '    x = phi(z)',
    "    (d,) = torch.autograd.grad(x.sum(), z)  # φ'(z), elementwise",
    '    g = g * d  # the chain rule: one more factor φ\'(z) per layer',
    'g = g.abs().double()',
    "# the best case: the largest φ' (on a fine grid) to the power L",
    'grid = torch.linspace(-10, 10, 200001, dtype=torch.float64, requires_grad=True)',
    'phi(grid).sum().backward()',
    'best = grid.grad.max().item() ** L',
    'print(f"after L = {L} layers: best case {best:.9g}, median |g| {torch.quantile(g, 0.5).item():.9g}, "',
    '      f"mean |g| {g.mean().item():.9g}, exactly zero {(g == 0).double().mean().item():.9g}")',
    '',
  ].join('\n');
}
