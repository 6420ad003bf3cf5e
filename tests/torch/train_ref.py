#!/usr/bin/env python3
"""train_ref.py — the PyTorch 1.13 reference of GradLab's training core (issue 10).

The model, data and training step of the Remedies lesson written the plain
PyTorch way, so that tests/node/torch-train.test.js can hold src/train.c to
what torch computes from the same parameters and data:

  stem Linear(2, W) → φ;  L blocks  u = Linear(W, W)(h) → [BatchNorm1d |
  LayerNorm | none] → φ,  h ← h + u (residual) or h ← u;  head Linear(W, 2);
  cross-entropy (mean) over the full batch.

One step: zero_grad → forward (train mode) → backward → clip
(clip_grad_norm_ / clip_grad_value_) → optimizer.step(), with SGD(lr),
SGD(lr, momentum=0.9) or Adam(lr), every other setting torch's default.

Usage
  train_ref.py grads|steps|init|spiral [--input FILE] [--dump FILE] < request.json

A request is one JSON object (a "lane"), or {"lanes": [...], ...} whose
top-level fields are defaults shared by every lane (e.g. X and y once per
preset); the answer is then {"lanes": [...]} in the same order.  The
sub-command is the default "mode" of every lane.  --dump FILE merges a
GradLab `--dump-init` file (X, y and the tensors under their state_dict
names, at the top level or under "params") into every lane.

Lane fields (names as GradLab's `train --json`):
  depth, width, act (sigmoid tanh relu leaky_relu gelu linear), residual,
  norm (none batch layer), clip (none value norm), clip_at,
  optimizer (sgd momentum adam), lr, dtype (float32 float64), steps,
  X ([[x0, x1], …] or flat), y (0/1), or points, turns (the noiseless spiral);
  params {state_dict name: values, nested or flat row-major} or, without
  them, init (a GradLab scheme name), gain, sigma, value, seed (GradLab's
  seed is torch.manual_seed's: see init_weights);
  optimizer_state (as this script writes it) to start from a saved state;
  snapshots (steps mode, default [0, 5, 50]); grads_at_snapshots (bool);
  spread ("reversed" or true, "float64"): also compute everything another
  way — summing the batch in reverse order, or in float64 from the same
  values — and report how far that moves each result: torch's own error, the
  scale below which its answer does not determine a value (the rounding of a
  gradient that is zero in exact arithmetic, float32 cancellation, a chaotic
  trajectory).
  Non-finite numbers may be given as "NaN", "Infinity", "-Infinity".

Answers (every tensor flat, row-major, with "shapes" once per lane):
  grads: {loss, accuracy, total_norm, grads: {name: […]}[, spread: {loss,
    grads: {name: ‖g − g_other‖}}]} — one forward and
    backward in train mode from the given parameters (BatchNorm normalises
    with the batch statistics), gradients before any clipping.
  steps: {loss: [steps + 1] (each step's forward, then the loss after the
    last update), accuracy: [steps + 1], total_norm: [steps] (before
    clipping), clipped: [steps], snapshots: [{step: k, params, optimizer,
    next: {loss, total_norm, params, optimizer[, grads]}}]} — the full state
    after k updates (parameters, running statistics, num_batches_tracked,
    optimizer state per parameter) and what ONE further step from it gives
    [with spread: next.spread {loss, params: {name: ‖Δ‖}, optimizer:
    {name: {moment: ‖Δ‖}}} from that step done the other way, and
    loss_spread: [steps + 1] |loss − loss of the other run from step 0|].
    Runs max(steps, max(snapshots) + 1) steps.
  init: {params, shapes} — the parameters before any step (from init and
    seed as GradLab draws them, see init_weights, or as given).
  spiral: {X, y} for points and turns (and noise, data_seed: plus
    U(−noise, noise) on each coordinate as GradLab draws it).
Numbers are shortest round-trip decimals of the values held (float32 values
exactly, as doubles); non-finite ones are the strings "Infinity",
"-Infinity", "NaN" — GradLab's convention (web/format.js toJSON).
Bad input: one line on stderr, exit 2.
"""
import copy
import json
import math
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ACTS = {
    'sigmoid': nn.Sigmoid,
    'tanh': nn.Tanh,
    'relu': nn.ReLU,
    'leaky_relu': lambda: nn.LeakyReLU(0.01),
    'gelu': lambda: nn.GELU(approximate='none'),  # the exact erf form
    'linear': nn.Identity,
}
NORMS = ('none', 'batch', 'layer')
CLIPS = ('none', 'value', 'norm')
OPTIMIZERS = ('sgd', 'momentum', 'adam')
DTYPES = {'float32': torch.float32, 'float64': torch.float64}
MODES = ('grads', 'steps', 'init', 'spiral')
DEFAULT_SNAPSHOTS = (0, 5, 50)


class BadInput(ValueError):
    """A request this script cannot run: reported in one line, exit 2."""


# ---- the model ------------------------------------------------------------------


class SpiralNet(nn.Module):
    """GradLab's lane.  The attribute names make the state_dict keys stem.*,
    hidden.{i}.*, norms.{i}.* (with a norm), head.* — GradLab's tensor names."""

    def __init__(self, depth, width, act, residual, norm):
        super().__init__()
        self.residual = bool(residual)
        self.stem = nn.Linear(2, width)
        self.hidden = nn.ModuleList(nn.Linear(width, width) for _ in range(depth))
        if norm == 'batch':
            self.norms = nn.ModuleList(nn.BatchNorm1d(width) for _ in range(depth))
        elif norm == 'layer':
            self.norms = nn.ModuleList(nn.LayerNorm(width) for _ in range(depth))
        else:
            self.norms = None
        self.head = nn.Linear(width, 2)
        self.act = ACTS[act]()  # holds no parameters: no state_dict key

    def forward(self, x):
        h = self.act(self.stem(x))
        for i, lin in enumerate(self.hidden):
            u = lin(h)
            if self.norms is not None:
                u = self.norms[i](u)
            u = self.act(u)
            h = h + u if self.residual else u
        return self.head(h)


def spiral(points, turns):
    """The noiseless 2-arm spiral: class c, point i < P: r = (i + ½)/P,
    t = 2π·turns·r + πc, x = (r sin t, r cos t); class 0 first.  In float64."""
    X = np.empty((2 * points, 2))
    y = np.empty(2 * points, dtype=np.int64)
    for c in range(2):
        for i in range(points):
            r = (i + 0.5) / points
            t = 2 * math.pi * turns * r + math.pi * c
            X[c * points + i] = (r * math.sin(t), r * math.cos(t))
            y[c * points + i] = c
    return X, y


def init_weights(model, scheme, gain, sigma, value, seed):
    """Weights by a GradLab init scheme, biases 0, as GradLab draws them:
    torch.manual_seed(seed), then stem, hidden.0, …, head in turn, each drawn
    by torch on a float32 weight (a float64 model gets those numbers widened:
    src/train.c starts both dtypes from the same weights)."""
    torch.manual_seed(int(seed))
    for lin in [model.stem, *model.hidden, model.head]:
        w32 = torch.empty(lin.weight.shape, dtype=torch.float32)
        fan_out, fan_in = w32.shape
        if scheme == 'normal':
            w32.normal_(0, sigma)
        elif scheme == 'uniform':
            w32.uniform_(-sigma * math.sqrt(3), sigma * math.sqrt(3))
        elif scheme in ('xavier_uniform', 'xavier_normal'):
            getattr(nn.init, scheme + '_')(w32, gain=1.0 if gain is None else gain)
        elif scheme in ('kaiming_uniform', 'kaiming_normal'):
            # torch's kaiming_*_ with a gain given as a number: std = gain/√fan_in, bound = √3·std
            std = (math.sqrt(2.0) if gain is None else gain) / math.sqrt(fan_in)
            if scheme == 'kaiming_normal':
                w32.normal_(0, std)
            else:
                w32.uniform_(-math.sqrt(3.0) * std, math.sqrt(3.0) * std)
        elif scheme == 'lecun_normal':
            w32.normal_(0, 1 / math.sqrt(fan_in))
        elif scheme == 'orthogonal':
            nn.init.orthogonal_(w32, gain=1.0 if gain is None else gain)
        elif scheme == 'torch_default':
            nn.init.kaiming_uniform_(w32, a=math.sqrt(5))  # nn.Linear's own
        elif scheme == 'constant':
            w32.fill_(value)
        else:
            raise BadInput(f'unknown init {scheme!r}')
        with torch.no_grad():
            lin.weight.copy_(w32)
            lin.bias.zero_()


# ---- numbers in and out --------------------------------------------------------


def to_array(values, what):
    """JSON numbers (or "NaN"/"Infinity"/"-Infinity") → float64 ndarray."""
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise BadInput(f'{what}: not an array of numbers ({e})') from None


def num(x):
    """A float for JSON: shortest round-trip decimal, non-finite as a string."""
    x = float(x)
    return x if math.isfinite(x) else repr(x).replace('inf', 'Infinity').replace('nan', 'NaN')


def flat(t):
    """A tensor as a flat list of JSON numbers (float32 values exactly)."""
    return [num(v) for v in t.detach().reshape(-1).tolist()]


def tensors_out(d):
    return {k: flat(v) if v.is_floating_point() else int(v) for k, v in d.items()}


# ---- one lane -------------------------------------------------------------------


def choice(lane, key, options, default=None):
    v = lane.get(key, default)
    if v not in options:
        raise BadInput(f'{key} must be one of {", ".join(map(str, options))}, got {v!r}')
    return v


def positive(lane, key):
    v = lane.get(key)
    if not isinstance(v, (int, float)) or isinstance(v, bool) or not (math.isfinite(v) and v > 0):
        raise BadInput(f'{key} must be a finite number > 0, got {v!r}')
    return float(v)


def count(lane, key, lo, default=None):
    v = lane.get(key, default)
    if not isinstance(v, int) or isinstance(v, bool) or v < lo:
        raise BadInput(f'{key} must be an integer >= {lo}, got {v!r}')
    return v


class Lane:
    """A model, its data and its optimizer, built from one lane's fields."""

    def __init__(self, lane):
        self.depth = count(lane, 'depth', 1)
        self.width = count(lane, 'width', 1)
        self.act = choice(lane, 'act', ACTS)
        self.norm = choice(lane, 'norm', NORMS, 'none')
        self.residual = bool(lane.get('residual', False))
        self.clip = choice(lane, 'clip', CLIPS, 'none')
        self.clip_at = positive(lane, 'clip_at') if self.clip != 'none' else None
        self.opt_name = choice(lane, 'optimizer', OPTIMIZERS, 'sgd')
        self.lr = positive(lane, 'lr')
        self.dtype = DTYPES[choice(lane, 'dtype', DTYPES, 'float32')]
        self.model = SpiralNet(self.depth, self.width, self.act, self.residual, self.norm).to(self.dtype)
        self.names = [n for n, _ in self.model.named_parameters()]
        self.params = [p for _, p in self.model.named_parameters()]
        self._data(lane)
        if 'params' in lane:
            self.load(lane['params'])
        else:
            init_weights(self.model, lane.get('init', 'torch_default'), lane.get('gain'),
                         lane.get('sigma', 1.0), lane.get('value', 0.0), lane.get('seed', 0))
        if self.opt_name == 'adam':
            self.opt = torch.optim.Adam(self.params, lr=self.lr)
        else:
            self.opt = torch.optim.SGD(self.params, lr=self.lr,
                                       momentum=0.9 if self.opt_name == 'momentum' else 0)
        if lane.get('optimizer_state') is not None:
            self.load_optimizer(lane['optimizer_state'])

    def _data(self, lane):
        if 'X' in lane:
            X = to_array(lane['X'], 'X').reshape(-1, 2)
            y = to_array(lane.get('y'), 'y').reshape(-1)
            if y.shape[0] != X.shape[0] or not np.all((y == 0) | (y == 1)):
                raise BadInput(f'y must hold {X.shape[0]} classes 0 or 1')
        else:
            X, y = spiral(count(lane, 'points', 1), positive(lane, 'turns'))
        self.X = torch.tensor(X, dtype=self.dtype)
        self.y = torch.tensor(y, dtype=torch.int64)

    def twin(self, kind):
        """A copy (model, optimizer state, data) that computes the same
        mathematics another way: kind "reversed" sums the batch in reverse
        order, "float64" computes in float64 from the same values."""
        twin = copy.copy(self)
        twin.model = copy.deepcopy(self.model)
        to = (lambda t: t.double()) if kind == 'float64' else (lambda t: t.clone())
        if kind == 'float64':
            twin.model.double()
            twin.dtype = torch.float64
        twin.params = [p for _, p in twin.model.named_parameters()]
        twin.opt = type(self.opt)(twin.params, **self.opt.defaults)
        for p, q in zip(self.params, twin.params):
            if p in self.opt.state:
                twin.opt.state[q] = {k: (to(v) if torch.is_tensor(v) and v.dim() > 0 else
                                         v.clone() if torch.is_tensor(v) else v)
                                     for k, v in self.opt.state[p].items()}
        twin.X = to(self.X)
        twin.y = self.y.clone()
        if kind == 'reversed':
            twin.X = twin.X.flip(0)
            twin.y = twin.y.flip(0)
        return twin

    def load(self, params):
        """Every state_dict tensor from {name: values}; num_batches_tracked optional."""
        sd = self.model.state_dict()
        unknown = sorted(set(params) - set(sd))
        if unknown:
            raise BadInput(f'unknown tensor {unknown[0]!r} for this model')
        new = {}
        for name, ref in sd.items():
            if name not in params:
                if name.endswith('num_batches_tracked'):
                    new[name] = ref
                    continue
                raise BadInput(f'missing tensor {name!r}')
            if not ref.is_floating_point():
                new[name] = torch.tensor(int(params[name]), dtype=ref.dtype)
                continue
            a = to_array(params[name], name)
            if a.size != ref.numel():
                raise BadInput(f'tensor {name!r} needs {ref.numel()} values, got {a.size}')
            new[name] = torch.tensor(a.reshape(ref.shape), dtype=self.dtype)
        self.model.load_state_dict(new)

    def optimizer_state(self):
        """{name: {momentum_buffer | step, exp_avg, exp_avg_sq}} for parameters that have state."""
        out = {}
        for name, p in zip(self.names, self.params):
            st = self.opt.state.get(p, {})
            d = {}
            for k, v in st.items():
                if v is None:
                    continue
                d[k] = float(v) if v.dim() == 0 else flat(v)
            if d:
                out[name] = d
        return out

    def load_optimizer(self, state):
        unknown = sorted(set(state) - set(self.names))
        if unknown:
            raise BadInput(f'optimizer_state: unknown parameter {unknown[0]!r}')
        for name, p in zip(self.names, self.params):
            if name not in state:
                continue
            st = {}
            for k, v in state[name].items():
                if k == 'step':
                    st[k] = torch.tensor(float(v))  # torch 1.13 keeps a float32 scalar tensor
                elif k in ('momentum_buffer', 'exp_avg', 'exp_avg_sq'):
                    st[k] = torch.tensor(to_array(v, f'{name}.{k}').reshape(p.shape), dtype=self.dtype)
                else:
                    raise BadInput(f'optimizer_state: unknown entry {k!r} of {name!r}')
            self.opt.state[p] = st

    def forward_backward(self):
        """zero_grad → forward (train mode) → backward: (loss, accuracy) as floats."""
        self.opt.zero_grad(set_to_none=False)
        self.model.train()
        out = self.model(self.X)
        loss = F.cross_entropy(out, self.y)
        loss.backward()
        return float(loss), accuracy(out, self.y)

    def total_norm(self):
        """The 2-norm over every gradient, as clip_grad_norm_ computes it."""
        return torch.norm(torch.stack([torch.norm(p.grad.detach(), 2.0) for p in self.params]), 2.0)

    def step(self):
        """One training step; returns (loss, accuracy, total norm, clipped, grads before clipping)."""
        loss, acc = self.forward_backward()
        grads = {n: p.grad.detach().clone() for n, p in zip(self.names, self.params)}
        if self.clip == 'norm':
            total = torch.nn.utils.clip_grad_norm_(self.params, self.clip_at)
            clipped = bool(self.clip_at / (total + 1e-6) < 1)
        else:
            total = self.total_norm()
            clipped = False
            if self.clip == 'value':
                clipped = any(bool((p.grad.abs() > self.clip_at).any()) for p in self.params)
                torch.nn.utils.clip_grad_value_(self.params, self.clip_at)
        self.opt.step()
        return loss, acc, float(total), clipped, grads

    def evaluate(self):
        """Loss and accuracy of a train-mode forward pass, running statistics untouched."""
        m = copy.deepcopy(self.model)
        m.train()
        with torch.no_grad():
            out = m(self.X)
            return float(F.cross_entropy(out, self.y)), accuracy(out, self.y)

    def shapes(self):
        return {k: list(v.shape) for k, v in self.model.state_dict().items()}


def accuracy(out, y):
    """Fraction of points whose class-1 logit is larger exactly when y = 1 (GradLab's rule; NaN → class 0)."""
    pred = (out[:, 1] > out[:, 0]).long()
    return float((pred == y).double().mean())


def dist(a, b):
    """‖a − b‖ over the entries where both are finite (as a JSON number)."""
    a, b = a.detach().double(), b.detach().double()
    ok = torch.isfinite(a) & torch.isfinite(b)
    return num(torch.norm(torch.where(ok, a - b, torch.zeros_like(a))))


def spread_kind(lane):
    v = lane.get('spread', False)
    if v in (False, None):
        return None
    if v is True:
        return 'reversed'
    if v not in ('reversed', 'float64'):
        raise BadInput(f'spread must be true, "reversed" or "float64", got {v!r}')
    return v


def run_grads(lane):
    ln = Lane(lane)
    kind = spread_kind(lane)
    twin = ln.twin(kind) if kind else None
    loss, acc = ln.forward_backward()
    out = {
        'loss': num(loss), 'accuracy': acc, 'total_norm': num(ln.total_norm()),
        'grads': {n: flat(p.grad) for n, p in zip(ln.names, ln.params)},
        'shapes': ln.shapes(),
    }
    if twin is not None:
        loss2, _ = twin.forward_backward()
        out['spread'] = {'loss': num(abs(loss - loss2)),
                         'grads': {n: dist(p.grad, q.grad) for n, p, q in zip(ln.names, ln.params, twin.params)}}
    return out


def state_spread(a, b):
    """‖Δ‖ per tensor between two lanes after a step: parameters and statistics, optimizer moments."""
    sa, sb = a.model.state_dict(), b.model.state_dict()
    params = {k: dist(v, sb[k]) for k, v in sa.items() if v.is_floating_point()}
    opt = {}
    for name, p, q in zip(a.names, a.params, b.params):
        st, st2 = a.opt.state.get(p, {}), b.opt.state.get(q, {})
        d = {k: dist(v, st2[k]) for k, v in st.items() if torch.is_tensor(v) and v.dim() > 0}
        if d:
            opt[name] = d
    return {'params': params, 'optimizer': opt}


def run_steps(lane):
    ln = Lane(lane)
    K = count(lane, 'steps', 0, 0)
    snaps = lane.get('snapshots', list(DEFAULT_SNAPSHOTS))
    if not isinstance(snaps, list) or not all(isinstance(k, int) and k >= 0 for k in snaps):
        raise BadInput(f'snapshots must be a list of integers >= 0, got {snaps!r}')
    with_grads = bool(lane.get('grads_at_snapshots', False))
    kind = spread_kind(lane)
    total_steps = max([K] + [k + 1 for k in snaps])
    twin = ln.twin(kind) if kind else None  # steps 0..K again, the other way
    raw, twin_raw = [], []  # the losses as floats, for the spread
    losses, accs, norms, clipped, out_snaps = [], [], [], [], []
    one = None
    for k in range(total_steps):
        snap = None
        if k in snaps:
            snap = {'step': k, 'params': tensors_out(ln.model.state_dict()), 'optimizer': ln.optimizer_state()}
            one = ln.twin(kind) if kind else None  # this state, one step the other way
        loss, acc, total, clip, grads = ln.step()
        raw.append(loss)
        if twin is not None and k < K:
            twin_raw.append(twin.step()[0])
        losses.append(num(loss))
        accs.append(acc)
        norms.append(num(total))
        clipped.append(clip)
        if snap is not None:
            snap['next'] = {'loss': num(loss), 'total_norm': num(total),
                            'params': tensors_out(ln.model.state_dict()), 'optimizer': ln.optimizer_state()}
            if with_grads:
                snap['next']['grads'] = {n: flat(g) for n, g in grads.items()}
            if one is not None:
                loss2 = one.step()[0]
                snap['next']['spread'] = {'loss': num(abs(loss - loss2)), **state_spread(ln, one)}
            out_snaps.append(snap)
    loss, acc = ln.evaluate()
    raw.append(loss)
    losses.append(num(loss))
    accs.append(acc)
    out = {'loss': losses, 'accuracy': accs, 'total_norm': norms, 'clipped': clipped,
           'snapshots': out_snaps, 'shapes': ln.shapes()}
    if twin is not None:
        # raw[k] is the loss after k updates; raw[K] too when K < total_steps
        twin_raw.append(twin.evaluate()[0])
        out['loss_spread'] = [num(abs(a - b)) for a, b in zip(raw[:K + 1], twin_raw)]
    return out


def run_init(lane):
    """The parameters a lane starts from (no params given: init, seed, …)."""
    ln = Lane(lane)
    return {'params': tensors_out(ln.model.state_dict()), 'shapes': ln.shapes()}


def run_spiral(lane):
    X, y = spiral(count(lane, 'points', 1), positive(lane, 'turns'))
    noise = float(lane.get('noise', 0))
    if noise > 0:  # GradLab's noise: U(−noise, noise) from torch.manual_seed(data_seed)
        torch.manual_seed(int(lane.get('data_seed', 0)))
        X = X + noise * (2 * torch.rand(X.shape, dtype=torch.float64).numpy() - 1)
    return {'X': [[num(a), num(b)] for a, b in X.tolist()], 'y': [int(c) for c in y]}


RUN = {'grads': run_grads, 'steps': run_steps, 'init': run_init, 'spiral': run_spiral}


def run(request, mode=None, dump=None):
    """Answers one request (a lane, or {"lanes": [...]} with shared defaults)."""
    if not isinstance(request, dict):
        raise BadInput('the request must be a JSON object')
    shared = {k: v for k, v in request.items() if k != 'lanes'}
    if dump is not None:
        shared = {**dump, **shared}
    if mode is not None:
        shared.setdefault('mode', mode)

    def one(lane):
        if not isinstance(lane, dict):
            raise BadInput('every lane must be a JSON object')
        full = {**shared, **lane}
        m = choice(full, 'mode', MODES)
        out = RUN[m](full)
        if 'name' in full:
            out = {'name': full['name'], **out}
        return out

    if 'lanes' in request:
        if not isinstance(request['lanes'], list):
            raise BadInput('lanes must be a list')
        return {'lanes': [one(lane) for lane in request['lanes']]}
    return one({})


def read_dump(path):
    """A GradLab --dump-init file: X, y and the tensors (top level or under "params")."""
    with open(path, encoding='utf-8') as f:
        d = json.load(f)
    if not isinstance(d, dict):
        raise BadInput(f'{path}: not a JSON object')
    out = {k: d[k] for k in ('X', 'y') if k in d}
    tensors = d.get('params') or d.get('state_dict') or {
        k: v for k, v in d.items() if k.split('.')[0] in ('stem', 'hidden', 'norms', 'head')}
    if tensors:
        out['params'] = tensors
    return out


def main(argv):
    torch.set_num_threads(1)  # the same summation order on every run
    args = list(argv)
    mode = args.pop(0) if args and args[0] in MODES else None
    src, dump = None, None
    while args:
        a = args.pop(0)
        if a in ('--input', '--dump') and args:
            if a == '--input':
                src = args.pop(0)
            else:
                dump = read_dump(args.pop(0))
        else:
            raise BadInput(f'unknown argument {a!r} (usage: train_ref.py grads|steps|spiral '
                           '[--input FILE] [--dump FILE] < request.json)')
    text = open(src, encoding='utf-8').read() if src else sys.stdin.read()
    try:
        request = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as e:
        raise BadInput(f'the request is not JSON: {e}') from None
    json.dump(run(request, mode, dump), sys.stdout, separators=(',', ':'), allow_nan=False)
    sys.stdout.write('\n')


if __name__ == '__main__':
    try:
        main(sys.argv[1:])
    except (BadInput, OSError) as e:
        print(f'train_ref.py: {e}', file=sys.stderr)
        sys.exit(2)
