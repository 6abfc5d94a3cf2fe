"""The third vocabulary (fuzz18), drawn only by tests/fuzz_ops18.py: public
functions and Tensor methods the first two vocabularies (fuzz_vocabulary.py)
never call, and their variants (keepdim, negative dims, dtype=, out=,
alpha=, rounding_mode=, in-place forms, views of views). Entries are
`label: fn(lib, *operands)`, written once against the torch API and run on
both libraries; the tables are built by functions of the program's RNG `r`
and of torch's operand, so both libraries run the same op."""


def _nd(x):
    return max(x.ndim, 1)


def _dim(r, x):
    return r.randrange(-_nd(x), _nd(x))


def _y(L, x, y):
    """y as a tensor (of x's dtype when it is a Python number)."""
    return y if hasattr(y, "dtype") else L.tensor(y, dtype=x.dtype)


def _like(L, x, y):
    """y broadcast to x's shape (raises, on both, when it does not broadcast); a bool y in x's dtype
    (torch's losses subtract it: its bool error, not imitated, see README)."""
    y = _y(L, x, y)
    return L.broadcast_to(y.to(x.dtype) if y.dtype == L.bool else y, x.shape)


def _nan0(L, x):
    """x with a nan in its first element when every slice along every dim has another element."""
    if x.numel() == 0 or min(x.shape, default=1) < 2:
        return x
    return L.where(L.arange(x.numel()).reshape(x.shape) == 0, L.tensor(float("nan"), dtype=x.dtype), x)


def _n(x, d):
    """The size of x's dim d (1 for a 0-D x)."""
    return x.shape[d] if x.ndim else 1


def _pos(x):
    return x.abs() + 0.5


UNARY18 = {
    "ceil": lambda L, x: x.ceil(),
    "fix": lambda L, x: x.fix(),
    "rad2deg": lambda L, x: x.rad2deg(),
    "positive": lambda L, x: L.positive(x),
    "negative": lambda L, x: x.negative(),
    "absolute": lambda L, x: L.absolute(x),
    "arctan": lambda L, x: x.arctan(),
    "arcsinh": lambda L, x: L.arcsinh(x),
    "(x / 4).arcsin()": lambda L, x: (x / 4).arcsin(),
    "(|x| + 1).acosh()": lambda L, x: (x.abs() + 1).acosh(),
    "lgamma(|x| + .5)": lambda L, x: _pos(x).lgamma(),
    "digamma(|x| + .5)": lambda L, x: _pos(x).digamma(),
    "polygamma(1, |x| + .5)": lambda L, x: L.polygamma(1, _pos(x)),
    "mvlgamma(|x| + 1.5, 2)": lambda L, x: L.mvlgamma(x.abs() + 1.5, 2),
    "i0": lambda L, x: x.i0(),
    "special.i0e": lambda L, x: L.special.i0e(x),
    "special.i1": lambda L, x: L.special.i1(x),
    "special.i1e": lambda L, x: L.special.i1e(x),
    "special.ndtr": lambda L, x: L.special.ndtr(x),
    "special.log_ndtr": lambda L, x: L.special.log_ndtr(x),
    "special.erfcx": lambda L, x: L.special.erfcx(x),
    "special.entr": lambda L, x: L.special.entr(x),
    "special.expit": lambda L, x: L.special.expit(x),
    "special.ndtri(x * .3 + .5)": lambda L, x: L.special.ndtri(x * 0.3 + 0.5),
    "special.psi(|x| + .5)": lambda L, x: L.special.psi(_pos(x)),
    "special.gammaln": lambda L, x: L.special.gammaln(x),
    "special.log1p(|x|)": lambda L, x: L.special.log1p(x.abs()),
    "special.round": lambda L, x: L.special.round(x),
    "signbit": lambda L, x: x.signbit(),
    "isinf(1 / x)": lambda L, x: (1 / x).isinf(),
    "isposinf(1 / x)": lambda L, x: L.isposinf(1 / x),
    "isneginf(1 / x)": lambda L, x: L.isneginf(1 / x),
    "isnan(x.log())": lambda L, x: x.log().isnan(),
    "isfinite(1 / x)": lambda L, x: (1 / x).isfinite(),
    "angle": lambda L, x: x.angle(),
    # (eps .25: no input on a boundary, where torch compares in float32 and jitgrad in float64, see README)
    "logit(eps=.25)": lambda L, x: (x * 0.3 + 0.5).logit(eps=0.25),
    "nan_to_num(0, 1, -5)": lambda L, x: x.log().nan_to_num(0.0, 1.0, -5.0),
    "heaviside(x, .5)": lambda L, x: L.heaviside(x, L.tensor(0.5, dtype=x.dtype)),
    "float_power(x, 2)": lambda L, x: x.float_power(2),
    "x ** -1": lambda L, x: x ** -1,
    "|x| ** 1.5": lambda L, x: x.abs() ** 1.5,
    "pow(x, -2)": lambda L, x: L.pow(x, -2),
    "round(decimals=1)": lambda L, x: (x * 0.37).round(decimals=1),
    "clamp(max=-.5)": lambda L, x: x.clamp(max=-0.5),
    "clamp_max(0)": lambda L, x: x.clamp_max(0),
    "clip(min=-1)": lambda L, x: x.clip(min=-1),
    "exp2": lambda L, x: L.exp2(x),
    "sinc": lambda L, x: L.sinc(x),
    "F.relu6": lambda L, x: L.nn.functional.relu6(x * 4),
    # (float32: torch's float64 gradient is grad * float32(1 / 6), see README)
    "F.hardsigmoid": lambda L, x: L.nn.functional.hardsigmoid(x.float() * 2),
    "F.softshrink(.5)": lambda L, x: L.nn.functional.softshrink(x, 0.5),
    "F.rrelu(eval)": lambda L, x: L.nn.functional.rrelu(x, training=False),
    "F.leaky_relu(.2)": lambda L, x: L.nn.functional.leaky_relu(x, 0.2),
    "F.elu(.5)": lambda L, x: L.nn.functional.elu(x, 0.5),
    "F.gelu(tanh)": lambda L, x: L.nn.functional.gelu(x, approximate="tanh"),
    "F.softplus(2, 1)": lambda L, x: L.nn.functional.softplus(x, beta=2, threshold=1),
    "F.hardtanh(-.5, .5)": lambda L, x: L.nn.functional.hardtanh(x, -0.5, 0.5),
    "F.prelu": lambda L, x: L.nn.functional.prelu(x, L.tensor([0.25], dtype=x.dtype)),
    "F.threshold(0, 0)": lambda L, x: L.nn.functional.threshold(x, 0.0, 0.0),
    "F.glu(-1)": lambda L, x: L.nn.functional.glu(L.cat([x.reshape(-1), x.reshape(-1) * 2]), -1),
    "F.logsigmoid(-x)": lambda L, x: L.nn.functional.logsigmoid(-x),
    "F.silu(x * 3)": lambda L, x: L.nn.functional.silu(x * 3),
    "x.exp().log()": lambda L, x: x.exp().log(),
    "clone().sin_()": lambda L, x: x.clone().sin_(),
    "clone().exp_()": lambda L, x: x.clone().exp_(),
    "(x * 1).abs_()": lambda L, x: (x * 1).abs_(),
    "(x * 1).tanh_()": lambda L, x: (x * 1).tanh_(),
    "(x * 1).relu_()": lambda L, x: (x * 1).relu_(),
    "F.relu(x * 1, inplace=True)": lambda L, x: L.nn.functional.relu(x * 1, inplace=True),
    "F.leaky_relu_(x * 1, .3)": lambda L, x: L.nn.functional.leaky_relu_(x * 1, 0.3),
    "F.elu_(x * 1)": lambda L, x: L.nn.functional.elu_(x * 1),
    "F.hardtanh_(x * 1)": lambda L, x: L.nn.functional.hardtanh_(x * 1),
    "(x * 1).pow_(2)": lambda L, x: (x * 1).pow_(2),
    "(x * 1).neg_()": lambda L, x: (x * 1).neg_(),
    "(x * 1).sqrt_()": lambda L, x: (x * 1).sqrt_(),
    "(x * 1).clamp_min_(0)": lambda L, x: (x * 1).clamp_min_(0),
    "(x * 1).clamp_max_(0)": lambda L, x: (x * 1).clamp_max_(0),
    "(x * 1).nan_to_num_()": lambda L, x: (1 / x).nan_to_num_(),
    "x.to(int32)": lambda L, x: x.to(L.int32),
    "x.bool()": lambda L, x: x.bool(),
    "x.type_as(x.long())": lambda L, x: x.type_as(x.long()),
    "x.new_tensor(...)": lambda L, x: x.new_tensor([1.5, -2.0]),
    "x.new_zeros(2, 1) + x": lambda L, x: x.new_zeros(2, 1) + x,
    "x.new_full((1,), 3) * x": lambda L, x: x.new_full((1,), 3.0) * x,
    "zeros_like(x) + x": lambda L, x: L.zeros_like(x) + x,
    "full_like(x, 2, dtype=float64) * x": lambda L, x: L.full_like(x, 2, dtype=L.float64) * x,
    "ones_like(x, dtype=int64) + x": lambda L, x: L.ones_like(x, dtype=L.int64) + x,
    "contiguous()": lambda L, x: x.contiguous(),
}

# Ops whose result may share storage with their operand.
VIEWS18 = {"positive", "contiguous()"}

BINARY18 = {
    "add(alpha=2)": lambda L, x, y: L.add(x, y, alpha=2),
    "sub(alpha=.5)": lambda L, x, y: L.sub(x, y, alpha=0.5),
    "rsub": lambda L, x, y: L.rsub(x, _y(L, x, y)),
    "y - x": lambda L, x, y: y - x,
    "y / x": lambda L, x, y: y / x,
    "y * x": lambda L, x, y: y * x,
    "y ** x": lambda L, x, y: (y.abs() if hasattr(y, "abs") else abs(y)) ** x,
    "subtract": lambda L, x, y: L.subtract(x, y),
    "multiply": lambda L, x, y: L.multiply(x, y),
    "divide(floor)": lambda L, x, y: L.divide(x, y, rounding_mode="floor"),
    "div(trunc)": lambda L, x, y: L.div(x, y, rounding_mode="trunc"),
    "x // y": lambda L, x, y: x // y,
    "x % y": lambda L, x, y: x % y,
    "floor_divide": lambda L, x, y: L.floor_divide(x, y),
    "float_power(|x|, y)": lambda L, x, y: L.float_power(x.abs(), y),
    "eq": lambda L, x, y: L.eq(x, y),
    "ne": lambda L, x, y: x.ne(y),
    "ge": lambda L, x, y: L.ge(x, y),
    "lt": lambda L, x, y: x.lt(y),
    "isclose": lambda L, x, y: L.isclose(x, _y(L, x, y)),
    "logical_and": lambda L, x, y: L.logical_and(x, _y(L, x, y)),
    "logical_xor": lambda L, x, y: L.logical_xor(x, _y(L, x, y)),
    "logical_or(x > 0, y)": lambda L, x, y: (x > 0).logical_or(_y(L, x, y)),
    "bitwise_and(x > 0, y > 0)": lambda L, x, y: (x > 0) & (_y(L, x, y) > 0),
    "heaviside(x, y)": lambda L, x, y: L.heaviside(x, _y(L, x, y)),
    "maximum(x, y)": lambda L, x, y: L.maximum(x, _y(L, x, y)),
    "fmax(x, y)": lambda L, x, y: L.fmax(x, _y(L, x, y)),
    "lerp(x, y, .7)": lambda L, x, y: L.lerp(x, _y(L, x, y).to(x.dtype), 0.7),
    "addcmul(value=-2)": lambda L, x, y: L.addcmul(x, _y(L, x, y), _y(L, x, y), value=-2),
    "addcdiv(y, x)": lambda L, x, y: L.addcdiv(_y(L, x, y).to(x.dtype), x, x.abs() + 1),
    "where(x > 0, 1.0, y)": lambda L, x, y: L.where(x > 0, 1.0, _y(L, x, y)),
    "where(x > y, 0, 1)": lambda L, x, y: L.where(x > y, 0, 1),
    "clamp(min=y, max=y + 1)": lambda L, x, y: x.clamp(min=_y(L, x, y), max=_y(L, x, y) + 1),
    "copysign(x, y)": lambda L, x, y: L.copysign(x, y),
    "hypot(x, y.float())": lambda L, x, y: L.hypot(x, _y(L, x, y).to(x.dtype)),
    "nextafter(x, y)": lambda L, x, y: L.nextafter(x, _y(L, x, y).to(x.dtype)),
    "ldexp(x, 2)": lambda L, x, y: L.ldexp(x, L.tensor(2)),
    # (a bool y: torch's backward negates it and raises, see README)
    "atan2(y, x)": lambda L, x, y: L.atan2(_y(L, x, y) * 1 if _y(L, x, y).dtype == L.bool else _y(L, x, y), x),
    "special.xlogy(x, |y|)": lambda L, x, y: L.special.xlogy(x, _y(L, x, y).abs()),
    "special.zeta(|x| + 1.5, |y| + 1)": lambda L, x, y: L.special.zeta(x.abs() + 1.5, _y(L, x, y).abs() + 1),
    "igamma(|x| + .5, |y|)": lambda L, x, y: L.igamma(x.abs() + 0.5, _y(L, x, y).abs()),
    # (an integer target: torch's 'Integral inputs not supported' RuntimeError, not imitated, see README)
    "F.kl_div": lambda L, x, y: L.nn.functional.kl_div(x.log_softmax(-1), _like(L, x, y).to(x.dtype).softmax(-1),
                                                        reduction="batchmean"),
    "F.kl_div(log_target)": lambda L, x, y: L.nn.functional.kl_div(x, _like(L, x, y), reduction="sum",
                                                                    log_target=True),
    "F.poisson_nll_loss": lambda L, x, y: L.nn.functional.poisson_nll_loss(x, _like(L, x, y).abs()),
    "F.poisson_nll_loss(full)": lambda L, x, y: L.nn.functional.poisson_nll_loss(
        x.abs() + 0.5, _like(L, x, y).abs() * 2, log_input=False, full=True),
    "F.gaussian_nll_loss": lambda L, x, y: L.nn.functional.gaussian_nll_loss(x, _like(L, x, y), x.abs() + 0.1),
    "F.soft_margin_loss": lambda L, x, y: L.nn.functional.soft_margin_loss(x, _like(L, x, y).sign()),
    "F.binary_cross_entropy": lambda L, x, y: L.nn.functional.binary_cross_entropy(
        x.sigmoid(), _like(L, x, y).sigmoid()),
    "F.bce(weight, sum)": lambda L, x, y: L.nn.functional.binary_cross_entropy(
        x.sigmoid(), _like(L, x, y).sigmoid().detach(), weight=x.abs().detach(), reduction="sum"),
    "F.bce_with_logits(pos_weight)": lambda L, x, y: L.nn.functional.binary_cross_entropy_with_logits(
        x, _like(L, x, y).sigmoid(), pos_weight=L.tensor(2.0, dtype=x.dtype)),
    "F.margin_ranking_loss": lambda L, x, y: L.nn.functional.margin_ranking_loss(
        x, _like(L, x, y), L.ones_like(x), margin=0.5),
    "F.hinge_embedding_loss": lambda L, x, y: L.nn.functional.hinge_embedding_loss(
        x, L.where(_like(L, x, y) > 0, 1.0, -1.0).to(x.dtype)),
    "F.smooth_l1_loss(beta=.5)": lambda L, x, y: L.nn.functional.smooth_l1_loss(x, _like(L, x, y), beta=0.5),
    "F.huber_loss(delta=.5, sum)": lambda L, x, y: L.nn.functional.huber_loss(
        x, _like(L, x, y).to(x.dtype), delta=0.5, reduction="sum"),
    "F.mse_loss(sum)": lambda L, x, y: L.nn.functional.mse_loss(x, _like(L, x, y), reduction="sum"),
    "F.l1_loss(none)": lambda L, x, y: L.nn.functional.l1_loss(x, _like(L, x, y), reduction="none"),
    "F.pairwise_distance": lambda L, x, y: L.nn.functional.pairwise_distance(x, _y(L, x, y)),
    "inner": lambda L, x, y: L.inner(x, _y(L, x, y)),
    "vdot": lambda L, x, y: L.vdot(x.reshape(-1), _y(L, x, y).reshape(-1)),
    # (contiguous: torch's kron of some strided inputs raises its view error)
    "kron": lambda L, x, y: L.kron(x.contiguous(), _y(L, x, y).contiguous()),
    "tensordot(dims=1)": lambda L, x, y: L.tensordot(x, _y(L, x, y), dims=1),
    "tensordot(dims=0)": lambda L, x, y: L.tensordot(x, _y(L, x, y), dims=0),
    "block_diag": lambda L, x, y: L.block_diag(x, _y(L, x, y)),
    "cartesian_prod": lambda L, x, y: L.cartesian_prod(x.reshape(-1), _y(L, x, y).reshape(-1)),
    "dot": lambda L, x, y: L.dot(x.reshape(-1), _y(L, x, y).reshape(-1)),
    "cat([x, y])": lambda L, x, y: L.cat([x.reshape(-1), _y(L, x, y).reshape(-1)]),
    "concat([x, y], -1)": lambda L, x, y: L.concat([x, _y(L, x, y)], -1),
    "hstack": lambda L, x, y: L.hstack([x, _y(L, x, y)]),
    "vstack": lambda L, x, y: L.vstack([x, _y(L, x, y)]),
    "dstack": lambda L, x, y: L.dstack([x, _y(L, x, y)]),
    "column_stack": lambda L, x, y: L.column_stack([x, _y(L, x, y)]),
    "stack([x, y], -1)": lambda L, x, y: L.stack([x, _y(L, x, y)], -1),
    "broadcast_tensors[1]": lambda L, x, y: L.broadcast_tensors(x, _y(L, x, y))[1],
    "x.expand_as(y)": lambda L, x, y: x.expand_as(_y(L, x, y)),
    "x.reshape_as(y)": lambda L, x, y: x.reshape_as(_y(L, x, y)),
    "x.view_as(y)": lambda L, x, y: x.view_as(_y(L, x, y)),
    "x.type_as(y)": lambda L, x, y: x.type_as(_y(L, x, y)),
    "masked_fill(y > 0, x.sum())": lambda L, x, y: x.masked_fill(_y(L, x, y) > 0, x.sum()),
    "masked_scatter(x > 0, y)": lambda L, x, y: x.masked_scatter(x > 0, L.broadcast_to(
        _y(L, x, y).reshape(-1)[:1], x.shape).to(x.dtype) if _y(L, x, y).numel() else x),
    "cross": lambda L, x, y: L.cross(x.expand(3, 3) if x.numel() == 1 else x, _y(L, x, y).to(x.dtype)
                                     .expand(3, 3) if _y(L, x, y).numel() == 1 else _y(L, x, y).to(x.dtype), dim=-1),
    "out=add": lambda L, x, y: L.add(x, y, out=L.empty(0, dtype=x.dtype)),
    "no_grad out=mul": lambda L, x, y: _no_grad_out(L, x, y),
    "out=sin": lambda L, x, y: L.sin(x, out=L.empty(0, dtype=x.dtype)),
}
# Binary ops that also read x or y through a composite or a step (no signed zeros / near-step taint).
STEPS18 = {"divide(floor)", "div(trunc)", "x // y", "x % y", "floor_divide", "eq", "ne", "ge", "lt", "isclose",
           "logical_and", "logical_xor", "logical_or(x > 0, y)", "bitwise_and(x > 0, y > 0)", "heaviside(x, y)",
           "where(x > 0, 1.0, y)", "where(x > y, 0, 1)", "F.hinge_embedding_loss", "F.soft_margin_loss",
           "ceil", "fix", "round(decimals=1)", "special.round", "signbit", "masked_fill(y > 0, x.sum())",
           "masked_scatter(x > 0, y)", "x.to(int32)", "x.bool()", "x.type_as(x.long())", "nextafter(x, y)",
           "ones_like(x, dtype=int64) + x", "x.type_as(y)", "heaviside(x, .5)", "isinf(1 / x)",
           "isposinf(1 / x)", "isneginf(1 / x)", "isnan(x.log())", "isfinite(1 / x)", "F.relu6", "F.hardsigmoid",
           "nan_to_num(0, 1, -5)"}


def _no_grad_out(L, x, y):
    out = L.empty(0, dtype=x.dtype)
    with L.no_grad():
        r = L.mul(x, y, out=out)
    return out if r is out else None


def reductions18(r, x):
    d = _dim(r, x)
    keep = r.random() < 0.5
    q = r.choice((0.0, 0.3, 0.5, 1.0))
    k = r.randrange(2)
    ops = {
        # (one output: torch calls a hook on an unused output of a multi-output node with None, see README)
        f"aminmax(dim={d}, keepdim={keep})[{k}]": lambda L, x: L.aminmax(x, dim=d, keepdim=keep)[k],
        f"aminmax()[{k}]": lambda L, x: x.aminmax()[k],
        # (a nan in the first element only; an all-nan slice's gradient is torch's inf * 0 = nan, see README)
        f"nan0.nanmean({d})": lambda L, x: _nan0(L, x).nanmean(d),
        "nanmean()": lambda L, x: L.nanmean(x),
        f"nan0.nanmedian({d})": lambda L, x: tuple(_nan0(L, x).nanmedian(d)),
        "nanmedian()": lambda L, x: x.nanmedian(),
        f"quantile({q}, {d}, keepdim={keep})": lambda L, x: x.quantile(q, dim=d, keepdim=keep),
        f"quantile({q})": lambda L, x: L.quantile(x, q),
        f"quantile({q}, nearest)": lambda L, x: x.quantile(q, interpolation="nearest"),
        f"nanquantile({q}, {d})": lambda L, x: x.nanquantile(q, dim=d),
        f"kthvalue(1, {d}, keepdim={keep})": lambda L, x: tuple(x.kthvalue(1, d, keepdim=keep)),
        "msort": lambda L, x: L.msort(x),
        f"mode({d})": lambda L, x: tuple(x.mode(d)),
        f"prod({d}, keepdim={keep})": lambda L, x: x.prod(d, keepdim=keep),
        f"prod({d}, dtype=float64)": lambda L, x: x.prod(d, dtype=L.float64),
        "sum(all dims, keepdim)": lambda L, x: x.sum(tuple(range(x.ndim)), keepdim=True),
        f"mean(({d},), keepdim={keep})": lambda L, x: x.mean((d,), keepdim=keep),
        f"std({d}, unbiased=False, keepdim={keep})": lambda L, x: x.std(d, unbiased=False, keepdim=keep),
        # (degrees of freedom > 0: torch's nan / inf gradients times a masked zero downstream are 0 in torch's
        # masked backwards, nan in jitgrad's products by a zero partial, see README)
        f"var({d}, correction=2)": lambda L, x: x.var(d, correction=2) if _n(x, d) > 2 else x,
        f"var_mean({d}, keepdim={keep})[0]": lambda L, x: L.var_mean(x, d, keepdim=keep)[0] if _n(x, d) > 1 else x,
        f"std_mean({d}, correction=0)[1]": lambda L, x: L.std_mean(x, d, correction=0)[1],
        f"count_nonzero({d})": lambda L, x: L.count_nonzero(x, d),
        "norm(p=inf)": lambda L, x: x.norm(p=float("inf")),
        f"norm(p=-inf, dim={d})": lambda L, x: x.norm(p=float("-inf"), dim=d),
        f"norm(p=0, dim={d})": lambda L, x: x.norm(p=0, dim=d),
        f"norm(p=1.5, dim={d}, keepdim={keep})": lambda L, x: x.norm(p=1.5, dim=d, keepdim=keep),
        f"linalg.vector_norm(ord=3, dim={d})": lambda L, x: L.linalg.vector_norm(x, ord=3, dim=d),
        "linalg.vector_norm(ord=.5)": lambda L, x: L.linalg.vector_norm(x, ord=0.5),
        "linalg.norm": lambda L, x: L.linalg.norm(x),
        f"argmax({d}, keepdim={keep})": lambda L, x: x.argmax(d, keepdim=keep),
        f"argmin(keepdim={keep})": lambda L, x: x.argmin(keepdim=keep) if x.numel() else x,
        f"all({d})": lambda L, x: x.all(d),
        f"any({d}, keepdim={keep})": lambda L, x: x.any(d, keepdim=keep),
        f"logsumexp(({d},), keepdim={keep})": lambda L, x: x.logsumexp((d,), keepdim=keep),
        f"cumsum({d}, dtype=float64)": lambda L, x: x.cumsum(d, dtype=L.float64),
        f"cumprod({d}) of x.long()": lambda L, x: x.long().cumprod(d),
        f"cumulative_trapezoid(dim={d})": lambda L, x: L.cumulative_trapezoid(x, dim=d),
        f"trapezoid(dim={d})": lambda L, x: L.trapezoid(x, dim=d),
        f"trapezoid(dx=.5, dim={d})": lambda L, x: L.trapezoid(x, dx=0.5, dim=d),
        f"diff(n=2, dim={d})": lambda L, x: x.diff(n=2, dim=d),
        f"diff(prepend, dim={d})": lambda L, x: x.diff(dim=d, prepend=x),
        f"topk(1, {d}, largest=False)": lambda L, x: tuple(x.topk(1, d, largest=False)),
        f"sort({d}, descending, stable)": lambda L, x: tuple(x.sort(dim=d, descending=True, stable=True)),
        f"argsort({d}, descending)": lambda L, x: x.argsort(d, descending=True),
        "unique()": lambda L, x: x.unique(),
        "unique(return_counts)": lambda L, x: tuple(x.unique(return_inverse=True, return_counts=True)),
        "unique_consecutive()": lambda L, x: x.unique_consecutive(),
        "searchsorted": lambda L, x: L.searchsorted(x.reshape(-1).sort()[0], x.reshape(-1)),
        "bucketize": lambda L, x: L.bucketize(x, L.tensor([-1.0, 0.0, 1.0], dtype=x.dtype)),
        "histc": lambda L, x: L.histc(x, bins=4, min=-2, max=2),
        "bincount": lambda L, x: L.bincount(x.reshape(-1).abs().long()),
        "nonzero": lambda L, x: x.nonzero(),
        "argwhere": lambda L, x: L.argwhere(x),
        f"softmax({d}, dtype=float64)": lambda L, x: x.softmax(d, dtype=L.float64),
        f"F.log_softmax({d}, dtype=float64)": lambda L, x: L.nn.functional.log_softmax(x, d, dtype=L.float64),
        f"special.logsumexp({d})": lambda L, x: L.special.logsumexp(x, d),
        f"special.softmax({d})": lambda L, x: L.special.softmax(x, d),
        f"nan0.nansum({d}, keepdim={keep})": lambda L, x: _nan0(L, x).nansum(d, keepdim=keep),
        f"mean({d}, dtype=float64)": lambda L, x: x.mean(d, dtype=L.float64),
        f"max({d}).values": lambda L, x: x.max(d).values,
        f"min({d}, keepdim={keep}).indices": lambda L, x: x.min(d, keepdim=keep).indices,
        f"F.normalize(p=1, dim={d})": lambda L, x: L.nn.functional.normalize(x, p=1, dim=d),
        "renorm(2, 0, 1)": lambda L, x: x.renorm(2, 0, 1.0),
        # (not of a 0-D tensor: torch's sum turns -0.0 into 0.0, see README)
        "sum_to_size(1)": lambda L, x: x.sum_to_size((1,) * x.ndim) if x.ndim else x,
        f"F.softmin({d}, dtype=float64)": lambda L, x: L.nn.functional.softmin(x, d, dtype=L.float64),
        f"cummax({d}).indices": lambda L, x: x.cummax(d).indices,
        f"logcumsumexp({d})": lambda L, x: x.logcumsumexp(d),
        f"amax({d}, keepdim={keep})": lambda L, x: x.amax(d, keepdim=keep),
        f"amin(({d},))": lambda L, x: x.amin((d,)),
    }
    if x.ndim == 2:
        ops.update({
            "cov": lambda L, x: L.cov(x),
            "cov(correction=0)": lambda L, x: x.cov(correction=0),
            "corrcoef": lambda L, x: L.corrcoef(x),
            "norm(dim=(0, -1))": lambda L, x: x.norm(dim=(0, -1)),
            "linalg.matrix_norm": lambda L, x: L.linalg.matrix_norm(x),
            "logsumexp((0, 1))": lambda L, x: x.logsumexp((0, 1)),
            "mean((-1, 0), keepdim)": lambda L, x: x.mean((-1, 0), keepdim=True),
            "std((0, 1))": lambda L, x: x.std((0, 1)) if x.numel() > 1 else x,
            "F.cosine_embedding_loss": lambda L, x: L.nn.functional.cosine_embedding_loss(
                x, x.flip(0), L.ones(x.shape[0], dtype=x.dtype)),
            "F.triplet_margin_loss": lambda L, x: L.nn.functional.triplet_margin_loss(x, x * 0.5, x.flip(0)),
            "F.multilabel_soft_margin_loss": lambda L, x: L.nn.functional.multilabel_soft_margin_loss(
                x, (x > 0).to(x.dtype)),
            # (an empty batch: torch's value is uninitialised memory)
            "F.multi_margin_loss": lambda L, x: L.nn.functional.multi_margin_loss(
                x, L.zeros(x.shape[0], dtype=L.int64)) if x.numel() else x,
            "F.nll_loss(weight, sum)": lambda L, x: L.nn.functional.nll_loss(
                x, L.zeros(x.shape[0], dtype=L.int64), weight=L.arange(1.0, x.shape[1] + 1, dtype=x.dtype),
                reduction="sum"),
            # (no classes: jitgrad's ZeroDivisionError, see README)
            "F.cross_entropy(label_smoothing)": lambda L, x: L.nn.functional.cross_entropy(
                x, L.zeros(x.shape[0], dtype=L.int64), label_smoothing=0.2) if x.shape[1] else x,
            "F.cross_entropy(probs)": lambda L, x: L.nn.functional.cross_entropy(x, x.detach().softmax(-1))
            if x.shape[1] else x,
            "F.layer_norm": lambda L, x: L.nn.functional.layer_norm(x, x.shape[-1:]),
            "F.layer_norm(weight)": lambda L, x: L.nn.functional.layer_norm(x, x.shape[-1:], x[0], x[0] * 2),
            "F.rms_norm": lambda L, x: L.nn.functional.rms_norm(x, x.shape[-1:]),
            "F.group_norm(1)": lambda L, x: L.nn.functional.group_norm(x.unsqueeze(-1), 1),
            "F.batch_norm(training)": lambda L, x: L.nn.functional.batch_norm(x, None, None, training=True),
            "F.pdist": lambda L, x: L.nn.functional.pdist(x),
            "matrix_power(2)": lambda L, x: L.matrix_power(x[:, :1].expand(-1, x.shape[0]).contiguous(), 2),
            "mv": lambda L, x: L.mv(x, x[0]),
            "addmv": lambda L, x: L.addmv(x[:, 0], x, x[0], beta=0.5, alpha=2),
            "addr": lambda L, x: L.addr(x, x[:, 0], x[0]),
            "chain_matmul": lambda L, x: L.chain_matmul(x, x.t(), x),
            "x.mT @ x": lambda L, x: x.mT @ x,
            "F.bilinear": lambda L, x: L.nn.functional.bilinear(x, x, x.unsqueeze(0)),
            "F.embedding": lambda L, x: L.nn.functional.embedding(L.tensor([[0, 0], [x.shape[0] - 1, 0]]), x),
        })
    if x.ndim == 3:
        ops.update({
            "baddbmm": lambda L, x: L.baddbmm(x[:, :, :1], x, x.transpose(1, 2), beta=0.5),
            "addbmm": lambda L, x: L.addbmm(x[0, :, :1], x, x.transpose(1, 2)),
            "F.conv1d": lambda L, x: L.nn.functional.conv1d(x, x[:, :, :1].transpose(0, 1).contiguous()
                                                             if x.shape[0] == x.shape[1] else x[:1, :, :1]),
            "F.avg_pool1d": lambda L, x: L.nn.functional.avg_pool1d(x, 1),
            "F.max_pool1d": lambda L, x: L.nn.functional.max_pool1d(x, min(2, x.shape[-1]) or 1),
            "F.adaptive_avg_pool1d": lambda L, x: L.nn.functional.adaptive_avg_pool1d(x, 2),
            "F.adaptive_max_pool1d": lambda L, x: L.nn.functional.adaptive_max_pool1d(x, 2),
            "F.instance_norm": lambda L, x: L.nn.functional.instance_norm(x),
            "F.interpolate(nearest)": lambda L, x: L.nn.functional.interpolate(x, scale_factor=2),
            "F.interpolate(linear)": lambda L, x: L.nn.functional.interpolate(x, size=5, mode="linear"),
            "F.local_response_norm": lambda L, x: L.nn.functional.local_response_norm(x, 2),
        })
    return ops


def shapes18(r, x):
    d = _dim(r, x)
    d2 = _dim(r, x)
    ops = {
        f"swapaxes({d}, {d2})": lambda L, x: x.swapaxes(d, d2),
        f"swapdims({d2}, {d})": lambda L, x: L.swapdims(x, d2, d),
        f"moveaxis({d}, 0)": lambda L, x: L.moveaxis(x, d, 0),
        "ravel": lambda L, x: x.ravel(),
        f"tensor_split(2, {d})[-1]": lambda L, x: x.tensor_split(2, d)[-1],
        f"tensor_split([1], {d})[0]": lambda L, x: L.tensor_split(x, [1], dim=d)[0],
        f"unflatten({d}, (1, -1))": lambda L, x: x.unflatten(d, (1, -1)),
        "atleast_2d": lambda L, x: L.atleast_2d(x),
        "atleast_3d": lambda L, x: L.atleast_3d(x),
        "atleast_1d": lambda L, x: L.atleast_1d(x),
        "broadcast_to((2, *x.shape))": lambda L, x: x.broadcast_to((2,) + tuple(x.shape)),
        "x[None, ..., None]": lambda L, x: x[None, ..., None],
        "x[...]": lambda L, x: x[...],
        "unsqueeze(-1)": lambda L, x: x.unsqueeze(-1),
        f"squeeze({d})": lambda L, x: x.squeeze(d),
        f"flatten(0, {d})": lambda L, x: x.flatten(0, d) if x.ndim else x.flatten(),
        "view(-1, 1)": lambda L, x: x.view(-1, 1),
        "contiguous()": lambda L, x: x.t().contiguous() if x.ndim == 2 else x.contiguous(),
        "diag_embed()": lambda L, x: L.diag_embed(x),
        "diagflat": lambda L, x: L.diagflat(x),
        f"repeat_interleave(2, {d})": lambda L, x: x.repeat_interleave(2, dim=d),
        "tril(-1)": lambda L, x: x.tril(-1),
        f"triu({d})": lambda L, x: x.triu(d),
        f"roll((1, -1), (0, {d}))": lambda L, x: x.roll((1, -1), (0, d)),
        f"rot90(1, (0, {d}))": lambda L, x: x.rot90(1, (0, d)),
        "fliplr": lambda L, x: x.fliplr(),
        "flipud": lambda L, x: L.flipud(x),
        # (no empty last piece: its gradient is None in jitgrad, zeros in torch, see README)
        "split_with_sizes": lambda L, x: x.split_with_sizes([1, x.shape[0] - 1])[1] if x.ndim and x.shape[0] > 1
        else x,
        "take([0, -1])": lambda L, x: L.take(x, L.tensor([0, -1])),
        "as_strided((2,), (1,))": lambda L, x: x.as_strided((2,), (1,)),
        "narrow_copy(0, 0, 1)": lambda L, x: x.narrow_copy(0, 0, 1),
        "x.mT": lambda L, x: x.mT,
        "adjoint()": lambda L, x: x.adjoint(),
        "x.H": lambda L, x: x.H,
        "T.contiguous().view(-1)": lambda L, x: x.T.contiguous().view(-1) if x.ndim == 2 else x.view(-1),
        f"movedim(({d},), ({d2},))": lambda L, x: x.movedim((d,), (d2,)),
        "permute(-1, ...)": lambda L, x: x.permute(-1, *range(x.ndim - 1)) if x.ndim else x,
        f"chunk(3, {d})[-1]": lambda L, x: x.chunk(3, d)[-1],
        f"unbind({d})[0]": lambda L, x: x.unbind(d)[0],
        f"split(2, {d})[0]": lambda L, x: x.split(2, d)[0],
        f"unfold({d}, 2, 1)": lambda L, x: x.unfold(d, 2, 1),
        "expand(2, -1, ...)": lambda L, x: x.expand(2, *x.shape),
        "x.unsqueeze(0).expand(2, ...)[1]": lambda L, x: x.unsqueeze(0).expand(2, *x.shape)[1],
    }
    if x.ndim >= 1:
        n = x.shape[0]
        ops.update({
            "x[::2]": lambda L, x: x[::2],
            "x[1::2]": lambda L, x: x[1::2],
            "x[-1:]": lambda L, x: x[-1:],
            "x[:, None]": lambda L, x: x[:, None],
            "x[x.argmax()]": lambda L, x: x[x.argmax()] if x.numel() else x,
            "x[[True, False, ...]]": lambda L, x: x[[i % 2 == 0 for i in range(n)]],
            "x[tensor([-1, 0])]": lambda L, x: x[L.tensor([-1, 0])],
            "x[..., -1]": lambda L, x: x[..., -1],
            "x[::2][1:]": lambda L, x: x[::2][1:],
            "x[:0]": lambda L, x: x[:0],
            "select_scatter": lambda L, x: L.select_scatter(x, x[0] * 2, 0, 0),
            "slice_scatter(step=2)": lambda L, x: L.slice_scatter(x, x[::2] * -1, 0, 0, None, 2),
            "index_copy": lambda L, x: x.index_copy(0, L.tensor([0]), x[-1:] * 3),
            "index_put(accumulate)": lambda L, x: x.index_put((L.tensor([0, 0]),), x[:1].expand(2, *x.shape[1:]),
                                                              accumulate=True),
            "index_put": lambda L, x: L.index_put(x, (L.tensor([-1]),), x[:1] * 2),
            "scatter_add": lambda L, x: x.scatter_add(0, L.zeros_like(x, dtype=L.int64), x * 2),
            "scatter_reduce(amax)": lambda L, x: x.scatter_reduce(0, L.zeros_like(x, dtype=L.int64), x * 2, "amax"),
            "scatter_reduce(prod, include_self=False)": lambda L, x: x.scatter_reduce(
                0, L.zeros_like(x, dtype=L.int64), x * 2, "prod", include_self=False),
            "scatter_reduce(mean)": lambda L, x: L.scatter_reduce(x, 0, L.zeros_like(x, dtype=L.int64), x, "mean"),
            "scatter(value)": lambda L, x: x.scatter(0, L.zeros_like(x, dtype=L.int64)[:1], 2.5),
            "put([0], x[-1])": lambda L, x: x.put(L.tensor([0]), x.reshape(-1)[-1:]),
            "put(accumulate)": lambda L, x: x.put(L.tensor([0, 0]), x.reshape(-1)[:1].expand(2), accumulate=True),
            "index_reduce(amin)": lambda L, x: x.index_reduce(0, L.tensor([0]), x[:1] * 3, "amin"),
            "repeat_interleave(tensor, 0)": lambda L, x: x.repeat_interleave(L.tensor([(i % 3) for i in range(n)]), 0),
            "index_select(0, [-1])": lambda L, x: x.index_select(0, L.tensor([n - 1])),
            "gather(-1, ...)": lambda L, x: x.gather(-1, L.zeros_like(x, dtype=L.int64)),
            "take_along_dim(None)": lambda L, x: L.take_along_dim(x, L.tensor([0, -1])),
        })
    if x.ndim == 2:
        ops.update({
            "x[:, 1]": lambda L, x: x[:, -1],
            "x[:, [0, 0]]": lambda L, x: x[:, [0, 0]],
            "x[[0, -1], [0, -1]]": lambda L, x: x[[0, -1], [0, -1]],
            "x[1:, ::2]": lambda L, x: x[1:, ::2],
            "x.t()[::2]": lambda L, x: x.t()[::2],
            "diagonal(1)": lambda L, x: x.diagonal(1),
            "diagonal(-1).unsqueeze(0)": lambda L, x: x.diagonal(-1).unsqueeze(0),
            "diagonal_scatter": lambda L, x: L.diagonal_scatter(x, x.diagonal() * 2),
            "hsplit(1)[0]": lambda L, x: x.hsplit(1)[0],
            "vsplit([1])[1]": lambda L, x: L.vsplit(x, [1])[1],
            "tril_indices gather": lambda L, x: x[tuple(L.tril_indices(*x.shape))],
        })
    if x.ndim == 3:
        ops.update({
            "dsplit(1)[0]": lambda L, x: x.dsplit(1)[0],
            "x[:, ::2, -1]": lambda L, x: x[:, ::2, -1],
            "x[..., 1:].transpose(0, 2)": lambda L, x: x[..., 1:].transpose(0, 2),
        })
    return ops


# Results of shapes18 entries that may share storage with their operand.
SHAPE18_NOT_VIEWS = ("diag_embed", "diagflat", "repeat_interleave", "tril", "triu", "roll", "rot90", "take",
                     "narrow_copy", "select_scatter", "slice_scatter", "index_", "scatter", "put", "gather",
                     "x[[", "x[tensor", "x[x.argmax", "x[:, [0", "diagonal_scatter", "tril_indices", "T.contiguous",
                     "fliplr", "flipud", "contiguous", "take_along", "split_with_sizes")
