// pytorch.js — the Training lesson as PyTorch code: each lane on show trained
// with torch on the same spiral — stem Linear(2, W) → φ, L blocks
// u = φ(Norm(Linear(W, W)(h))) with h ← h + u (residual) or h ← u, head
// Linear(W, 2); full-batch cross-entropy; SGD, momentum 0.9 or Adam; gradient
// clipping — the model of src/train.c and tests/torch/train_ref.py.  Prints,
// per lane, what the page's race says: the step-0 loss and gradient norm, the
// final loss and accuracy, when the loss first fell below 0.1, and where it
// stopped being finite.
import { header, initCode, py, torchAct, torchDtype } from '../../pytorch.js';
import { LANES, laneRun } from './jobs.js';
import { TRAINED_LOSS } from '../../science.js';

/** A lane's settings as a Python dict literal, its init as a function of the weight. */
function laneLine(k, cfg) {
  const { code, note } = initCode(cfg.init, { gain: cfg.gain, sigma: cfg.sigma, value: cfg.value });
  return `    dict(lane=${k}, act=${torchAct(cfg.act).replace(/\s+#.*$/, '')}, init=lambda w: ${code}, residual=${py(cfg.residual)}, ` +
    `norm=${py(cfg.norm)}, clip=${py(cfg.clip)}, clip_at=${cfg.clip === 'none' ? 'None' : py(cfg.clipAt)}),${note ? `  # ${note}` : ''}`;
}

/** The snippet for the lesson's state (local keys); url: the page's settings. */
export function pytorch(s, { url } = {}) {
  const runs = LANES.map((k) => [k, laneRun(s, k)]).filter(([, r]) => !r.off);
  const g = runs[0][1].cfg;
  const opt = {
    sgd: 'torch.optim.SGD(net.parameters(), lr=lr)',
    momentum: 'torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)',
    adam: 'torch.optim.Adam(net.parameters(), lr=lr)',
  }[g.optimizer];
  return [
    ...header(`the Training lesson: ${runs.length} lane${runs.length > 1 ? 's' : ''} on the spiral, depth ${g.depth}, width ${g.width}`, url, [
      "# GradLab's seed is torch's: after torch.manual_seed(seed) the weights below are the page's",
      '# (bit for bit on x86 with AVX2; other torch builds may differ in last bits), so the step-0',
      "# figures printed agree with the page's to float32 rounding.",
      '# Later steps agree as long as the training is stable; where it is chaotic (exploding or deep',
      '# lanes) rounding differences grow and only the outcome is comparable.',
    ]),
    'import torch.nn.functional as F',
    '',
    `depth, width, points, turns, noise = ${py(g.depth)}, ${py(g.width)}, ${py(g.points)}, ${py(g.turns)}, ${py(g.noise)}`,
    `lr, steps, seed, data_seed, dtype = ${py(g.lr)}, ${py(s.steps)}, ${py(g.seed)}, ${py(g.dataSeed)}, ${torchDtype(g.dtype)}`,
    'LANES = [',
    ...runs.map(([k, r]) => laneLine(k, r.cfg)),
    ']',
    '',
    '',
    'def spiral():',
    '    """Two arms, class c, point i: r = (i + ½)/points, t = 2π·turns·r + πc, x = (r sin t, r cos t)."""',
    '    r = (torch.arange(points, dtype=torch.float64) + 0.5) / points',
    '    arms = [torch.stack([r * torch.sin(2 * math.pi * turns * r + math.pi * c), r * torch.cos(2 * math.pi * turns * r + math.pi * c)], 1) for c in (0, 1)]',
    '    X = torch.cat(arms)',
    '    torch.manual_seed(data_seed)  # the page\'s noise: U(−noise, noise) on each coordinate',
    '    X = X + noise * (2 * torch.rand(X.shape, dtype=torch.float64) - 1)',
    '    return X.to(dtype), torch.cat([torch.zeros(points), torch.ones(points)]).long()',
    '',
    '',
    'class Net(torch.nn.Module):',
    '    def __init__(self, act, residual, norm):',
    '        super().__init__()',
    '        self.act, self.residual = act, residual',
    '        self.stem = torch.nn.Linear(2, width)',
    '        self.hidden = torch.nn.ModuleList(torch.nn.Linear(width, width) for _ in range(depth))',
    '        Norm = {"batch": torch.nn.BatchNorm1d, "layer": torch.nn.LayerNorm, "none": lambda w: torch.nn.Identity()}[norm]',
    '        self.norms = torch.nn.ModuleList(Norm(width) for _ in range(depth))',
    '        self.head = torch.nn.Linear(width, 2)',
    '',
    '    def forward(self, x):',
    '        h = self.act(self.stem(x))',
    '        for lin, norm in zip(self.hidden, self.norms):',
    '            u = self.act(norm(lin(h)))',
    '            h = h + u if self.residual else u',
    '        return self.head(h)',
    '',
    '',
    'X, y = spiral()',
    'for lane in LANES:',
    '    net = Net(lane["act"], lane["residual"], lane["norm"]).to(dtype)',
    '    torch.manual_seed(seed)  # then stem, hidden.0, …, head in turn: the page\'s weights',
    '    with torch.no_grad():',
    '        for lin in [net.stem, *net.hidden, net.head]:',
    '            w = torch.empty(lin.weight.shape)  # drawn in float32 (a float64 page widens them)',
    '            lane["init"](w)',
    '            lin.weight.copy_(w)',
    '            lin.bias.zero_()',
    `    opt = ${opt}`,
    '    losses, grad0, died = [], None, None',
    '    for k in range(steps):',
    '        opt.zero_grad()',
    '        loss = F.cross_entropy(net(X), y)',
    '        losses.append(loss.item())',
    '        if not math.isfinite(losses[-1]):',
    '            died = k',
    '            break',
    '        loss.backward()',
    '        if k == 0:  # the total gradient norm at step 0, before any clipping',
    '            grad0 = torch.norm(torch.stack([p.grad.double().norm() for p in net.parameters()])).item()',
    '        if lane["clip"] == "norm":',
    '            torch.nn.utils.clip_grad_norm_(net.parameters(), lane["clip_at"])',
    '        elif lane["clip"] == "value":',
    '            torch.nn.utils.clip_grad_value_(net.parameters(), lane["clip_at"])',
    '        opt.step()',
    '    with torch.no_grad():  # the loss after the last update (training mode, as every step)',
    '        logits = net(X)',
    '        if died is None:',
    '            losses.append(F.cross_entropy(logits, y).item())',
    '            died = None if math.isfinite(losses[-1]) else steps',
    '        accuracy = (logits.argmax(1) == y).double().mean().item()',
    `    below = next((k for k, v in enumerate(losses) if v < ${py(TRAINED_LOSS)}), None)`,
    '    print(f"lane {lane[\'lane\']}: step-0 loss {losses[0]:.9g}, step-0 gradient norm {grad0}, final loss {losses[-1]:.9g}, "',
    `          f"accuracy {accuracy:.9g}, loss < ${py(TRAINED_LOSS)} first at step {below}, non-finite at step {died}")`,
    '',
  ].join('\n');
}
