// pytorch.js — the Exploding lesson as PyTorch code: d2l's product of K random
// n×n matrices in the page's dtype with its norm after every multiplication,
// the two theoretical growth rates, and the mean ln-norm of T independent
// trials (float64, renormalised, as the page's fan).  Prints what the page
// says: ‖M_K‖, where an entry first overflowed, the rates, the trials' mean.
import { header, py, torchDtype } from '../../pytorch.js';

/** The snippet for the lesson's state (local keys); url: the page's settings. */
export function pytorch(s, { url } = {}) {
  const orth = s.ensemble === 'orthogonal';
  const draw = orth
    ? ['def draw(*batch):', '    """σ·Q, Q a Haar-random orthogonal n×n matrix (one per batch entry)."""',
      '    q = torch.empty(*batch, n, n, dtype=torch.float64)',
      '    for m in q.view(-1, n, n):',
      '        torch.nn.init.orthogonal_(m)',
      '    return sigma * q']
    : ['def draw(*batch):', '    """n×n matrices with i.i.d. N(0, σ²) entries (one per batch entry)."""',
      '    return sigma * torch.randn(*batch, n, n, dtype=torch.float64)'];
  const theory = orth
    ? ['typical = rms = math.log(sigma)  # an orthogonal factor scales every norm by exactly σ']
    : ['typical = math.log(sigma) + 0.5 * (math.log(2) + torch.special.digamma(torch.tensor(n / 2, dtype=torch.float64)).item())',
      'rms = 0.5 * math.log(n * sigma**2)'];
  return [
    ...header(`the Exploding lesson: the product of ${s.steps} random ${s.n}×${s.n} matrices`, url),
    `torch.manual_seed(${py(s.seed)})`,
    `n, sigma, K, T = ${py(s.n)}, ${py(s.sigma)}, ${py(s.steps)}, ${py(s.trials)}`,
    `dtype = ${torchDtype(s.dtype)}`,
    '',
    ...draw,
    '',
    '# d2l\'s experiment: M_0 random, M_k = M_{k-1} · W_k, in dtype; the Frobenius norm in float64',
    'M = draw().to(dtype)',
    'norms = [torch.linalg.norm(M.double()).item()]',
    'overflow = None  # the first k with an entry that is not finite',
    'for k in range(1, K + 1):',
    '    M = M @ draw().to(dtype)',
    '    norms.append(torch.linalg.norm(M.double()).item())',
    '    if overflow is None and not torch.isfinite(M).all():',
    '        overflow = k',
    'print(f"norm at k = {K}: {norms[K]:.9g}; first non-finite entry at k = {overflow}")',
    '',
    '# theory: growth of ln‖M_k‖ per multiplication, typical (Newman 1986) and root-mean-square',
    ...theory,
    'print(f"growth per multiplication: typical {math.exp(typical):.9g} (ln {typical:.12g}), rms {math.exp(rms):.9g} (ln {rms:.12g})")',
    '',
    '# T independent trials in float64, renormalised every step so nothing overflows',
    'if T > 0:',
    '    M = draw(T)',
    '    s = torch.linalg.matrix_norm(M)',
    '    log_norm = s.log()',
    '    for k in range(1, K + 1):',
    '        M = (M / s[:, None, None]) @ draw(T)',
    '        s = torch.linalg.matrix_norm(M)',
    '        log_norm = log_norm + s.log()',
    '    print(f"mean ln-norm at k = {K} over T = {T} trials: {log_norm.mean().item():.9g} (norm {math.exp(log_norm.mean().item()):.9g})")',
    '',
  ].join('\n');
}
