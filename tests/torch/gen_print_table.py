#!/usr/bin/env python3
"""gen_print_table.py — what PyTorch prints, written once to tests/data/torch-print.json.

tests/node/torchprint.test.js holds web/torchprint.js to this table with no torch
at test time.  Run it again only to regenerate the table (same seed, same rows):

  $(tests/torch/find-python.sh) tests/torch/gen_print_table.py [OUT]

The table has two parts, every value stored as the hex of its IEEE bits (big
endian; 8 digits for float32, 16 for float64) so that -0, inf and nan survive
JSON:
  scalars  [dtype, bits, default, sci, fixed]: one value as torch prints a 0-d
           tensor of it (torch._tensor_str._tensor_str, the text inside
           `tensor(...)`) with the default options, with sci_mode=True and
           with sci_mode=False.  Edge values (ties such as 123445 and 1.03125,
           -0, inf, nan, the mode thresholds, subnormals, the largest finite
           values, integers) in both dtypes, then random values from fixed seeds.
  tensors  {dtype, shape, bits, repr}: small vectors and matrices (and a few
           summarized ones with more than 1000 entries) in int, fixed and
           scientific modes, with inf/nan/-0, and repr(t) as torch prints it.
"""
import json
import math
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', 'data', 'torch-print.json')
DTYPES = {'float32': torch.float32, 'float64': torch.float64}


def bits(values, dtype):
    """The hex of the IEEE bits of every value, concatenated (big endian)."""
    code = '>f' if dtype == 'float32' else '>d'
    return ''.join(struct.pack(code, v).hex() for v in values)


def value_str(t):
    """The text inside tensor(...) for a 0-d tensor: formatter1.format(t.item())."""
    return torch._tensor_str._tensor_str(t, 0)


def scalar_row(v, dtype):
    t = torch.tensor(v, dtype=DTYPES[dtype])
    torch.set_printoptions(profile='default')
    default = value_str(t)
    torch.set_printoptions(sci_mode=True)
    sci = value_str(t)
    torch.set_printoptions(sci_mode=False)
    fixed = value_str(t)
    torch.set_printoptions(profile='default')  # also resets sci_mode to None
    return [dtype, bits([t.item()], dtype), default, sci, fixed]


# ---- single values -------------------------------------------------------------

EDGE = [
    0.0, -0.0, math.inf, -math.inf, math.nan, 1.0, -1.0, 2.0, 0.5, -0.5, 0.1, -0.1, 1 / 3, -2 / 3, math.pi, math.e,
    # exact ties at the 4th decimal or 5th significant digit: Python rounds them to even
    1.03125, -1.03125, 1.09375, 0.15625, 10.0625, 2.03125, 0.96875, 9.99995, 0.99995, 999.99995,
    123445.0, -123445.0, 123455.0, 1234450.0, 12344500.0, 99995.0, 999950.0, 100005.0, 2.5, 3.5, 12.5,
    # the mode thresholds: min < 1e-4, max > 1e8
    1e-4, 9.9999e-5, 1.0001e-4, 1e8, 99999999.0, 100000001.0, 1e8 + 0.5, 123456789.0, 1.5e8,
    # integers, small and large
    3.0, -17.0, 1000.0, 1001.0, 65504.0, 16777216.0, 16777217.0, 2.0 ** 53, 1e16, 1e22, 1e23, -1e23,
    # tiny and huge, subnormals, the largest finite values
    1e-5, -1e-5, 1.5e-10, 1e-30, 1e-38, 1.17549435e-38, 1.4e-45, 1e-300, 5e-324, -5e-324, 2.2250738585072014e-308,
    1e25, 1.4398e25, 4.5131e25, 3.4028234663852886e38, -3.4028234663852886e38, 1e300, 1.7976931348623157e308,
    # rounding carries into a new digit
    9.99999, 99.99999, 0.099999, 9.9999949, 9.99996e10, -9.99996e-10,
]


def random_values(gen):
    """(dtype, values) groups drawn from fixed seeds."""
    n = lambda k, dtype=torch.float32: torch.randn(k, generator=gen, dtype=dtype)  # noqa: E731
    groups = []
    # torch.randn itself, as a user's tensor would hold it
    groups.append(('float32', n(6000).tolist()))
    # randn scaled by 10^s, s = -8..30: every magnitude torch switches mode at
    s = torch.randint(-8, 31, (6000,), generator=gen).double()
    groups.append(('float32', (n(6000).double() * 10.0 ** s).float().tolist()))
    # raw float32 bit patterns (every exponent, subnormals), finite only
    raw = torch.randint(0, 2 ** 31 - 1, (2000,), generator=gen, dtype=torch.int64)
    sign = torch.randint(0, 2, (2000,), generator=gen) << 31
    f = torch.tensor([struct.unpack('>f', struct.pack('>I', int(b)))[0] for b in (raw | sign).tolist()])
    groups.append(('float32', f[torch.isfinite(f)].tolist()))
    # tie-prone: m / 2^j and integers, where a decimal digit 5 can end the exact value
    m = torch.randint(0, 2 ** 24, (3000,), generator=gen).double()
    j = torch.randint(0, 11, (3000,), generator=gen).double()
    sgn = torch.randint(0, 2, (3000,), generator=gen).double() * 2 - 1
    groups.append(('float32', (sgn * m / 2.0 ** j).float().tolist()))
    # float64: full 53-bit mantissas over every magnitude
    s = torch.randint(-12, 40, (2500,), generator=gen).double()
    groups.append(('float64', (n(2500, torch.float64) * 10.0 ** s).tolist()))
    return groups


# ---- whole tensors --------------------------------------------------------------

def contents(gen, numel):
    """Named fillings of numel values (float64, cast per dtype later)."""
    r = lambda: torch.randn(numel, generator=gen, dtype=torch.float64)  # noqa: E731
    special = [math.inf, -math.inf, math.nan, -0.0, 0.0]

    def with_special(x):
        x = x.clone()
        for i, v in enumerate(special[:numel]):
            x[(i * 7) % numel] = v
        return x

    ints = torch.randint(-50, 51, (numel,), generator=gen).double()
    out = {
        'fixed': r(),
        'fixed_small': r() * 1e-2,
        'fixed_wide': r() * 300,
        'sci_tiny': r() * 1e-6,
        'sci_huge': r() * 1e25,
        'sci_ratio': r() * torch.tensor([1e2 if i % 2 == 0 else 1e-2 for i in range(numel)], dtype=torch.float64),
        'ints': ints,
        'ints_big': ints * 1e7,
        'ints_ratio': torch.tensor([5000.0 if i % 3 == 0 else 1.0 for i in range(numel)], dtype=torch.float64) + ints,
        'special_fixed': with_special(r()),
        'special_sci': with_special(r() * 1e30),
        'special_ints': with_special(ints),
        'zeros': torch.zeros(numel, dtype=torch.float64),
        'negzeros': -torch.zeros(numel, dtype=torch.float64),
        'nonfinite': torch.tensor([special[i % 3] for i in range(numel)], dtype=torch.float64),
        'ties': torch.tensor([[1.03125, -123445.0, 2.5, 0.96875, 10.0625][i % 5] for i in range(numel)],
                             dtype=torch.float64),
    }
    return out


def d2l_product(gen, dtype):
    """d2l's exploding example: M = N(0,1) 4x4, then 100 times M = M @ N(0,1) 4x4."""
    m = torch.normal(0, 1, size=(4, 4), generator=gen, dtype=dtype)
    for _ in range(100):
        m = m @ torch.normal(0, 1, size=(4, 4), generator=gen, dtype=dtype)
    return m


def tensor_row(t):
    dtype = 'float32' if t.dtype == torch.float32 else 'float64'
    return {'dtype': dtype, 'shape': list(t.shape), 'bits': bits(t.reshape(-1).tolist(), dtype), 'repr': repr(t)}


def tensors(gen):
    rows = []
    small = [(), (1,), (5,), (13,), (1, 1), (2, 2), (2, 3), (4, 4), (3, 12), (6, 6), (8, 8), (1, 20), (20, 1)]
    for shape in small:
        numel = math.prod(shape)
        for x in contents(gen, numel).values():
            for dtype in DTYPES.values():
                rows.append(tensor_row(x.to(dtype).reshape(shape)))
    # summarized (more than 1000 entries): only the shown ends choose the formatter
    for shape in [(1200,), (32, 32), (2, 600), (64, 64)]:
        numel = math.prod(shape)
        c = contents(gen, numel)
        for name in ['fixed', 'sci_huge', 'special_fixed']:
            rows.append(tensor_row(c[name].float().reshape(shape)))
        rows.append(tensor_row(c['fixed'].reshape(shape)))  # and one float64
    # a huge entry in the middle of a summarized matrix is not shown, so it does not force sci mode
    x = torch.randn(40, 40, generator=gen, dtype=torch.float64)
    x[20, 20] = 1e30
    rows.append(tensor_row(x.float()))
    for dtype in DTYPES.values():
        rows.append(tensor_row(d2l_product(gen, dtype)))
    empty = torch.zeros(0)
    rows += [tensor_row(empty), tensor_row(empty.double()), tensor_row(torch.zeros(0, 3))]
    return rows


def main():
    gen = torch.Generator().manual_seed(13)
    scalars = [scalar_row(v, dtype) for v in EDGE for dtype in DTYPES]
    for dtype, values in random_values(gen):
        scalars += [scalar_row(v, dtype) for v in values]
    table = {
        'about': 'PyTorch print output; generated by tests/torch/gen_print_table.py, do not edit',
        'torch': torch.__version__,
        'scalars_columns': ['dtype', 'bits', 'default', 'sci_mode=True', 'sci_mode=False'],
        'scalars': scalars,
        'tensors': tensors(gen),
    }
    # one row a line: small diffs when regenerated, still plain JSON
    with open(OUT, 'w') as f:
        f.write('{\n')
        keys = list(table)
        for i, k in enumerate(keys):
            v = table[k]
            end = ',\n' if i < len(keys) - 1 else '\n'
            if isinstance(v, list) and k in ('scalars', 'tensors'):
                f.write(f'{json.dumps(k)}: [\n' + ',\n'.join(json.dumps(r, separators=(',', ':')) for r in v) + '\n]' + end)
            else:
                f.write(f'{json.dumps(k)}: {json.dumps(v)}{end}')
        f.write('}\n')
    print(f'{OUT}: {len(scalars)} scalars, {len(table["tensors"])} tensors')


if __name__ == '__main__':
    main()
