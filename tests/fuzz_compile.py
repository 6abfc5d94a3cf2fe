"""Seeded random functions, run under `jitgrad.compile` and eagerly, call by call.

`run(seed)` writes one small Python function `f(x, y, s, n)` from
`random.Random(seed)` (source text, so a failing seed prints as a script):
x, y tensors, s a Python float, n a Python int. Its body is a handful of
statements over intermediates: the eager fuzzer's vocabulary
(fuzz_vocabulary.py: elementwise ops, broadcasting binaries, reductions, the
softmax family, cumsum/cumprod, sort/max(dim), indexing, matmul, casts,
in-place ops), index assignment and in-place ops on intermediates, masks and
`where`, Python control flow on tensor values (`if v.sum() > 0`, loops over
`v.shape[0]`, `.item()`, `float()`, `int()`), the float and int arguments,
globals that change between calls (a float, a tensor rebound or written in
place, a list, an object attribute), random draws (`randn`, `rand_like`,
`dropout`), an `nn.Module`. Each statement is dry-run eagerly while writing,
so the first call mostly runs; later calls may raise (both sides must raise
alike).

The function is then called 5-7 times, compiled and uncompiled, with new
values of the same shapes (sign flips, ties, -0.0, inf/nan), other floats,
other globals, and once with other shapes; jitgrad's generator is reseeded
before each call. Every call must give the same bits (NaN payloads aside,
signs of zero included), dtypes, shapes, requires_grad, the same exception
(type and message), the same gradients after `backward()` of the outputs
(inputs and the module's parameters), and leave the generator in the same
state. `compile(func.value_and_grad(f))` / `func.grad(f)` are fuzzed too.
Finally `report()` must count the calls.

A difference raises `Mismatch` with the seed, the source and the call.
"""
import math
import random
import re
import warnings

import numpy as np

import jitgrad
import jitgrad.nn.functional as JF
from fuzz_vocabulary import (BINARY, BINARY_MORE, MORE_FROM_COMPILE, UNARY, UNARY_MORE, _inplace_ops, _matmul_ops,
                             _more_ops, _reductions, _shape_ops)
import fuzz_vocabulary18 as V18

# The third vocabulary (fuzz_vocabulary18): drawn by seeds from OPS18_FROM_COMPILE only, so earlier seeds
# keep their programs.
OPS18_FROM_COMPILE = 650_000

SHAPES = ((), (3,), (3,), (2, 3), (4,), (3, 1), (1, 3))
VALUES = (0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, 0.25, -1.5, 1.0, 2.0, 0.7, -0.3)
FLOATS = (0.5, 1.5, -2.0, 0.0, -0.0, 3.0, 0.25, 1e-3)
# Random draws in the function: the generator is reseeded before every call.
CALL_SEED = 1234


class Mismatch(AssertionError):
    pass


class Config:
    """An object whose attribute the function reads (a config class)."""
    scale = 1.0


# ----- writing a function ------------------------------------------------------------

def _is_float(t):
    return isinstance(t, jitgrad.Tensor) and t.dtype in (jitgrad.float32, jitgrad.float64)


class Writer:
    """Builds the statements of one function, dry-running each on the first
    call's arguments to know shapes and dtypes (a statement that raises there
    is dropped)."""

    def __init__(self, r, ns):
        self.r = r
        self.ns = ns            # the function's globals, then its locals while dry-running
        self.lines = []
        self.names = []         # tensor variables, oldest first
        self.count = 0
        self.ops = []           # vocabulary callables, OPS[i] in the source
        self.more = False       # whether the second vocabulary is drawn from
        self.ops18 = False      # whether the third is

    def new(self):
        self.count += 1
        return f"v{self.count}"

    def pick(self, floats=True):
        pool = [n for n in self.names if not floats or _is_float(self.ns[n])] or self.names
        # recent variables more often: programs are chains more than trees
        return pool[min(len(pool) - 1, int(len(pool) * (1 - self.r.random() ** 2)))]

    def op(self, fn, label):
        self.ops.append(fn)
        return f"OPS[{len(self.ops) - 1}]", label

    def add(self, text, out):
        """Dry-run `text` (one or more lines); keep it if it runs and leaves
        a tensor in `out`."""
        trial = dict(self.ns)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                jitgrad.manual_seed(CALL_SEED)
                exec(text, trial)
        except Exception:
            return False
        if not isinstance(trial.get(out), jitgrad.Tensor) or trial[out].numel() > 64:
            return False
        self.ns.update({k: v for k, v in trial.items() if k not in self.ns or k.startswith(("v", "t"))})
        self.lines.extend(text.split("\n"))
        self.names.append(out)
        return True


def _statement(w, r, src):
    """One random statement (text, output name) over the variables of `w`."""
    a = w.pick()
    b = w.pick()
    va, vb = w.ns[a], w.ns[b]
    v = w.new()
    kinds = ("unary", "binary", "reduce", "shape", "inplace", "setitem", "mask", "cast", "select",
             "matmul", "if", "loop", "item", "float_arg", "int_arg", "world", "random", "module")
    weights = (6, 6, 6, 4, 3, 2, 3, 2, 3, 1, 3, 2, 2, 2, 1, 3, 2, 1)
    if w.more:      # (the second vocabulary: later seeds only, earlier ones keep their programs)
        kinds, weights = kinds + ("more",), weights + (8,)
    if w.ops18:
        kinds, weights = kinds + ("ops18",), weights + (12,)
    kind = r.choices(kinds, weights)[0]
    if kind == "more":
        return _more_statement(w, r, a, b, va, v)
    if kind == "ops18":
        return _ops18_statement(w, r, a, b, va, v)
    if kind == "unary":
        name = r.choice(sorted(UNARY))
        return f"{v} = U[{name!r}](torch, {a})", v
    if kind == "binary":
        name = r.choice(sorted(BINARY))
        other = b if r.random() < 0.8 else repr(r.choice((2.0, -1.0, 0.5)))
        return f"{v} = B[{name!r}](torch, {a}, {other})", v
    if kind in ("reduce", "shape"):
        table = (_reductions if kind == "reduce" else _shape_ops)(r, va)
        label = r.choice(sorted(table))
        ref, _ = w.op(table[label], label)
        pick = ""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if isinstance(table[label](jitgrad, va), tuple):
                    pick = f"[{r.randrange(2)}]"
        except Exception:
            pass
        return f"{v} = {ref}(torch, {a}){pick}  # {label}", v
    if kind == "inplace":
        table = _inplace_ops(r, va, vb)
        label = r.choice(sorted(table))
        ref, _ = w.op(table[label], label)
        return f"{v} = {a} * 1\n{v} = {ref}(torch, {v}, {b})  # {label}", v
    if kind == "setitem":
        if va.ndim == 0:
            return f"{v} = {a} + 0\n{v}[...] = {b}.sum()", v
        i = r.randrange(va.shape[0]) if va.shape[0] else 0
        rhs = r.choice((f"{b}.sum()", f"{b}.sum() * 2", "0.0", f"{a}[{i}] ** 2", f"{a}.max()"))
        return f"{v} = {a}.clone()\n{v}[{i}] = {rhs}", v
    if kind == "mask":
        return r.choice((
            f"{v} = torch.where({a} > 0, {a}, {b})",
            f"{v} = {a} * ({a} > {b}).to({a}.dtype)",
            f"{v} = {a}.masked_fill({a} < 0, 0.0)",
            f"{v} = torch.where(torch.isfinite({a}), {a}, torch.zeros_like({a}))",
            f"{v} = ({a} >= 0).float() + {a}",
            f"{v} = {a}.clamp(min={b}.min(), max=2.0) if {b}.numel() else {a}",
        )), v
    if kind == "cast":
        return r.choice((
            f"{v} = {a}.double() * 2",
            f"{v} = {a}.float() + 1",
            f"{v} = {a}.long() * 2 + {a}",
            f"{v} = {a}.bool().to({a}.dtype) * {a}",
            f"{v} = {a}.to(torch.float64) - {b}",
        )), v
    if kind == "select":
        d = r.randrange(-max(va.ndim, 1), max(va.ndim, 1))
        k = r.randint(1, 2)
        return r.choice((
            f"{v} = {a}.sort({d})[0]",
            f"{v} = {a}.sort({d}, descending=True).values * {a}",
            f"{v} = {a}.reshape(-1).topk(min({k}, {a}.numel())).values",
            f"{v} = torch.max({a}, {d}).values",
            f"{v} = {a}.reshape(-1)[{a}.reshape(-1).argmax()]",
            f"{v} = {a}.max({d})[1].to({a}.dtype) + {a}.amax({d})",
            f"{v} = {a}.argsort({d}).to({a}.dtype) * {a}",
        )), v
    if kind == "matmul":
        table = _matmul_ops(r, va, vb)
        label = r.choice(sorted(table))
        ref, _ = w.op(table[label], label)
        return f"{v} = {ref}(torch, {a}, {b})  # {label}", v
    if kind == "if":
        cond = r.choice((f"{a}.sum() > 0", f"float({a}.max()) > 0.5", f"{a}.mean() < {b}.mean()",
                         f"bool(({a} > 0).any())", f"{a}.numel() > 2 and {a}.reshape(-1)[0] > 0"))
        then = r.choice((f"{a} * 2", f"{a}.exp()", f"{a} - {b}", f"{a}.abs().sqrt()"))
        other = r.choice((f"{a} - 1", f"-{a}", f"{a} * {b}", f"{a}.sin()"))
        return f"if {cond}:\n    {v} = {then}\nelse:\n    {v} = {other}", v
    if kind == "loop":
        return r.choice((
            f"{v} = {a} * 0\nfor i in range({a}.shape[0] if {a}.ndim else 1):\n"
            f"    {v} = {v} + ({a}[i] if {a}.ndim else {a}) * (i + 1)",
            f"{v} = {a}\nfor i in range(3):\n    if {v}.abs().sum() > 4:\n        break\n    {v} = {v} * 1.5 + {b}",
        )), v
    if kind == "item":
        t = f"t{w.count}"
        return r.choice((
            f"{t} = {a}.sum().item()\n{v} = {b} * {t}",
            f"{t} = float({a}.abs().max()) if {a}.numel() else 0.0\n{v} = {b} / ({t} + 1)",
            f"{t} = int(({a} > 0).sum())\n{v} = {b} * {t} + {a}.sum()",
            f"{t} = {a}.reshape(-1).tolist()\n{v} = {b} + sum({t})",
        )), v
    if kind == "float_arg":
        return r.choice((
            f"{v} = {a} * s",
            f"{v} = {a} + math.exp(s)",
            f"{v} = {a} * s if s > 0 else {a} - s",
            f"{v} = {a}.clamp(max=s)",
            f"{v} = {a} / (abs(s) + 1) + {b}",
        )), v
    if kind == "int_arg":
        return f"{v} = {a}\nfor i in range(n):\n    {v} = {v} * 0.5 + {b}", v
    if kind == "world":
        return r.choice((
            f"{v} = {a} * K",
            f"{v} = {a} + C",
            f"{v} = {a} * LST[0] + LST[1]",
            f"{v} = {a} * CFG.scale",
            f"{v} = {a} * C.sum() if K > 0 else {a}",
        )), v
    if kind == "random":
        return r.choice((
            f"{v} = {a} + torch.randn({a}.shape, dtype={a}.dtype)",
            f"{v} = F.dropout({a}, 0.5, training=True)",
            f"{v} = {a} * torch.rand_like({a})",
            f"{v} = {a} + torch.randn(())",
        )), v
    return f"{v} = M({a}.double().reshape(-1, 1).expand(-1, 3)).sum(-1)", v


def _pick_of(fn, x):
    """Whether fn(jitgrad, x) gives a tuple (values, indices): the statement takes one."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return isinstance(fn(jitgrad, x), tuple)
    except Exception:
        return False


def _more_statement(w, r, a, b, va, v):
    """One statement of the second vocabulary (fuzz_vocabulary.UNARY_MORE, BINARY_MORE, _more_ops)."""
    table = r.choice(("unary", "binary", "other"))
    if table == "unary":
        label = r.choice(sorted(UNARY_MORE))
        ref, _ = w.op(UNARY_MORE[label], label)
        return f"{v} = {ref}(torch, {a})  # {label}", v
    if table == "binary":
        label = r.choice(sorted(BINARY_MORE))
        ref, _ = w.op(BINARY_MORE[label], label)
        other = b if r.random() < 0.8 else repr(r.choice((2.0, -1.0, 0.5)))
        return f"{v} = {ref}(torch, {a}, {other})  # {label}", v
    ops = _more_ops(r, va)
    label = r.choice(sorted(ops))
    ref, _ = w.op(ops[label], label)
    pick = f"[{r.randrange(2)}]" if _pick_of(ops[label], va) else ""
    return f"{v} = {ref}(torch, {a}){pick}  # {label}", v


def _ops18_statement(w, r, a, b, va, v):
    """One statement of the third vocabulary (fuzz_vocabulary18: UNARY18, BINARY18, reductions18, shapes18)."""
    table = r.choice(("unary", "binary", "reduce", "shape"))
    if table == "binary":
        label = r.choice(sorted(V18.BINARY18))
        if label.startswith(("out=", "no_grad out=")):     # (out= results are not the function's own values)
            label = "add(alpha=2)"
        ref, _ = w.op(V18.BINARY18[label], label)
        other = b if r.random() < 0.8 else repr(r.choice((2.0, -1.0, 0.5)))
        return f"{v} = {ref}(torch, {a}, {other})  # {label}", v
    ops = V18.UNARY18 if table == "unary" else (V18.reductions18 if table == "reduce" else V18.shapes18)(r, va)
    label = r.choice(sorted(ops))
    ref, _ = w.op(ops[label], label)
    pick = f"[{r.randrange(2)}]" if _pick_of(ops[label], va) else ""
    return f"{v} = {ref}(torch, {a}){pick}  # {label}", v


def _make_world(r, dtype):
    return {
        "K": r.choice(FLOATS),
        "C": jitgrad.tensor(r.choice(VALUES), dtype=dtype),
        "LST": [r.choice(VALUES), r.choice(VALUES)],
        "CFG": Config(),
    }


def _change_world(r, ns):
    """Between calls: rebind, write in place, or leave the globals."""
    what = r.randrange(12)      # (mostly unchanged: replays, not only recordings)
    if what == 0:
        ns["K"] = r.choice(FLOATS)
    elif what == 1:
        ns["C"] = jitgrad.tensor(r.choice(VALUES), dtype=ns["C"].dtype)
    elif what == 2:
        ns["C"].add_(1.0)
    elif what == 3:
        ns["LST"][r.randrange(2)] = r.choice(VALUES)
    elif what == 4:
        ns["CFG"].scale = r.choice(FLOATS)


# ----- arguments --------------------------------------------------------------------

def _values(r, shape):
    n = int(np.prod(shape, dtype=np.int64))
    return np.array([r.choice(VALUES) if r.random() < 0.5 else round(r.gauss(0, 1.5), 3) for _ in range(n)],
                    np.float64).reshape(shape)


def _variant(r, base, how):
    a = base.copy()
    flat = a.reshape(-1)
    if how == "new":
        return _values(r, a.shape)
    if how == "flip":
        return -a
    if how == "ties" and flat.size:
        flat[:] = flat[r.randrange(flat.size)]
        flat[r.randrange(flat.size)] = -0.0
    if how == "special" and flat.size:
        flat[r.randrange(flat.size)] = r.choice((math.inf, -math.inf, math.nan))
    if how == "shape":
        return _values(r, (a.shape[0] + 1,) + a.shape[1:] if a.ndim else (2,))
    return a


def _calls(r, shapes):
    """Argument value sets, the first call's first: (arrays per tensor, s, n)."""
    base = [_values(r, s) for s in shapes]
    s0, n0 = r.choice(FLOATS), r.choice((1, 2))
    calls = [(base, s0, n0)]
    hows = ["new", "flip", "ties", "special", "shape"]
    r.shuffle(hows)
    for how in hows[:r.randint(4, 5)]:
        s = s0 if r.random() < 0.5 else r.choice(FLOATS)
        n = n0 if r.random() < 0.8 else 3
        calls.append(([_variant(r, a, how) for a in base], s, n))
    if r.random() < 0.5:
        calls.append(calls[0])      # the first signature again, after the others
    return calls


# ----- comparing --------------------------------------------------------------------

def _bits(arr):
    """A tensor's values as comparable bytes: NaN payloads and signs
    canonical, signs of zero kept."""
    a = np.array(arr, copy=True)
    if a.dtype.kind == "f":
        a[np.isnan(a)] = np.nan
    return a.tobytes()


def describe(x):
    if isinstance(x, jitgrad.Tensor):
        return (f"tensor{tuple(x.shape)} {x.dtype} rg={x.requires_grad} "
                f"{np.array2string(x.detach().numpy(), precision=17)}")
    return repr(x)


def diff(what, a, b):
    """None if b (compiled) is a (eager) bit for bit, else a description."""
    if isinstance(a, BaseException) or isinstance(b, BaseException):
        if type(a) is type(b) and str(a) == str(b):
            return None
        return f"{what}: eager {a!r} vs compiled {b!r}"
    if isinstance(a, (tuple, list)):
        if type(a) is not type(b) or len(a) != len(b):
            return f"{what}: {type(a).__name__} of {len(a)} vs {describe(b)}"
        for i, (p, q) in enumerate(zip(a, b)):
            d = diff(f"{what}[{i}]", p, q)
            if d:
                return d
        return None
    if isinstance(a, jitgrad.Tensor):
        if not isinstance(b, jitgrad.Tensor):
            return f"{what}: eager {describe(a)} vs compiled {describe(b)}"
        if (a.dtype is not b.dtype or tuple(a.shape) != tuple(b.shape) or a.requires_grad != b.requires_grad
                or _bits(a.detach().numpy()) != _bits(b.detach().numpy())):
            return f"{what}: eager {describe(a)} vs compiled {describe(b)}"
        return None
    if type(a) is not type(b):
        return f"{what}: eager {a!r} vs compiled {b!r}"
    if isinstance(a, float):
        return None if _bits(np.float64(a)) == _bits(np.float64(b)) else f"{what}: eager {a!r} vs compiled {b!r}"
    return None if a == b else f"{what}: eager {a!r} vs compiled {b!r}"


def _outputs(out):
    return [o for o in (out if isinstance(out, (tuple, list)) else (out,))
            if isinstance(o, jitgrad.Tensor) and o.requires_grad and _is_float(o)]


def _call(fn, arrays, s, n, dtypes, rgs, model, mode):
    """One call: (result or exception, gradients or exception, generator state)."""
    xs = [jitgrad.tensor(a, dtype=dt, requires_grad=rg) for a, dt, rg in zip(arrays, dtypes, rgs)]
    for p in model.parameters():
        p.grad = None
    jitgrad.manual_seed(CALL_SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = fn(*xs, s, n)
        except Exception as e:
            return e, None, jitgrad.get_rng_state().numpy().tobytes()
        state = jitgrad.get_rng_state().numpy().tobytes()
        grads = None
        if mode == "plain":
            outs = _outputs(out)
            try:
                if outs:
                    sum(o.sum() for o in outs).backward()
                grads = [x.grad for x in xs] + [p.grad for p in model.parameters()]
            except Exception as e:
                grads = e
    return out, grads, state


def _program(seed):
    r = random.Random(seed)
    dtype = r.choice(("float32", "float64"))
    dtypes = [getattr(jitgrad, dtype), getattr(jitgrad, r.choice((dtype, dtype, "float32", "float64")))]
    rgs = [True, r.random() < 0.6]
    mode = r.choices(("plain", "value_and_grad", "grad"), (8, 1, 1))[0]
    shapes = [r.choice(SHAPES), r.choice(SHAPES)]
    calls = _calls(r, shapes)
    jitgrad.manual_seed(seed)
    model = jitgrad.nn.Sequential(jitgrad.nn.Linear(3, 2), jitgrad.nn.Tanh()).double()
    ns = {"torch": jitgrad, "F": JF, "math": math, "U": UNARY, "B": BINARY, "M": model}
    ns.update(_make_world(r, dtypes[0]))
    base, s0, n0 = calls[0]
    w = Writer(r, ns)
    w.more = seed >= MORE_FROM_COMPILE
    w.ops18 = seed >= OPS18_FROM_COMPILE
    ns["OPS"] = w.ops
    for name, a, dt, rg in zip(("x", "y"), base, dtypes, rgs):
        ns[name] = jitgrad.tensor(a, dtype=dt, requires_grad=rg)
        w.names.append(name)
    ns["s"], ns["n"] = s0, n0
    for _ in range(r.randint(2, 7)):
        for _attempt in range(4):
            text, out = _statement(w, r, ns)
            if w.add(text, out):
                break
            w.count -= 1
    last = w.names[-1]
    if mode != "plain":
        ret = f"{last}.sum() + x.sum() * 0"   # a scalar of x's dtype (grad w.r.t. x)
    else:
        ret = r.choice((last, f"{last}, {w.names[-2]}" if len(w.names) > 1 else last, f"({last}, float(x.sum()))"))
    src = "def f(x, y, s, n):\n" + "".join(f"    {line}\n" for line in w.lines) + f"    return {ret}\n"
    world = {k: v for k, v in ns.items() if k in ("torch", "F", "math", "U", "B", "M", "OPS", "K", "C", "LST", "CFG")}
    code = compile(src, f"<fuzz_compile {seed}>", "exec")
    exec(code, world)
    return r, src, world, dtypes, rgs, mode, model, calls


def run(seed, check_report=True):
    """Run program `seed`; raise Mismatch on the first difference. Returns
    the compiled function (for statistics)."""
    r, src, world, dtypes, rgs, mode, model, calls = _program(seed)
    f = world["f"]
    if mode == "plain":
        eager_fn, cf = f, jitgrad.compile(f)
    else:
        wrap = jitgrad.func.value_and_grad if mode == "value_and_grad" else jitgrad.func.grad
        eager_fn, cf = wrap(f), jitgrad.compile(wrap(f))
    for i, (arrays, s, n) in enumerate(calls):
        if i:
            _change_world(r, world)
        want = _call(eager_fn, arrays, s, n, dtypes, rgs, model, mode)
        got = _call(cf, arrays, s, n, dtypes, rgs, model, mode)
        for what, a, b in (("result", want[0], got[0]), ("gradients", want[1], got[1])):
            d = diff(what, a, b)
            if d:
                raise Mismatch(_message(seed, src, mode, i, arrays, s, n, world, d))
        if want[2] != got[2]:
            raise Mismatch(_message(seed, src, mode, i, arrays, s, n, world, "generator state after the call differs"))
    if check_report:
        text = cf.report()
        c = getattr(cf, "cf", cf)       # (compile(value_and_grad(f)): its CompiledFunction counts)
        m = re.match(r"jitgrad.compile\(.*?\): (\d+) calls, (\d+) replays, (\d+) recordings", text)
        ok = (m is not None and int(m.group(1)) == c.calls == len(calls) and c.replays + c.eager_calls <= c.calls
              and c.records <= 2 * len(calls) and int(m.group(2)) == c.replays)
        if not ok:
            raise Mismatch(_message(seed, src, mode, len(calls) - 1, *calls[-1], world, f"report: {text}"))
    return cf


def _message(seed, src, mode, i, arrays, s, n, world, what):
    return (f"seed {seed} ({mode}), call {i}: {what}\n{src}"
            f"arguments: {[a.tolist() for a in arrays]}, s={s!r}, n={n!r}; "
            f"K={world['K']!r} C={describe(world['C'])} LST={world['LST']!r} CFG.scale={world['CFG'].scale!r}")
