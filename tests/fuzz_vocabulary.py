"""The op vocabulary of the eager fuzzer (fuzz_programs.py): each entry is
`name: fn(lib, *operands)`, written once against the torch API and run on
both torch and jitgrad. `r` is the program's RNG: choices made here are
made once, before the lockstep run, so both libraries run the same op."""


def _dims(x):
    return max(x.ndim, 1)


# ----- the op vocabulary: (name, applies(torch tensor) -> bool, fn(lib, x, r))
# `r` is the program's RNG, used only through _pick helpers that both
# libraries see identically (called once, before the lockstep run).

def _dim(r, x):
    return r.randrange(-_dims(x), _dims(x))


UNARY = {
    "sin": lambda L, x: x.sin(),
    "exp": lambda L, x: x.exp(),
    "tanh": lambda L, x: x.tanh(),
    "sigmoid": lambda L, x: x.sigmoid(),
    "relu": lambda L, x: x.relu(),
    "F.relu": lambda L, x: L.nn.functional.relu(x),
    "abs": lambda L, x: x.abs(),
    "neg": lambda L, x: -x,
    "sqrt": lambda L, x: x.sqrt(),
    "log": lambda L, x: x.log(),
    "sign": lambda L, x: x.sign(),
    "floor": lambda L, x: x.floor(),
    "round": lambda L, x: x.round(),
    "clamp(min=0)": lambda L, x: x.clamp(min=0),
    "clamp(-1, 1)": lambda L, x: x.clamp(-1, 1),
    "clamp(min=0).sqrt()": lambda L, x: x.clamp(min=0).sqrt(),
    "x ** 0": lambda L, x: x ** 0,
    "x ** 2": lambda L, x: x ** 2,
    "x ** 3": lambda L, x: x ** 3,
    "x * x": lambda L, x: x * x,
    "1 / x": lambda L, x: 1 / x,
    "x * 2.5": lambda L, x: x * 2.5,
    "1 - x": lambda L, x: 1 - x,
    "x / 4": lambda L, x: x / 4,
    "softplus": lambda L, x: L.nn.functional.softplus(x),
    "leaky_relu": lambda L, x: L.nn.functional.leaky_relu(x, 0.1),
    "clone": lambda L, x: x.clone(),
    "detach": lambda L, x: x.detach(),
    "x.float()": lambda L, x: x.float(),
    "x.double()": lambda L, x: x.double(),
}

BINARY = {
    "add": lambda L, x, y: x + y,
    "sub": lambda L, x, y: x - y,
    "mul": lambda L, x, y: x * y,
    "div": lambda L, x, y: x / y,
    "maximum": lambda L, x, y: L.maximum(x, y),
    "minimum": lambda L, x, y: L.minimum(x, y),
    "pow": lambda L, x, y: x.abs() ** y,
    "atan2": lambda L, x, y: L.atan2(x, y),
    "where": lambda L, x, y: L.where(x > 0, x, y),
    "mse_loss": lambda L, x, y: L.nn.functional.mse_loss(x, y),
    "l1_loss": lambda L, x, y: L.nn.functional.l1_loss(x, y),
    "smooth_l1_loss": lambda L, x, y: L.nn.functional.smooth_l1_loss(x, y),
    "hypot": lambda L, x, y: L.hypot(x, y) if hasattr(y, "dtype") else L.hypot(x, L.tensor(y)),
    "fmod": lambda L, x, y: L.fmod(x, y),
    "remainder": lambda L, x, y: L.remainder(x, y),
    # (y > 0: torch's d/dx is xlogy(grad, y), 0 where grad is 0 even at log(y) = nan/-inf; see README)
    "xlogy": lambda L, x, y: L.xlogy(x, y.abs() + 0.5 if hasattr(y, "abs") else abs(y) + 0.5),
    "logaddexp": lambda L, x, y: L.logaddexp(x, y) if hasattr(y, "dtype") else L.logaddexp(x, L.tensor(y)),
    # (the sign of a NaN y is IEEE-unspecified: torch's sqrt(-1) is +nan, NumPy's -nan; not compared)
    "copysign": lambda L, x, y: L.copysign(x, y.nan_to_num() if hasattr(y, "nan_to_num") else y),
    "clamp(min=y)": lambda L, x, y: x.clamp(min=y),
    "clamp(max=y)": lambda L, x, y: x.clamp(max=y),
    "where(y < x)": lambda L, x, y: L.where(y < x, y, x) if hasattr(y, "dtype") else L.where(x > y, x, y),
    "x > y": lambda L, x, y: x > y,
    "x == y": lambda L, x, y: x == y,
    "x <= y": lambda L, x, y: x <= y,
    # (torch's huber backward fails on mixed dtypes: "Found dtype Float but expected Double")
    "huber_loss": lambda L, x, y: L.nn.functional.huber_loss(x, y.to(x.dtype) if hasattr(y, "to") else y),
}
# Binary ops of the eager fuzzer only (the compile fuzzer's CI seeds keep their programs).
BINARY_EAGER = dict(BINARY, **{
    "lerp": lambda L, x, y: L.lerp(x, y if hasattr(y, "dtype") else L.full_like(x, y), 0.3),
    "addcmul": lambda L, x, y: L.addcmul(x, y if hasattr(y, "dtype") else L.tensor(y), x, value=0.5),
})


# Math functions users reach for that the first vocabulary lacked (primitives
# of jitgrad's op table); then nn activations (composites in torch's sense
# too: not in PRIMITIVE).
UNARY_MATH = {
    "cos": lambda L, x: x.cos(),
    "tan": lambda L, x: x.tan(),
    "atan": lambda L, x: x.atan(),
    "sinh": lambda L, x: x.sinh(),
    "log1p": lambda L, x: x.log1p(),
    "expm1": lambda L, x: x.expm1(),
    "log2": lambda L, x: x.log2(),
    "exp2": lambda L, x: x.exp2(),
    "rsqrt": lambda L, x: x.rsqrt(),
    "reciprocal": lambda L, x: x.reciprocal(),
    "erf": lambda L, x: x.erf(),
    "square": lambda L, x: x.square(),
    "trunc": lambda L, x: x.trunc(),
    "frac": lambda L, x: x.frac(),
}
UNARY_NN = {
    "gelu": lambda L, x: L.nn.functional.gelu(x),
    "silu": lambda L, x: L.nn.functional.silu(x),
    "elu": lambda L, x: L.nn.functional.elu(x),
    "hardtanh": lambda L, x: L.nn.functional.hardtanh(x),
    "logsigmoid": lambda L, x: L.nn.functional.logsigmoid(x),
}

# Ops whose result may share storage with their input.
VIEWS = {"detach", "clone", "x.float()", "x.double()"}
# Ops that jitgrad records as one primitive saving what torch's node saves.
PRIMITIVE = (set(UNARY) | {"add", "sub", "mul", "div", "pow", "atan2", "maximum", "minimum", "sum", "mean",
                           "prod", "cumsum", "reshape", "unsqueeze", "squeeze", "flip", "transpose", "stack",
                           "cat", "x[0]", "x[1:]", "x.t", "expand", "pad"}) | set(UNARY_MATH)
UNARY.update(UNARY_MATH)
UNARY.update(UNARY_NN)


def _reductions(r, x):
    d = _dim(r, x)
    keep = r.random() < 0.5
    ops = {
        "sum()": lambda L, x: x.sum(),
        f"sum({d}, keepdim={keep})": lambda L, x: x.sum(d, keepdim=keep),
        "mean()": lambda L, x: x.mean(),
        f"mean({d})": lambda L, x: x.mean(d),
        "max()": lambda L, x: x.max(),
        "min()": lambda L, x: x.min(),
        f"amax({d})": lambda L, x: x.amax(d),
        "prod()": lambda L, x: x.prod(),
    }
    if x.numel() > 1:   # (one element: torch's nan std/var carry no graph in double backward, see README)
        ops.update({
            "std()": lambda L, x: x.std(),
            "var()": lambda L, x: x.var(),
        })
    ops.update({
        "norm()": lambda L, x: x.norm(),
        f"logsumexp({d})": lambda L, x: L.logsumexp(x, d),
        f"softmax({d})": lambda L, x: L.softmax(x, d),
        f"log_softmax({d})": lambda L, x: L.log_softmax(x, d),
        f"cumsum({d})": lambda L, x: x.cumsum(d),
        f"cumprod({d})": lambda L, x: x.cumprod(d),
        f"amin({d}, keepdim={keep})": lambda L, x: x.amin(d, keepdim=keep),
        f"max({d}, keepdim={keep})": lambda L, x: tuple(x.max(d, keepdim=keep)),
        f"min({d})": lambda L, x: tuple(x.min(d)),
        f"argmin({d})": lambda L, x: x.argmin(d),
        f"logsumexp({d}, keepdim={keep})": lambda L, x: x.logsumexp(d, keepdim=keep),
        f"norm(p=1, dim={d})": lambda L, x: x.norm(p=1, dim=d),
        "norm(p=3)": lambda L, x: x.norm(p=3),
        f"mean({d}, keepdim={keep})": lambda L, x: x.mean(d, keepdim=keep),
        f"sum(dim=({d},))": lambda L, x: x.sum(dim=(d,)),
        f"logcumsumexp({d})": lambda L, x: L.logcumsumexp(x, d),
        f"cummax({d})": lambda L, x: tuple(x.cummax(d)),
        "nansum()": lambda L, x: x.nansum(),
        f"diff(dim={d})": lambda L, x: x.diff(dim=d),
    })
    if x.numel() > 1:
        ops.update({
            f"std({d}, correction=0)": lambda L, x: x.std(d, correction=0),
            f"var({d}, keepdim={keep})": lambda L, x: x.var(d, keepdim=keep),
            "median()": lambda L, x: x.median(),
        })
    if x.ndim >= 1 and x.numel() > 0:
        # (torch's median(dim) of an expanded tensor reads past its storage:
        # expand(3,) of [4.41] gives 6.9e-310; a torch bug, not imitated)
        dense = 0 in x.stride()
        ops[f"median({d})"] = lambda L, x: tuple((x.contiguous() if dense else x).median(d))
    return ops


def _shape_ops(r, x):
    d = _dim(r, x)
    ops = {
        "reshape(-1)": lambda L, x: x.reshape(-1),
        "unsqueeze(0)": lambda L, x: x.unsqueeze(0),
        "squeeze()": lambda L, x: x.squeeze(),
        f"flip({d})": lambda L, x: x.flip(d),
        f"transpose(0, {d})": lambda L, x: x.transpose(0, d),
        "stack([x, x])": lambda L, x: L.stack([x, x]),
        f"cat([x, x], {d})": lambda L, x: L.cat([x, x], d),
        "cat([x, empty])": lambda L, x: L.cat([x.reshape(-1), L.zeros(0, dtype=x.dtype)]),
    }
    if x.ndim >= 1:
        n = x.shape[0]
        i = r.randrange(-n, n) if n else 0
        ops.update({
            f"x[{i}]": lambda L, x: x[i],
            "x[1:]": lambda L, x: x[1:],
            "x[[0, 0]]": lambda L, x: x[[0, 0]],
            "x[x > 0]": lambda L, x: x[x > 0],
            "pad(x, (1, 2))": lambda L, x: L.nn.functional.pad(x, (1, 2)),
        })
    if x.ndim >= 1:
        n0 = x.shape[0]
        perm = list(range(x.ndim))
        r.shuffle(perm)
        sh = r.choice((1, -1, 2))
        k = r.randrange(n0) if n0 else 0
        ops.update({
            f"permute{tuple(perm)}": lambda L, x: x.permute(*perm),
            f"roll({sh}, {d})": lambda L, x: x.roll(sh, d),
            "repeat(2, ...)": lambda L, x: x.repeat(2, *([1] * (x.ndim - 1))),
            "movedim(0, -1)": lambda L, x: x.movedim(0, -1),
            f"narrow(0, {k}, {min(1, n0 - k)})": lambda L, x: x.narrow(0, k, min(1, n0 - k)),
            f"chunk(2, {d})[0]": lambda L, x: x.chunk(2, d)[0],
            f"split(1, {d})[-1]": lambda L, x: x.split(1, d)[-1] if x.shape[d] else x,
            "flatten()": lambda L, x: x.flatten(),
            # (one output: torch calls a hook on an unused output of unbind with None; see README)
            "unbind(0)[-1]": lambda L, x: x.unbind(0)[-1],
        })
        if n0 > 0:
            idx = [r.randrange(n0) for _ in range(r.randint(1, 4))]
            ops.update({
                f"index_select(0, {idx})": lambda L, x: x.index_select(0, L.tensor(idx)),
                f"x[{idx}]": lambda L, x: x[idx],
                "masked_select(x > 0)": lambda L, x: x.masked_select(x > 0),
                "gather(0, zeros)": lambda L, x: x.gather(0, L.zeros(x.shape, dtype=L.int64)),
                f"index_add(0, {idx[:1]}, x[:1])": lambda L, x: x.index_add(0, L.tensor(idx[:1]), x[:1] * 2),
                "scatter(0, zeros[:1], x[:1])": lambda L, x: x.scatter(0, L.zeros((1,) + tuple(x.shape[1:]),
                                                                                  dtype=L.int64), x[:1] * 3),
                "unfold(0, 1, 1)": lambda L, x: x.unfold(0, 1, 1),
            })
    if x.ndim <= 2:
        ops["x.t()"] = lambda L, x: x.t()
    if x.ndim >= 1 and 1 in tuple(x.shape):
        shape = tuple(3 if s == 1 else s for s in x.shape)
        ops[f"expand{shape}"] = lambda L, x: x.expand(*shape)
    return ops


def _inplace_ops(r, x, y):
    ops = {
        "v.add_(2)": lambda L, x, y: x.add_(2),
        "v.mul_(y)": lambda L, x, y: x.mul_(y),
        "v.add_(y)": lambda L, x, y: x.add_(y),
        "v.clamp_(min=0)": lambda L, x, y: x.clamp_(min=0),
        "v.sigmoid_()": lambda L, x, y: x.sigmoid_(),
        "v.zero_()": lambda L, x, y: x.zero_(),
        "v.detach().zero_()": lambda L, x, y: (x.detach().zero_(), x)[1],
        "v.detach().mul_(3)": lambda L, x, y: (x.detach().mul_(3), x)[1],
    }
    if x.ndim >= 1 and x.shape[0] > 0:
        i = r.randrange(x.shape[0])
        ops[f"v[{i}] = y"] = lambda L, x, y: (x.__setitem__(i, y), x)[1]
        ops["v[0] = 5"] = lambda L, x, y: (x.__setitem__(0, 5.0), x)[1]
    return ops


def _int_ops(r):
    k = r.choice((0, 2, -3))
    return {
        f"v.long() // {k}": lambda L, x: x.long() // k,
        f"v.long() % {k}": lambda L, x: x.long() % k,
        "(v > 0)": lambda L, x: x > 0,
        "v.argmax()": lambda L, x: x.argmax(),
    }


def _matmul_ops(r, x, y):
    ops = {
        "outer(x, x)": lambda L, x, y: L.outer(x.reshape(-1), x.reshape(-1)),
        "dot(x, x)": lambda L, x, y: L.matmul(x.reshape(-1), x.reshape(-1)),
        "einsum('...i,...i->...', x, x)": lambda L, x, y: L.einsum("...i,...i->...", x.reshape(1, -1), x.reshape(1, -1)),
    }
    if x.ndim >= 2:
        ops["x @ x.mT"] = lambda L, x, y: x @ x.mT
        ops["einsum('...ij,...kj->...ik', x, x)"] = lambda L, x, y: L.einsum("...ij,...kj->...ik", x, x)
        if getattr(y, "ndim", 0) >= 1:
            ops["matmul(x, y.mT)"] = lambda L, x, y: L.matmul(x, y.mT if y.ndim >= 2 else y)
    if x.ndim == 2:
        ops["mm(x, x.t())"] = lambda L, x, y: L.mm(x, x.t())
        ops["x @ y[..., None]"] = lambda L, x, y: x @ y.reshape(-1)[:x.shape[1], None] if hasattr(y, "reshape") else x
    if x.ndim == 3:
        ops["bmm(x, x.transpose(1, 2))"] = lambda L, x, y: L.bmm(x, x.transpose(1, 2))
    return ops


def _promotion_ops(r):
    c = r.choice((1.5, 2, -1, True, 0.0))
    return {
        f"x.long() + {c!r}": lambda L, x: x.long() + c,
        f"x.long() * {c!r} * x": lambda L, x: x.long() * c * x,
        "(x > 0) + x": lambda L, x: (x > 0) + x,
        f"(x > 0) * {c!r}": lambda L, x: (x > 0) * c,
        "(x > 0).sum()": lambda L, x: (x > 0).sum(),
        "x.long().sum()": lambda L, x: x.long().sum(),
        "tensor(3) * x": lambda L, x: L.tensor(3) * x,
        f"tensor(3) * {c!r}": lambda L, x: L.tensor(3) * c,
        f"tensor(3) / {c!r}": lambda L, x: L.tensor(3) / c,
        "tensor(7) // 2 + x": lambda L, x: L.tensor(7) // 2 + x,
        "tensor(2.5, float64) * x": lambda L, x: L.tensor(2.5, dtype=L.float64) * x,
        "x * tensor([2.5], float64)": lambda L, x: x * L.tensor([2.5], dtype=L.float64),
        "x + tensor(1, int32)": lambda L, x: x + L.tensor(1, dtype=L.int32),
        "x.int() + x.long()": lambda L, x: x.int() + x.long(),
        "x.long() / 2": lambda L, x: x.long() / 2,
        "x.long() ** 2": lambda L, x: x.long() ** 2,
        "x.bool().float() * x": lambda L, x: x.bool().float() * x,
        f"tensor([1, {c!r}, True]) * x.sum()": lambda L, x: L.tensor([1, c, True]) * x.sum(),
        "tensor([True, False]) + 1": lambda L, x: L.tensor([True, False]) + 1,
        "tensor([[1, 2], [3, 4]]) * 0.5": lambda L, x: L.tensor([[1, 2], [3, 4]]) * 0.5,
        f"x.long() == {c!r}": lambda L, x: x.long() == c,
        f"x < {c!r}": lambda L, x: x < c,
        "x.sum(dtype=float64)": lambda L, x: x.sum(dtype=L.float64),
        "x.to(int64)": lambda L, x: x.to(L.int64),
        "x.double() + x.float()": lambda L, x: x.double() + x.float(),
        "x.abs().long().max()": lambda L, x: x.abs().long().max() if x.numel() else x.long(),
    }


# ----- a second vocabulary (fuzz7): functions users call that the tables above
# lack. Only programs of seeds from MORE_FROM on draw from it (fuzz_programs,
# fuzz_compile: "more" steps), so the seeds named in the README and in earlier
# reports keep their programs.

MORE_FROM = 20_000_000          # (fuzz_compile: seeds from MORE_FROM_COMPILE)
MORE_FROM_COMPILE = 130_000
# Results of the second vocabulary that may share storage with their operand.
MORE_VIEWS = {"view(-1)", "T", "diagonal()", "expand_as"}
# Not followed by a double backward (fuzz_programs): torch's second derivative
# of a norm at zero is nan where jitgrad's is a number (dist, normalize,
# cosine_similarity; as norm), its fused losses' and elu's at their kinks
# likewise (README), cdist has none ("not implemented"), and sgn's is torch's ZeroTensor.
MORE_NO_DOUBLE = ("dist", "normalize", "cosine_similarity", "cdist", "l1_loss", "mse_loss", "F.selu", "F.celu", "sgn")
# Gradients whose zeros' signs are not compared (fuzz_programs, as UNSIGNED_GRAD_OPS): torch's own
# backward kernels (fused losses, elu's family, hardswish's x / 3 + 0.5, sinc's masked formula, norms,
# Welford's var_mean) have per-formula signs of zero that jitgrad's composites do not reproduce.
MORE_UNSIGNED = ("bce_with_logits", "F.celu", "F.selu", "F.hardswish", "F.mish", "sinc", "cosine_similarity",
                 "normalize", "dist", "cdist", "var_mean", "std_mean", "cross_entropy", "log_softmax + nll_loss",
                 "l1_loss", "mse_loss")


def _y(L, x, y):
    """y as a tensor of x's dtype when it is a Python number."""
    return y if hasattr(y, "dtype") else L.tensor(y, dtype=x.dtype)


UNARY_MORE = {
    "cosh": lambda L, x: x.cosh(),
    "asinh": lambda L, x: x.asinh(),
    "(x / 4).asin()": lambda L, x: (x / 4).asin(),
    "(x / 4).acos()": lambda L, x: (x / 4).acos(),
    "(x / 4).atanh()": lambda L, x: (x / 4).atanh(),
    "log10": lambda L, x: x.log10(),
    "erfc": lambda L, x: x.erfc(),
    "sgn": lambda L, x: x.sgn(),
    "sinc": lambda L, x: x.sinc(),
    "deg2rad": lambda L, x: x.deg2rad(),
    "clamp_min(0.5)": lambda L, x: x.clamp_min(0.5),
    "clip(-0.5, 0.5)": lambda L, x: x.clip(-0.5, 0.5),
    "abs().pow(0.5)": lambda L, x: x.abs().pow(0.5),
    "2 ** x": lambda L, x: 2 ** x,
    "F.hardswish": lambda L, x: L.nn.functional.hardswish(x),
    "F.mish": lambda L, x: L.nn.functional.mish(x),
    "F.selu": lambda L, x: L.nn.functional.selu(x),
    "F.celu": lambda L, x: L.nn.functional.celu(x, 0.5),
    "F.softsign": lambda L, x: L.nn.functional.softsign(x),
    "F.tanhshrink": lambda L, x: L.nn.functional.tanhshrink(x),
    "F.hardshrink": lambda L, x: L.nn.functional.hardshrink(x, 0.5),
    "F.threshold": lambda L, x: L.nn.functional.threshold(x, 0.5, -1.0),
    "masked_fill(x > 0, 2.0)": lambda L, x: x.masked_fill(x > 0, 2.0),
    "nan_to_num(posinf=9)": lambda L, x: (1 / x).nan_to_num(posinf=9.0),
    "(x * 0.3 + 0.5).logit()": lambda L, x: (x * 0.3 + 0.5).logit(),
    "(x * 0.4).erfinv()": lambda L, x: (x * 0.4).erfinv(),
    "view(-1)": lambda L, x: x.view(-1),
    "repeat_interleave(2)": lambda L, x: x.repeat_interleave(2),
    "tile((2,))": lambda L, x: x.tile((2,)),
    "count_nonzero()": lambda L, x: L.count_nonzero(x),
    "any()": lambda L, x: x.any(),
    "mean(dtype=float64)": lambda L, x: x.mean(dtype=L.float64),
}

BINARY_MORE = {
    "fmax": lambda L, x, y: L.fmax(x, _y(L, x, y)),
    "fmin": lambda L, x, y: L.fmin(x, _y(L, x, y)),
    "true_divide": lambda L, x, y: L.true_divide(x, y),
    "addcdiv": lambda L, x, y: L.addcdiv(x, _y(L, x, y), _y(L, x, y).abs() + 1, value=0.5),
    "lerp(x, y, sigmoid(y))": lambda L, x, y: L.lerp(x, _y(L, x, y), _y(L, x, y).sigmoid()),
    "logaddexp2": lambda L, x, y: L.logaddexp2(x, _y(L, x, y)),
    "xlog1py": lambda L, x, y: L.special.xlog1py(x, _y(L, x, y).abs()),
    "mse_loss(none)": lambda L, x, y: L.nn.functional.mse_loss(x, _y(L, x, y), reduction="none"),
    "l1_loss(sum)": lambda L, x, y: L.nn.functional.l1_loss(x, _y(L, x, y), reduction="sum"),
    "bce_with_logits": lambda L, x, y: L.nn.functional.binary_cross_entropy_with_logits(
        x, _y(L, x, y).sigmoid().expand_as(x) if _y(L, x, y).numel() == 1 else _y(L, x, y).sigmoid()),
    "dist": lambda L, x, y: L.dist(x, _y(L, x, y)),
    "where(x > y, x, 0.0)": lambda L, x, y: L.where(x > y, x, 0.0),
    "cosine_similarity(dim=-1)": lambda L, x, y: L.nn.functional.cosine_similarity(x, _y(L, x, y), dim=-1),
}


def _more_ops(r, x):
    """Reductions and shape functions of the second vocabulary (x: torch's operand)."""
    d = _dim(r, x)
    ops = {
        f"sort({d})": lambda L, x: tuple(x.sort(d)),
        f"softmin({d})": lambda L, x: L.nn.functional.softmin(x, d),
        f"normalize(dim={d})": lambda L, x: L.nn.functional.normalize(x, dim=d),
        f"cummin({d})": lambda L, x: tuple(x.cummin(d)),
        f"take_along_dim(argsort({d}))": lambda L, x: L.take_along_dim(x, x.argsort(d), d) if x.ndim else x,
        "all()": lambda L, x: x.all(),
    }
    if x.numel() > 1:
        # (one of the two outputs: torch calls a hook on an unused output with None, see README)
        k = r.randrange(2)
        ops[f"var_mean({d})[{k}]"] = lambda L, x: L.var_mean(x, d)[k]
        ops[f"std_mean()[{k}]"] = lambda L, x: L.std_mean(x)[k]
    if x.ndim == 2:
        ops.update({
            "tril()": lambda L, x: x.tril(),
            "triu(1)": lambda L, x: x.triu(1),
            "diagonal()": lambda L, x: x.diagonal(),
            "trace()": lambda L, x: x.trace(),
            "T": lambda L, x: x.T,
            "diag()": lambda L, x: L.diag(x),
            "amax((0, 1))": lambda L, x: x.amax((0, 1)) if x.numel() else x,
            "sum((0, -1))": lambda L, x: x.sum((0, -1)),
            "linear(x, x)": lambda L, x: L.nn.functional.linear(x, x),
            "addmm(x[:, :1], x, x.t())": lambda L, x: L.addmm(x[:, :1], x, x.t()),
            "einsum('ij,ij->i')": lambda L, x: L.einsum("ij,ij->i", x, x),
            "cdist(x, x)": lambda L, x: L.cdist(x, x * 2) if x.numel() else x,
            "log_softmax + nll_loss": lambda L, x: L.nn.functional.nll_loss(L.log_softmax(x, 1),
                                                                            L.zeros(x.shape[0], dtype=L.int64)),
            "cross_entropy": lambda L, x: L.nn.functional.cross_entropy(x, L.zeros(x.shape[0], dtype=L.int64)),
        })
    if x.ndim == 1:
        ops.update({
            "diag()": lambda L, x: L.diag(x),
            "diag(1)": lambda L, x: L.diag(x, 1),
        })
    if x.ndim >= 1 and x.shape[0] > 0:
        ops.update({
            "index_fill(0, [0], -1.0)": lambda L, x: x.index_fill(0, L.tensor([0]), -1.0),
            "expand_as": lambda L, x: x[:1].expand_as(x),
        })
    return ops
