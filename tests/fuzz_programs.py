"""Seeded random autograd programs, run in lockstep against torch and jitgrad.

`run(seed)` builds one small program from `random.Random(seed)`: a few leaves
(0-d and small tensors, float32/float64, special values such as -0.0 and
ties), then a handful of steps (elementwise ops, broadcasting binaries,
reductions, shape ops and indexing, in-place writes and index assignment,
detach), then a backward phase (backward with or without retain_graph, a
second backward, create_graph double backward, hooks, retain_grad). Every
step runs the same lambda on both libraries; choices depend only on the RNG
and on torch's shapes, so both sides run the same program. After each step
and after the backward the results are compared: values (NaN where torch has
NaN, the sign of zeros), dtypes, shapes, requires_grad, `None` versus zero
gradients, and the type of any exception.

A difference raises `Mismatch` whose message lists the program so far, so a
failing seed reads as a reproducible script.
"""
import math
import os
import random
import re
import warnings

import numpy as np
import torch

import jitgrad
from fuzz_vocabulary import (BINARY_EAGER as BINARY, BINARY_MORE, MORE_FROM, MORE_NO_DOUBLE, MORE_UNSIGNED, MORE_VIEWS,
                             PRIMITIVE, UNARY, UNARY_MORE, VIEWS, _inplace_ops, _int_ops, _matmul_ops, _more_ops, _promotion_ops, _reductions, _shape_ops)

LIBS = (torch, jitgrad)

VALUES = (0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, 0.25, -1.5, 1.0, 2.0)
SHAPES = ((), (), (), (1,), (3,), (3,), (2, 3), (3, 1), (1, 3), (2, 1, 3), (0,), (2, 0))
DTYPES = ("float32", "float64")
# |a - b| <= ATOL + RTOL * |b| (chains of float32 ops round differently).
TOL = {"float32": (2e-4, 1e-5), "float64": (1e-9, 1e-12)}


# Whether gradients must match torch's signs of zeros everywhere. Off:
# torch's fused loss backwards (mse, l1, smooth_l1, huber), std/var, cumprod, norm and its
# create_graph formulas have per-formula signs of zero that jitgrad's
# composites do not reproduce (see README). Gradients of programs without
# those are always compared with signs (expand, broadcasting and repeated
# index reads sum from +0.0 as torch's reductions: test_eager_fixes_more.py).
SIGNED_GRADS = bool(int(os.environ.get("JITGRAD_FUZZ_SIGNED_GRADS", "0")))
UNSIGNED_GRAD_OPS = {"mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "std", "var", "cumprod", "norm"}


class Mismatch(AssertionError):
    pass


# ----- comparison

def _dtype(t):
    return str(t.dtype).rsplit(".", 1)[-1]


def _array(t):
    return np.asarray(t.detach().numpy(force=True) if hasattr(t, "detach") else t)


def compare(what, a, b, tol=TOL, signed=True, values=True):
    """None if b (jitgrad) matches a (torch), else a description; `tol`:
    tolerances by dtype name; `signed`: zeros must have torch's sign;
    `values`: compare values (else shapes, dtypes, requires_grad only)."""
    if isinstance(a, (tuple, list)):
        if not isinstance(b, (tuple, list)) or len(a) != len(b):
            return f"{what}: {type(a).__name__} of {len(a)} vs {b!r}"
        for i, (p, q) in enumerate(zip(a, b)):
            d = compare(f"{what}[{i}]", p, q, tol, signed, values)
            if d:
                return d
        return None
    if a is None or b is None:
        return None if a is None and b is None else f"{what}: torch {_short(a)} vs jitgrad {_short(b)}"
    if not isinstance(a, torch.Tensor):
        return None if type(a) is type(b) and (a == b or a != a and b != b) else f"{what}: {a!r} vs {b!r}"
    if not isinstance(b, jitgrad.Tensor):
        return f"{what}: torch tensor vs jitgrad {type(b).__name__}"
    if tuple(a.shape) != tuple(b.shape):
        return f"{what}: shape {tuple(a.shape)} vs {tuple(b.shape)}"
    if _dtype(a) != _dtype(b):
        return f"{what}: dtype {_dtype(a)} vs {_dtype(b)}"
    if a.requires_grad != b.requires_grad:
        return f"{what}: requires_grad {a.requires_grad} vs {b.requires_grad}"
    if not values:
        return None
    x, y = _array(a), _array(b)
    if not a.is_floating_point():
        return None if np.array_equal(x, y) else f"{what}: {x.tolist()} vs {y.tolist()}"
    rtol, atol = tol[_dtype(a)]
    x64, y64 = x.astype(np.float64), y.astype(np.float64)
    nan_x, nan_y = np.isnan(x64), np.isnan(y64)
    same = (nan_x == nan_y) & np.where(
        nan_x, True, (x64 == y64) | (np.abs(x64 - y64) <= atol + rtol * np.abs(x64)))
    # The sign of a zero: torch prints -0. and 1 / x tells them apart.
    zeros = (x64 == 0) & (y64 == 0)
    if signed:
        same &= ~zeros | (np.signbit(x64) == np.signbit(y64))
    if not same.all():
        return f"{what}: torch {x.tolist()} vs jitgrad {y.tolist()}"
    return None


def _short(v):
    return "None" if v is None else f"tensor{list(v.shape)}" if hasattr(v, "shape") else repr(v)


# ----- the program

class Program:
    def __init__(self, seed, features=None):
        self.seed = seed
        self.r = random.Random(seed)
        self.features = features
        self.lines = []
        self.vars = []      # (torch tensor, jitgrad tensor, name)
        self.family = {}    # var name -> id of the storage family (views, detach)
        self.readers = {}   # family id -> names of the ops that read it
        self.unsigned = set()   # vars whose zeros' signs are not compared (maximum/minimum ties)
        self.taint = False      # the current step reads an unsigned var
        self.tainted = set()    # vars computed from unsigned ones: values not compared
        self.leaves = []
        self.tol = TOL      # float32 tolerances throughout once a float32 value is mixed in

    def fail(self, msg):
        listing = "\n".join("    " + s for s in self.lines)
        raise Mismatch(f"seed {self.seed}: {msg}\n  program:\n{listing}")

    def both(self, line, fn, *operands, signed=True):
        """Run fn(lib, *operands) on both; compare; returns (a, b) or None
        when both raised the same exception type."""
        self.lines.append(line)
        res, errs = [], []
        for k, lib in enumerate(LIBS):
            try:
                res.append(fn(lib, *[o[k] if isinstance(o, tuple) else o for o in operands]))
                errs.append(None)
            except Exception as e:     # compared below
                res.append(None)
                errs.append(e)
        if errs[0] is not None or errs[1] is not None:
            if errs[1] is None and "ZeroTensors are immutable" in str(errs[0]):
                # (sgn's gradient is torch's ZeroTensor, which a second accumulation refuses: see README)
                self.lines.append("# torch's ZeroTensor error (sgn), not imitated")
                return None
            if errs[0] is None or errs[1] is None or type(errs[0]).__name__ != type(errs[1]).__name__:
                self.fail(f"{line}: torch raised {errs[0]!r}, jitgrad raised {errs[1]!r}")
            self.lines.append(f"# both raise {type(errs[0]).__name__}")
            return None
        # torch's maximum/minimum of a +-0.0 tie give either zero depending on
        # the tensor's size (vectorized loop or not): signs not compared.
        signed = signed and not self.taint and not _tie_signs(line)
        # A tainted value may differ by more than a sign (atan2(-0.0, ...)): structure only.
        d = compare(line, res[0], res[1], self.tol, signed, values=not self.taint)
        if d:
            self.fail(d)
        return res[0], res[1]

    def new_var(self, pair, family=None):
        name = f"v{len(self.vars)}"
        self.vars.append((pair[0], pair[1], name))
        self.family[name] = family if family is not None else name
        if getattr(pair[0], "dtype", None) == torch.float32:
            self.tol = {"float32": TOL["float32"], "float64": TOL["float32"]}
        self.readers.setdefault(self.family[name], set())
        return name

    def read(self, op, *names):
        # Results computed from a value whose zeros' signs are not compared are not compared either.
        self.taint = self.taint or any(n in self.unsigned for n in names)
        for n in names:
            if n in self.family:
                self.readers[self.family[n]].add(op.split("(")[0])

    def writable(self, name, t, op=""):
        """In-place writes are generated only into tensors whose storage no
        composite op has read: jitgrad's composites (losses, softmax, std,
        where, amax, ...) save other values than torch's fused nodes, so
        torch's "modified by an inplace operation" error differs there (see
        README); nor into empty tensors (their version is not checked)."""
        family = self.family[name]
        if (t.ndim == 0 or "detach" in op) and sum(f == family for f in self.family.values()) > 1:
            # Writes through detach() bypass the view bookkeeping, and a 0-d
            # value is a number: other views would not see them (see README).
            return False
        return t.numel() > 0 and self.readers[family] <= PRIMITIVE

    def pick(self, float_only=True):
        cands = [v for v in self.vars if not float_only or v[0].is_floating_point()]
        return self.r.choice(cands) if cands else None

    # ----- phases
    def make_leaves(self):
        r = self.r
        for _ in range(r.randint(1, 3)):
            shape = r.choice(SHAPES)
            dtype = r.choice(DTYPES)
            vals = np.array([r.choice(VALUES) for _ in range(math.prod(shape))], np.float64).reshape(shape)
            rg = r.random() < 0.85
            pair = self.both(f"leaf = tensor({vals.tolist()}, dtype={dtype}, requires_grad={rg})",
                             lambda L: L.tensor(vals, dtype=getattr(L, dtype), requires_grad=rg))
            name = self.new_var(pair)
            self.lines[-1] = self.lines[-1].replace("leaf", name, 1)
            if rg:
                self.leaves.append(self.vars[-1])
            if dtype == "float32":
                self.tol = {"float32": TOL["float32"], "float64": TOL["float32"]}

    def step(self):
        r = self.r
        self.taint = False
        kinds, weights = ("unary", "binary", "reduce", "shape", "inplace", "int", "matmul", "promote"), (30, 25, 15, 15, 10, 5, 5, 6)
        if self.seed >= MORE_FROM:      # (the second vocabulary: later seeds only, earlier ones keep their programs)
            kinds, weights = kinds + ("more",), weights + (20,)
        kind = r.choices(kinds, weights)[0]
        x = self.pick()
        if x is None:
            return
        xt, xj, xn = x
        if kind == "unary":
            name = r.choice(sorted(UNARY))
            self.read(name, xn)
            self.near_step(name in STEPS, xt, xj)
            self._apply(f"{xn}.{name}", UNARY[name], (xt, xj), family=self.family[xn] if name in VIEWS else None)
        elif kind == "binary":
            if r.random() < 0.8:
                y = self.pick()
            else:
                c = r.choice(VALUES)
                y = (c, c, repr(c))
            name = r.choice(sorted(BINARY))
            self.read(name, xn, y[2])
            self.near_step(name in STEPS, xt, xj, y[0], y[1])
            for v in (x, y):    # torch tracks the versions of saved constants too; jitgrad does not
                if hasattr(v[0], "requires_grad") and not v[0].requires_grad:
                    self.read("saved constant", v[2])
            self._apply(f"{name}({xn}, {y[2]})", BINARY[name], (xt, xj), (y[0], y[1]))
        elif kind == "more":
            self.more_step(x)
        elif kind == "reduce":
            ops = _reductions(r, xt)
            name = r.choice(sorted(ops))
            self.read(name, xn)
            self._apply(f"{xn}.{name}", ops[name], (xt, xj))
        elif kind == "shape":
            ops = _shape_ops(r, xt)
            name = r.choice(sorted(ops))
            self.read(name, xn)
            self._apply(f"{xn}.{name}", ops[name], (xt, xj), family=self.family[xn])
        elif kind == "inplace":
            y = self.pick()
            ops = _inplace_ops(r, xt, y[0])
            name = r.choice(sorted(ops))
            if not self.writable(xn, xt, name) or self.family.get(y[2]) == self.family[xn]:
                return      # (overlapping in-place operands: torch's error is not implemented, see README)
            line = name.replace("v", xn, 1).replace("y", y[2])
            reads_y = "y" in name
            self.taint = xn in self.tainted or reads_y and y[2] in self.tainted
            signed = xn not in self.unsigned and not (reads_y and y[2] in self.unsigned)
            if not signed:
                # A zero whose sign is not compared (a maximum tie) written
                # into x: x's zeros and what is computed from them (1 / x)
                # are not compared either.
                written = {n for n, f in self.family.items() if f == self.family[xn]}
                self.unsigned.update(written)
                self.tainted.update(written)
            if r.random() < 0.3:
                fn = ops[name]
                self.both(f"with no_grad(): {line}", lambda L, a, b: _no_grad(L, fn, a, b), (xt, xj), (y[0], y[1]),
                          signed=signed)
            else:
                self.both(line, ops[name], (xt, xj), (y[0], y[1]), signed=signed)
            self.recheck_all()
        elif kind == "matmul":
            y = self.pick()
            ops = _matmul_ops(r, xt, y[0])
            name = r.choice(sorted(ops))
            self.read(name, xn, y[2])
            line = re.sub(r"\by\b", y[2], re.sub(r"\bx\b", xn, name))
            self._apply(line, ops[name], (xt, xj), (y[0], y[1]))
        elif kind == "promote":
            # (mixed dtypes inside the op: torch rounds gradients through float32 intermediates, jitgrad keeps float64)
            self.tol = {"float32": TOL["float32"], "float64": TOL["float32"]}
            ops = _promotion_ops(r)
            name = r.choice(sorted(ops))
            self.read(name, xn)
            self.near_step(True, xt, xj)
            self._apply(re.sub(r"\bx\b", xn, name), ops[name], (xt, xj))
        else:
            ops = _int_ops(r)
            name = r.choice(sorted(ops))
            self.near_step(True, xt, xj)
            self._apply(name.replace("v", xn), ops[name], (xt, xj))

    def more_step(self, x):
        """One op of the second vocabulary (fuzz_vocabulary.UNARY_MORE, BINARY_MORE, _more_ops)."""
        r = self.r
        xt, xj, xn = x
        table = r.choice(("unary", "binary", "other"))
        if table == "unary":
            name = r.choice(sorted(UNARY_MORE))
            self.read(name, xn)
            self.near_step(True, xt, xj)
            self._apply(f"{xn}.{name}", UNARY_MORE[name], (xt, xj), family=self.family[xn] if name in MORE_VIEWS else None)
        elif table == "binary":
            if r.random() < 0.8:
                y = self.pick()
            else:
                c = r.choice(VALUES)
                y = (c, c, repr(c))
            name = r.choice(sorted(BINARY_MORE))
            self.read(name, xn, y[2])
            self.near_step(name.startswith(("where", "fmax", "fmin")), xt, xj, y[0], y[1])
            for v in (x, y):
                if hasattr(v[0], "requires_grad") and not v[0].requires_grad:
                    self.read("saved constant", v[2])
            self._apply(f"{name}({xn}, {y[2]})", BINARY_MORE[name], (xt, xj), (y[0], y[1]))
        else:
            ops = _more_ops(r, xt)
            name = r.choice(sorted(ops))
            self.read(name, xn)
            self.near_step(name.startswith(("sort", "cummin", "take_along")), xt, xj)
            self._apply(f"{xn}.{name}", ops[name], (xt, xj), family=self.family[xn] if name in MORE_VIEWS else None)

    def near_step(self, step, *pairs):
        """A step function (floor, long(), x > y, ...) of operands whose
        torch and jitgrad values differ within the tolerance (float64 sqrt
        is MKL's in torch, 1 ulp from IEEE's) may land on either side: its
        result and what follows are not compared."""
        if step and any(_differs(a, b) for a, b in zip(pairs[::2], pairs[1::2])):
            self.taint = True

    def _apply(self, line, fn, *operands, family=None):
        pair = self.both(line, fn, *operands)
        if pair is not None and isinstance(pair[0], tuple):
            # (values, indices), unbind: each element is a new variable.
            names = [self.new_var(p, family) for p in zip(*pair)]
            if self.taint:
                self.unsigned.update(names)
                self.tainted.update(names)
            self.lines[-1] = f"{', '.join(names)} = {self.lines[-1]}"
            return
        if pair is not None:
            name = self.new_var(pair, family)
            # A composite's own result may be saved by torch's node (softmax).
            self.read(line.split(".", 1)[-1] if line.startswith("v") else line, name)
            self.lines[-1] = f"{name} = {self.lines[-1]}"
            if self.taint:
                self.tainted.add(name)
            if self.taint or _tie_signs(line):
                # (median of -0.0/+0.0 ties: torch's pick is not a stable sort's)
                self.unsigned.add(name)

    def recheck_all(self):
        for t, j, name in self.vars:
            d = compare(f"{name} after the in-place write", t, j, self.tol, name not in self.unsigned,
                        name not in self.tainted)
            if d:
                self.fail(d)

    def backward(self):
        r = self.r
        self.taint = False
        outs = [v for v in self.vars if v[0].requires_grad and v[0].is_floating_point()]
        if not outs:
            return
        chosen = r.sample(outs, min(len(outs), r.randint(1, 3)))
        weights = [r.choice((1.0, -1.0, 0.5, 2.0)) for _ in chosen]
        mode = r.choices(("backward", "retain", "create_graph"), (50, 30, 20))[0]
        used = set().union(*self.readers.values())
        if mode == "create_graph" and ({"pow", "norm", "copysign"} & used or any(v[0].numel() == 0 for v in self.leaves)
                                       or self.seed >= MORE_FROM and any(u.startswith(MORE_NO_DOUBLE) for u in used)):
            # Not generated: whether the double-backward gradient of an
            # empty leaf carries a graph differs (torch: it does); pow with a
            # tensor exponent, norm and copysign at 0 give nan in torch's
            # double backward where jitgrad has numbers (see README).
            mode = "backward"
        # Hooks and retain_grad are not combined with double backward (how
        # they enter the recorded gradient graph differs, see README).
        hooks = mode != "create_graph"
        nonleaf = [v for v in self.vars if v[0].requires_grad and v[0].grad_fn is not None]
        if hooks and nonleaf and r.random() < 0.25:
            v = r.choice(nonleaf)
            self.both(f"{v[2]}.retain_grad()", lambda L, a: a.retain_grad(), (v[0], v[1]))
        if hooks and r.random() < 0.25:
            v = r.choice(outs)
            self.both(f"{v[2]}.register_hook(lambda g: g * 2)",
                      lambda L, a: a.register_hook(lambda g: g * 2) and None, (v[0], v[1]))
        pairs = [(v[0], v[1]) for v in chosen]
        # A loss of values not compared (a step of nearly equal inputs): its
        # value and the gradients' values are not compared either.
        self.taint = any(v[2] in self.tainted for v in chosen)
        names = " + ".join(f"{w} * {v[2]}.sum()" for w, v in zip(weights, chosen))

        def loss(L, *ts):
            return sum((w * t.sum() for w, t in zip(weights, ts)), L.zeros((), dtype=L.float64))
        pair = self.both(f"loss = {names}", loss, *pairs)
        if pair is None:
            return
        if mode == "create_graph":
            leaves = [(v[0], v[1]) for v in self.leaves]
            lnames = ", ".join(v[2] for v in self.leaves)
            if not leaves:
                return

            def double(L, lo, *ls):
                gs = L.autograd.grad(lo, ls, create_graph=True, allow_unused=True)
                total = sum((g.pow(2).sum() for g in gs if g is not None and g.requires_grad),
                            L.zeros((), dtype=L.float64))
                if total.requires_grad:
                    total.backward()
                # Values only: which gradient formulas keep a graph (torch's
                # x ** 0 gives a constant zero) is not compared.
                return [None if g is None else g.detach() for g in gs]
            if self.both(f"gs = grad(loss, [{lnames}], create_graph=True); sum(g ** 2).backward()",
                         double, pair, *leaves, signed=SIGNED_GRADS) is None:
                return      # both raised: what a failed backward left behind is unspecified
            # torch's zero gradients of sign/floor/round/x ** 0 carry no graph,
            # so the second backward may not reach a leaf jitgrad reaches:
            # None and zeros are equal here.
            self.check_grads(none_is_zero=True, values=not self.taint)
            return
        else:
            retain = mode == "retain"
            if self.both(f"loss.backward(retain_graph={retain})",
                         lambda L, lo: lo.backward(retain_graph=retain) or (), pair) is None:
                return
            if r.random() < 0.4:
                if self.both("loss.backward()  # again", lambda L, lo: lo.backward() or (), pair) is None:
                    return
        self.check_grads(values=not self.taint)

    def check_grads(self, none_is_zero=False, values=True):
        used = set().union(*self.readers.values())
        signed = SIGNED_GRADS or not (none_is_zero or UNSIGNED_GRAD_OPS & used or self.unsigned
                                      or self.seed >= MORE_FROM and any(u.startswith(MORE_UNSIGNED) for u in used))
        for t, j, name in self.vars:
            if t.is_leaf or t.retains_grad:
                a, b = t.grad, j.grad
                if none_is_zero and (a is None) != (b is None):
                    present = a if a is not None else b
                    if not present.detach().numpy(force=True).any():
                        continue
                d = compare(f"{name}.grad", a, b, self.tol, signed, values)
                if d:
                    self.fail(d)


# Ops with a jump: results of nearly equal inputs may differ by a step.
STEPS = {"floor", "round", "sign", "trunc", "frac", "fmod", "remainder", "where", "where(y < x)", "x > y", "x == y", "x <= y"}


def _differs(a, b):
    """Whether torch's value a and jitgrad's b are not bit for bit equal."""
    if not hasattr(a, "detach"):
        return False
    x, y = _array(a), _array(b)
    if x.dtype.kind != "f" or x.shape != y.shape:
        return False
    return not np.array_equal(x.astype(np.float64), y.astype(np.float64), equal_nan=True)


def _tie_signs(line):
    """Whether the op of `line` picks between equal -0.0 and +0.0 the way
    torch's vectorized loops do (by size and dtype: maximum/minimum, clamp
    with tensor bounds, min/max/amin/amax of all elements) or by an unstable
    order (median): the sign of such a zero is not compared."""
    op = line.split("= ")[-1]
    return (op.startswith(("maximum", "minimum", "clamp(min=y)", "clamp(max=y)"))
            or any(f".{name}" in line for name in ("median", "min()", "max()", "amin(", "amax(")))


def _no_grad(L, fn, a, b):
    with L.no_grad():
        return fn(L, a, b)


def run(seed, steps=None):
    """Run program `seed`; raises Mismatch on the first difference."""
    p = Program(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p.make_leaves()
        for _ in range(steps if steps is not None else p.r.randint(1, 6)):
            p.step()
        p.backward()
    return p
