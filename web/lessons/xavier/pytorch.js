// pytorch.js — the Xavier lesson as PyTorch code: d2l's variance check of
// o = Σ_j w_j x_j over many trials, with the page's weight and input
// families, mean, correlations and σ, and the backward sum g = Σ_i w_i δ_i.
// Prints the measured figures of the page's table (E[o], Var[o], E[x²],
// Var[g], E[w²]) and the formulas they are checked against.
import { header, py, torchDtype } from '../../pytorch.js';

/**
 * A Python expression drawing a float64 tensor of `shape` from family `dist`
 * with mean `mean` and standard deviation `std` (src/gradlab.h enum gl_xd_dist).
 */
function family(dist, mean, std, shape) {
  const m = mean === '0' ? '' : `${mean} + `;
  switch (dist) {
    case 'normal': return `${m}${std} * torch.randn(${shape}, dtype=torch.float64)`;
    case 'uniform': return `${m}${std} * math.sqrt(3) * (2 * torch.rand(${shape}, dtype=torch.float64) - 1)`;
    case 'rademacher': return `${m}${std} * (2 * torch.randint(0, 2, ${shape}, dtype=torch.float64) - 1)`;
    case 'laplace': return `${m}torch.distributions.Laplace(0.0, ${std} / math.sqrt(2)).sample(${shape}).double()`;
    case 'relu_normal': return `torch.relu(${mean} + ${std} * torch.randn(${shape}, dtype=torch.float64))`;
    default: throw new RangeError(`unknown family '${dist}'`);
  }
}

/** The snippet for the lesson's state (local keys); url: the page's settings. */
export function pytorch(s, { url } = {}) {
  return [
    ...header(`the Xavier lesson: Var[o] for o = Σ w x over n_in = ${s.nin} terms`, url),
    `torch.manual_seed(${py(s.seed)})`,
    `n_in, n_out, N = ${py(s.nin)}, ${py(s.nout)}, ${py(s.samples)}`,
    s.xs ? 'sigma = math.sqrt(2 / (n_in + n_out))  # Xavier\'s σ' : `sigma = ${py(s.sigma)}`,
    `mu, gamma, rho_w, rho_x, delta = ${py(s.mu)}, ${py(s.gamma)}, ${py(s.rhow)}, ${py(s.rhox)}, ${py(s.delta)}`,
    `dtype = ${torchDtype(s.dtype)}`,
    '',
    '',
    'def w_draw(*shape):',
    `    return ${family(s.wd, '0', 'sigma', 'shape')}`,
    '',
    '',
    'def x_draw(*shape):',
    `    return ${family(s.xd, 'mu', 'gamma', 'shape')}`,
    '',
    '',
    'def tied(draw, rho, rows, n):',
    '    """rows × n draws; with probability rho a row is one draw repeated n times."""',
    '    v = draw(rows, n)',
    '    same = torch.rand(rows) < rho',
    '    v[same] = draw(int(same.sum()), 1).expand(-1, n)',
    '    return v',
    '',
    '',
    '# forward: N trials of o = Σ_j w_j x_j, in dtype',
    'w = tied(w_draw, rho_w, N, n_in)',
    'x = tied(x_draw, rho_x, N, n_in)',
    'o = (w.to(dtype) * x.to(dtype)).sum(1).double()',
    '# backward: g = Σ_i w_i δ_i over a column of W (independent entries), δ ~ N(0, δ²)',
    'g = (w_draw(N, n_out).to(dtype) * (delta * torch.randn(N, n_out, dtype=torch.float64)).to(dtype)).sum(1).double()',
    'x_mean, x_sq = x.mean().item(), (x**2).mean().item()',
    'x_var = x.var(unbiased=False).item()',
    'print(f"measured: E[o] {o.mean().item():.9g}, Var[o] {o.var(unbiased=False).item():.9g}, E[x^2] {x_sq:.9g}, "',
    '      f"Var[g] {g.var(unbiased=False).item():.9g}, E[w^2] {(w**2).mean().item():.9g}")',
    'print(f"formulas: d2l n_in·σ²·Var[x] {n_in * sigma**2 * x_var:.9g}, independence n_in·σ²·E[x²] {n_in * sigma**2 * x_sq:.9g}, "',
    '      f"backward n_out·σ²·δ² {n_out * sigma**2 * delta**2:.9g}, σ {sigma:.9g}")',
    '',
  ].join('\n');
}
