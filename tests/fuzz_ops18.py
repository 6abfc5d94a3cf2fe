"""The eager fuzzer of fuzz_programs.py over the third vocabulary
(fuzz_vocabulary18.py): seeded random autograd programs run in lockstep on
torch and jitgrad, compared after every step and after the backward with
fuzz_programs' comparison (values, NaN, signs of zero, dtypes, shapes,
requires_grad, None versus zero gradients, exception types).

Besides the new functions, a program may hold integer and bool tensors
(leaves and casts, used as the other operand of binaries), take
non-contiguous views (transpose, steps, expand) before ops, write in place
through views of views, hook a view, and call backward with retain_graph,
write in place, then backward again. Its own module and seeds: the seeds of
fuzz_programs keep their programs.
"""
import math
import re
import warnings

import numpy as np
import torch

import fuzz_programs as FP
from fuzz_vocabulary import PRIMITIVE
from fuzz_vocabulary18 import BINARY18, SHAPE18_NOT_VIEWS, STEPS18, UNARY18, VIEWS18, reductions18, shapes18
from fuzz_vocabulary18_writes import inplace18, ints18

Mismatch = FP.Mismatch

# Ops of this vocabulary recorded as primitives saving what torch's nodes save:
# in-place writes may follow them (Program.writable).
PRIMITIVE18 = PRIMITIVE | {"ceil", "fix", "rad2deg", "positive", "negative", "absolute", "arctan", "arcsinh",
                           "swapaxes", "swapdims", "moveaxis", "ravel", "unsqueeze", "x[::2]", "x[1::2]", "x[-1:]",
                           "x[:, None]", "x[..., -1]", "x[None, ..., None]", "x[...]", "x.mT", "adjoint",
                           "view", "y - x", "y * x", "subtract", "multiply", "add", "sub", "contiguous"}
# Gradients through these are not compared with signs of zero (torch's own
# backward kernels: fused losses, norms, std/var, cumprod-like products).
UNSIGNED18 = ("F.", "norm", "linalg", "std", "var", "cov", "corrcoef", "prod", "cumulative_trapezoid", "trapezoid",
              "renorm", "quantile", "nanquantile", "special.entr", "special.xlogy", "chain_matmul", "matrix_power",
              "mv", "addmv", "addr", "baddbmm", "addbmm", "x.mT @ x", "inner", "vdot", "kron", "tensordot", "dot",
              "cross", "float_power", "scatter_reduce", "index_reduce", "logcumsumexp", "cumprod", "igamma",
              "special.zeta", "hypot", "atan2", "lerp", "addc", "v.addc", "v.lerp_", "v.hypot_", "v.atan2_", "i0",
              "special.i0e", "logit")
# Not followed by a double backward (torch's own nan / not-implemented second derivatives at kinks and zeros).
NO_DOUBLE18 = ("F.", "norm", "linalg", "cov", "corrcoef", "special.", "float_power", "quantile", "nanquantile",
               "igamma", "pow", "x ** -1", "|x| ** 1.5", "y ** x", "renorm", "nextafter", "copysign", "hypot",
               "atan2", "ldexp", "cross", "lgamma", "digamma", "polygamma", "mvlgamma", "i0", "std", "var",
               "(|x| + 1).acosh()", "x.exp().log()", "(x * 1).sqrt_()", "v.sqrt_()", "v.pow_", "v.reciprocal_",
               "scatter_reduce", "index_reduce", "logcumsumexp", "kthvalue", "mode", "nanmedian", "logit")

# Results whose zeros' signs are not compared: BLAS products (torch's gemm / dot signs of zero) and
# layer_norm (torch's x * scale + bias never gives -0.0).
UNSIGNED_VALUES18 = ("inner(", "tensordot", "kron", "vdot", "dot(", ".mv", ".addmv", ".addr", "chain_matmul",
                     "x.mT @ x", "baddbmm", "addbmm", "F.bilinear", "matrix_power", "F.conv1d", "F.layer_norm",
                     "F.group_norm", "F.instance_norm", "F.rms_norm", "F.batch_norm", "cov", "corrcoef",
                     "nanmedian", "unique")      # (a -0.0 / 0.0 tie's pick, as median's)

DTYPES_INT = ("int64", "bool", "int32")


class Program18(FP.Program):
    """A fuzz_programs.Program whose steps draw mostly from the third vocabulary."""

    def __init__(self, seed):
        super().__init__(seed)
        self.hooked_views = 0
        self.used18 = set()     # labels of the third vocabulary's ops drawn

    def make_leaves(self):
        super().make_leaves()
        r = self.r
        if r.random() < 0.4:
            # an integer or bool tensor, the other operand of binaries
            shape = r.choice(FP.SHAPES)
            dtype = r.choice(DTYPES_INT)
            vals = np.array([r.choice((0, 1, -1, 2, 3, -2)) for _ in range(math.prod(shape))],
                            np.int64).reshape(shape)
            pair = self.both(f"leaf = tensor({vals.tolist()}, dtype={dtype})",
                             lambda L: L.tensor(vals, dtype=getattr(L, dtype)))
            name = self.new_var(pair)
            self.lines[-1] = self.lines[-1].replace("leaf", name, 1)

    def both(self, line, fn, *operands, signed=True):
        # (zeros' signs of BLAS products and of layer_norm's x * scale + bias are not compared, see README)
        return super().both(line, fn, *operands, signed=signed and not any(m in line for m in UNSIGNED_VALUES18))

    def _apply(self, line, fn, *operands, family=None):
        n = len(self.vars)
        super()._apply(line, fn, *operands, family=family)
        if any(m in line for m in UNSIGNED_VALUES18):
            self.unsigned.update(v[2] for v in self.vars[n:])

    def writable(self, name, t, op=""):
        family = self.family[name]
        if (t.ndim == 0 or "detach" in op) and sum(f == family for f in self.family.values()) > 1:
            return False
        return t.numel() > 0 and self.readers[family] <= PRIMITIVE18

    def pick_any(self):
        return self.r.choice(self.vars)

    def other(self):
        """The second operand: a variable of any dtype, or a Python number."""
        r = self.r
        if r.random() < 0.8:
            return self.pick_any()
        c = r.choice(FP.VALUES + (2, -1, True, 0))
        return (c, c, repr(c))

    def step(self):
        r = self.r
        self.taint = False
        kind = r.choices(("old", "unary", "binary", "reduce", "shape", "inplace", "int", "noncontig", "hook"),
                         (15, 20, 20, 15, 15, 12, 6, 6, 2))[0]
        if kind == "old":
            return super().step()
        x = self.pick()
        if x is None:
            return
        xt, xj, xn = x
        if kind == "noncontig":
            # a non-contiguous view to feed the next ops
            ops = {
                "x.t()": lambda L, x: x.t() if x.ndim <= 2 else x.transpose(0, -1),
                "x[::2]": lambda L, x: x[::2] if x.ndim else x,
                "x.expand(2, ...)": lambda L, x: x.expand(2, *x.shape),
                "x.unsqueeze(-1).expand(..., 2)": lambda L, x: x.unsqueeze(-1).expand(*x.shape, 2),
                "x.flip(0)[::2]": lambda L, x: x.flip(0)[::2] if x.ndim else x,
                "x.permute(reversed)": lambda L, x: x.permute(*reversed(range(x.ndim))),
            }
            name = r.choice(sorted(ops))
            self.used18.add(name)
            self.read(name, xn)
            self._apply(f"{xn}.{name}", ops[name], (xt, xj), family=None if name.startswith("x.flip") else self.family[xn])
        elif kind == "unary":
            name = r.choice(sorted(UNARY18))
            self.used18.add(name)
            self.read(name, xn)
            self.near_step(name in STEPS18, xt, xj)
            self._apply(f"{xn}.{name}", UNARY18[name], (xt, xj), family=self.family[xn] if name in VIEWS18 else None)
        elif kind == "binary":
            y = self.other()
            name = r.choice(sorted(BINARY18))
            self.used18.add(name)
            self.read(name, xn, y[2])
            self.near_step(name in STEPS18 or "clamp" in name or "maximum" in name or "fmax" in name,
                           xt, xj, y[0], y[1])
            for v in (x, y):
                if hasattr(v[0], "requires_grad") and not v[0].requires_grad:
                    self.read("saved constant", v[2])
            view = name in ("x.expand_as(y)", "x.reshape_as(y)", "x.view_as(y)")
            self._apply(f"{name}({xn}, {y[2]})", BINARY18[name], (xt, xj), (y[0], y[1]),
                        family=self.family[xn] if view else None)
        elif kind == "reduce":
            ops = reductions18(r, xt)
            name = r.choice(sorted(ops))
            self.used18.add(name)
            self.read(name, xn)
            self.near_step(True, xt, xj)
            self._apply(f"{xn}.{name}", ops[name], (xt, xj))
        elif kind == "shape":
            ops = shapes18(r, xt)
            name = r.choice(sorted(ops))
            self.used18.add(name)
            self.read(name, xn)
            view = not name.startswith(SHAPE18_NOT_VIEWS)
            self._apply(f"{xn}.{name}", ops[name], (xt, xj), family=self.family[xn] if view else None)
        elif kind == "int":
            ops = ints18(r)
            name = r.choice(sorted(ops))
            self.near_step(True, xt, xj)
            self.read(name, xn)
            self._apply(re.sub(r"\bx\b", xn, name), ops[name], (xt, xj))
        elif kind == "hook":
            # a hook on a view of a variable (runs at backward)
            if not xt.requires_grad or xt.ndim == 0 or self.hooked_views >= 2:
                return
            self.hooked_views += 1
            self.read("hook", xn)
            pair = self.both(f"h = {xn}[1:]; h.register_hook(lambda g: g * 3)",
                             lambda L, a: _hooked_view(a), (xt, xj))
            if pair is not None:
                name = self.new_var(pair, self.family[xn])
                self.lines[-1] = f"{name} = " + self.lines[-1]
        else:
            y = self.other()
            ops = inplace18(r, xt, y[0])
            name = r.choice(sorted(ops))
            if not self.writable(xn, xt, name) or self.family.get(y[2]) == self.family[xn]:
                return
            self.used18.add(name)
            line = re.sub(r"\by\b", y[2], re.sub(r"\bv\b", xn, name))
            self.taint = xn in self.tainted or y[2] in self.tainted
            self.read("inplace", y[2])
            if xn in self.unsigned or y[2] in self.unsigned:
                written = {n for n, f in self.family.items() if f == self.family[xn]}
                self.unsigned.update(written)
                self.tainted.update(written)
            # in-place through a view changes shapes of views (t_, unsqueeze_): values of the family
            # are still compared after the write
            fn = ops[name]
            if r.random() < 0.2:
                self.both(f"with no_grad(): {line}", lambda L, a, b: FP._no_grad(L, fn, a, b), (xt, xj), (y[0], y[1]))
            else:
                self.both(line, fn, (xt, xj), (y[0], y[1]))
            self.readers[self.family[xn]].add(name.split("(")[0])
            self.recheck_all()

    def backward(self):
        r = self.r
        if r.random() < 0.25:
            return self.backward_twice_around_a_write()
        if any(u.startswith(NO_DOUBLE18) for u in self.used18) or any(v[0].numel() == 0 for v in self.leaves):
            # (create_graph after these: torch's own nan / unimplemented second derivatives)
            self.seed_guard = True
        return _plain_backward(self)

    def backward_twice_around_a_write(self):
        """backward(retain_graph=True), an in-place write into a variable, backward again."""
        r = self.r
        outs = [v for v in self.vars if v[0].requires_grad and v[0].is_floating_point()]
        if not outs:
            return
        chosen = r.choice(outs)
        pair = self.both(f"loss = {chosen[2]}.sum()", lambda L, t: t.sum(), (chosen[0], chosen[1]))
        if pair is None:
            return
        if self.both("loss.backward(retain_graph=True)", lambda L, lo: lo.backward(retain_graph=True) or (),
                     pair) is None:
            return
        self.check_grads(values=not any(v[2] in self.tainted for v in [chosen]))
        cands = [v for v in self.vars if v[0].grad_fn is not None and v[0].is_floating_point()
                 and self.writable(v[2], v[0])]
        if cands:
            v = r.choice(cands)
            self.both(f"{v[2]}.mul_(2)", lambda L, a: a.mul_(2) and None, (v[0], v[1]))
            self.recheck_all()
        if self.both("loss.backward()  # again", lambda L, lo: lo.backward() or (), pair) is None:
            return
        self.check_grads(values=not any(v[2] in self.tainted for v in [chosen]))

    def check_grads(self, none_is_zero=False, values=True):
        if any(u.startswith(UNSIGNED18) for u in self.used18):
            self.unsigned.add("<ops18>")   # (a non-empty set turns signs off in FP.check_grads)
        return super().check_grads(none_is_zero, values)


def _plain_backward(p):
    """fuzz_programs' backward phase, without create_graph after NO_DOUBLE18 ops."""
    if getattr(p, "seed_guard", False):
        # Swap the backward mode's draw: same RNG use, create_graph turned into a plain backward.
        used = p.readers.setdefault("<no double>", set())
        used.add("pow")     # (FP.Program.backward skips create_graph when "pow" was read)
    return FP.Program.backward(p)


def _hooked_view(a):
    h = a[1:]
    h.register_hook(lambda g: None if g is None else g * 3)   # (torch: None for an unused view, see README)
    return h


def run(seed, steps=None):
    """Run program `seed` of the third vocabulary; raises Mismatch on the first difference."""
    p = Program18(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p.make_leaves()
        for _ in range(steps if steps is not None else p.r.randint(1, 6)):
            p.step()
        p.backward()
    return p


if __name__ == "__main__":
    import sys
    import traceback
    torch.set_num_threads(1)
    lo, hi = int(sys.argv[1]), int(sys.argv[2])
    fails = 0
    for s in range(lo, hi):
        try:
            run(s)
        except Mismatch as e:
            fails += 1
            print(str(e).split("\n")[0], flush=True)
            print("\n".join(str(e).split("\n")[1:]), flush=True)
        except Exception:
            fails += 1
            print(f"seed {s}: HARNESS {traceback.format_exc(limit=3)}", flush=True)
    print(f"done {lo}-{hi}: {fails} failures", flush=True)
