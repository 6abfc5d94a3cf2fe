"""The third vocabulary's in-place writes and integer / bool ops (fuzz_vocabulary18.py has the rest):
`label: fn(lib, *operands)` tables built from the program's RNG, run on torch and jitgrad alike."""
from fuzz_vocabulary18 import _y


def inplace18(r, x, y):
    """In-place writes into x (a tensor of the program; the caller checks it
    is writable); y: another variable (tensor or number)."""
    ops = {
        "v.sub_(y, alpha=2)": lambda L, x, y: x.sub_(y, alpha=2),
        "v.div_(y)": lambda L, x, y: x.div_(y),
        "v.div_(y, rounding_mode='floor')": lambda L, x, y: x.div_(y, rounding_mode="floor"),
        "v.pow_(2)": lambda L, x, y: x.pow_(2),
        "v.exp_()": lambda L, x, y: x.exp_(),
        "v.neg_()": lambda L, x, y: x.neg_(),
        "v.abs_()": lambda L, x, y: x.abs_(),
        "v.tanh_()": lambda L, x, y: x.tanh_(),
        "v.relu_()": lambda L, x, y: x.relu_(),
        "v.clamp_min_(0.5)": lambda L, x, y: x.clamp_min_(0.5),
        "v.clamp_max_(y)": lambda L, x, y: x.clamp_max_(y),
        "v.addcmul_(y, y, value=2)": lambda L, x, y: x.addcmul_(_y(L, x, y), _y(L, x, y), value=2),
        "v.addcdiv_(y, 2)": lambda L, x, y: x.addcdiv_(_y(L, x, y), L.tensor(2.0, dtype=x.dtype)),
        "v.lerp_(y, 0.25)": lambda L, x, y: x.lerp_(_y(L, x, y), 0.25),
        "v.copy_(y)": lambda L, x, y: x.copy_(_y(L, x, y)),
        "v.fill_(y.sum())": lambda L, x, y: x.fill_(_y(L, x, y).sum()),
        "v.fill_(-0.0)": lambda L, x, y: x.fill_(-0.0),
        "v.masked_fill_(v > 0, y.sum())": lambda L, x, y: x.masked_fill_(x > 0, _y(L, x, y).sum()),
        "v.index_fill_(0, [0], 2)": lambda L, x, y: x.index_fill_(0, L.tensor([0]), 2.0),
        "v[::2].mul_(y)": lambda L, x, y: (x[::2].mul_(y), x)[1],
        "v[::2].zero_()": lambda L, x, y: (x[::2].zero_(), x)[1],
        "v[-1:].copy_(y)": lambda L, x, y: (x[-1:].copy_(_y(L, x, y)), x)[1],
        "v.t()[0].add_(y)": lambda L, x, y: (x.t()[0].add_(y), x)[1],
        "v.unsqueeze(0)[0].mul_(2)": lambda L, x, y: (x.unsqueeze(0)[0].mul_(2), x)[1],
        "v.view(-1)[0] = y.sum()": lambda L, x, y: (x.view(-1).__setitem__(0, _y(L, x, y).sum()), x)[1],
        "v[...] = y": lambda L, x, y: (x.__setitem__(Ellipsis, y), x)[1],
        "v[v < 0] = 0": lambda L, x, y: (x.__setitem__(x < 0, 0.0), x)[1],
        "v[v > 0] = y.sum()": lambda L, x, y: (x.__setitem__(x > 0, _y(L, x, y).sum()), x)[1],
        "v.sin_().mul_(2)": lambda L, x, y: x.sin_().mul_(2),
        "v.mul_(True)": lambda L, x, y: x.mul_(True),
        "v.add_(y.long())": lambda L, x, y: x.add_(_y(L, x, y).long()),
        "v.nan_to_num_(0.0)": lambda L, x, y: x.nan_to_num_(0.0),
        "v.sqrt_()": lambda L, x, y: x.sqrt_(),
        "v.sigmoid_()": lambda L, x, y: x.sigmoid_(),
        "v.square_()": lambda L, x, y: x.square_(),
        "v.reciprocal_()": lambda L, x, y: x.reciprocal_(),
        "v.floor_()": lambda L, x, y: x.floor_(),
        "v.clamp_(y, None)": lambda L, x, y: x.clamp_(_y(L, x, y), None),
        "v.hardtanh_": lambda L, x, y: L.nn.functional.hardtanh_(x),
        "v.atan2_(y)": lambda L, x, y: x.atan2_(_y(L, x, y).to(x.dtype)),
        "v.hypot_(y)": lambda L, x, y: x.hypot_(_y(L, x, y).to(x.dtype)),
        "v.fmod_(2)": lambda L, x, y: x.fmod_(2),
        "v.remainder_(y)": lambda L, x, y: x.remainder_(y),
    }
    if x.ndim >= 1 and x.shape[0] > 0:
        ops.update({
            "v.index_add_(0, [0], y)": lambda L, x, y: x.index_add_(0, L.tensor([0]), L.broadcast_to(
                _y(L, x, y), (1,) + tuple(x.shape[1:])), alpha=-1),
            "v.index_copy_(0, [-1], y)": lambda L, x, y: x.index_copy_(0, L.tensor([x.shape[0] - 1]), L.broadcast_to(
                _y(L, x, y), (1,) + tuple(x.shape[1:])).to(x.dtype)),
            "v.scatter_(0, zeros, y)": lambda L, x, y: x.scatter_(0, L.zeros((1,) + tuple(x.shape[1:]), dtype=L.int64),
                                                                  L.broadcast_to(_y(L, x, y), (1,) + tuple(x.shape[1:]))
                                                                  .to(x.dtype)),
            "v.scatter_add_(0, zeros, v)": lambda L, x, y: x.scatter_add_(0, L.zeros_like(x, dtype=L.int64), x * 1),
            "v.scatter_reduce_(0, zeros, y, amin)": lambda L, x, y: x.scatter_reduce_(
                0, L.zeros_like(x, dtype=L.int64), L.broadcast_to(_y(L, x, y), x.shape).to(x.dtype), "amin"),
            "v.put_([0], y)": lambda L, x, y: x.put_(L.tensor([0]), _y(L, x, y).reshape(-1)[:1].to(x.dtype)),
            "v.masked_scatter_(v > 0, ...)": lambda L, x, y: x.masked_scatter_(x > 0, x.detach() * 0 + 2),
            "v[0].unsqueeze(0).add_(1)": lambda L, x, y: (x[0].unsqueeze(0).add_(1), x)[1],
            "v[[0]] = y": lambda L, x, y: (x.__setitem__([0], _y(L, x, y).to(x.dtype)), x)[1],
            "v[0] += y": lambda L, x, y: _iadd_item(x, y),
            "v.narrow(0, 0, 1).div_(y)": lambda L, x, y: (x.narrow(0, 0, 1).div_(y), x)[1],
        })
    if x.ndim == 2:
        ops.update({
            "v.fill_diagonal_(3)": lambda L, x, y: x.fill_diagonal_(3.0),
            "v.diagonal().zero_()": lambda L, x, y: (x.diagonal().zero_(), x)[1],
            "v.transpose(0, 1)[::2].mul_(y)": lambda L, x, y: (x.transpose(0, 1)[::2].mul_(y), x)[1],
            "v[:, 0] = y.sum()": lambda L, x, y: (x.__setitem__((slice(None), 0), _y(L, x, y).sum()), x)[1],
            "v.tril_()": lambda L, x, y: x.tril_(),
        })
    # (no t_ / squeeze_ / unsqueeze_: jitgrad refuses them on tensors with views or grad, see README)
    return ops


def _iadd_item(x, y):
    x[0] += y
    return x


def ints18(r):
    """Ops on integer and bool tensors (x: a float variable; casts made here)."""
    k = r.choice((2, -3, 5))
    return {
        f"x.long() & {k}": lambda L, x: x.long() & k,
        "x.long() | x.long().neg()": lambda L, x: x.long() | x.long().neg(),
        "x.long() ^ 3": lambda L, x: x.long() ^ 3,
        "~(x > 0)": lambda L, x: ~(x > 0),
        "~x.long()": lambda L, x: ~x.long(),
        "x.long() << 2": lambda L, x: x.long() << 2,
        "x.long() >> 1": lambda L, x: x.long().abs() >> 1,
        # (small integers: torch's lcm of nan.long(), INT64_MIN, dies of SIGFPE)
        f"gcd(x.long(), {k})": lambda L, x: L.gcd(x.nan_to_num().clamp(-9, 9).long(), L.tensor(k)),
        f"lcm(x.long(), {k})": lambda L, x: L.lcm(x.nan_to_num().clamp(-9, 9).long(), L.tensor(k)),
        "bitwise_not(x > 0)": lambda L, x: L.bitwise_not(x > 0),
        "logical_not(x)": lambda L, x: L.logical_not(x),
        f"x.long().float_power({k})": lambda L, x: x.long().float_power(k),
        f"x.long().pow({k})": lambda L, x: x.long().abs().pow(abs(k)),
        f"x.long().div({k}, floor)": lambda L, x: x.long().div(k, rounding_mode="floor"),
        f"x.long().fmod({k})": lambda L, x: x.long().fmod(k),
        f"x.long().remainder({k})": lambda L, x: x.long().remainder(k),
        "x.int() * (x > 0)": lambda L, x: x.int() * (x > 0),
        "(x > 0).sum(0)": lambda L, x: (x > 0).sum(0) if x.ndim else (x > 0).sum(),
        "(x > 0).cumsum(0)": lambda L, x: (x > 0).cumsum(0) if x.ndim else (x > 0).cumsum(0),
        "(x > 0).float().mean()": lambda L, x: (x > 0).float().mean(),
        "(x > 0).any()": lambda L, x: (x > 0).any(),
        "(x > 0) + (x < 0)": lambda L, x: (x > 0) + (x < 0),
        "(x > 0) * (x < 1)": lambda L, x: (x > 0) * (x < 1),
        "(x > 0) - 1": lambda L, x: (x > 0).long() - 1,
        "x.long().prod()": lambda L, x: x.long().prod(),
        "x.long().max(0)": lambda L, x: tuple(x.long().max(0)) if x.ndim else x.long().max(),
        "x.long().sort()": lambda L, x: tuple(x.long().sort()),
        "x.long().abs().clamp(max=1)": lambda L, x: x.long().abs().clamp(max=1),
        "x.long().mean()": lambda L, x: x.long().mean(),
        "x.long().mean(dtype=float64)": lambda L, x: x.long().mean(dtype=L.float64),
        "x.long().sum(dtype=float32)": lambda L, x: x.long().sum(dtype=L.float32),
        "x.to(uint8) + 250": lambda L, x: x.abs().to(L.uint8) + 250,
        "x.to(int8) * 100": lambda L, x: x.to(L.int8) * 100,
        "x.to(int16).sum()": lambda L, x: x.to(L.int16).sum(),
        "x.int().div(2)": lambda L, x: x.int().div(2),
        "x.long().sqrt()": lambda L, x: x.long().sqrt(),
        "x.long().sigmoid()": lambda L, x: x.long().sigmoid(),
        "(x > 0).float().exp()": lambda L, x: (x > 0).to(x.dtype).exp(),
        "x.bool().sum(dtype=int32)": lambda L, x: x.bool().sum(dtype=L.int32),
        "x.long().cumprod(0)": lambda L, x: x.long().cumprod(0),
        "x.long().argmax()": lambda L, x: x.long().argmax() if x.numel() else x.long(),
        "x.long() == x": lambda L, x: x.long() == x,
        "x.long().where(x > 0, -1)": lambda L, x: x.long().where(x > 0, -1),
        "x.long().clamp(-1, 1).float() * x": lambda L, x: x.long().clamp(-1, 1).to(x.dtype) * x,
        "x * x.long()": lambda L, x: x * x.long(),
        "x.long() / x": lambda L, x: x.long() / x,
        "x ** x.long()": lambda L, x: x ** x.long().clamp(-2, 2),
        "(x > 0) ** 2": lambda L, x: (x > 0) ** 2,
        "maximum(x, x.long())": lambda L, x: L.maximum(x, x.long()),
        "atan2(x.long(), x)": lambda L, x: L.atan2(x.long(), x),
        "x.long().neg().abs()": lambda L, x: x.long().neg().abs(),
        "x.long().sign()": lambda L, x: x.long().sign(),
        "x.long().square()": lambda L, x: x.long().square(),
        "x.long() % 0": lambda L, x: x.long() % 0,
        "x.long() // 0": lambda L, x: x.long() // 0,
    }
