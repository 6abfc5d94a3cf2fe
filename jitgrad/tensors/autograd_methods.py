"""The Tensor's autograd methods (requires_grad_, retain_grad, retains_grad,
register_hook, detach, detach_), attached to the class at import (tensors/__init__)."""
import sys
import weakref

from ..core import tape as T
from ..core import upper
from . import tensor as TT
from . import tracked as TR
from .tensor import STATE


def requires_grad_(self, requires_grad=True):
    if requires_grad.__class__ is not bool:
        raise TypeError("requires_grad_(): argument 'requires_grad' (position 1) must be bool, "
                        f"not {TT.type_name(requires_grad)}")
    if getattr(upper.VMAP, "transforms", 0) and not sys._getframe(1).f_globals.get("__name__", "").startswith(
            "jitgrad."):
        # (a user's call inside a torch.func transform's function; jitgrad's own calls, the
        # requires_grad setter's and factories' included, are not torch's requires_grad_())
        raise RuntimeError(
            "You are attempting to call Tensor.requires_grad_() (or perhaps using torch.autograd.functional.* "
            "APIs) inside of a function being transformed by a functorch transform. This is unsupported, "
            "please attempt to use the functorch transforms (e.g. grad, vjp, jacrev, jacfwd, hessian) or call "
            "requires_grad_() outside of a function being transformed instead.")
    if TT._guard_hook is not None and TT._guard_hook.argument_flag(self):
        return self
    if self._name == "NotDifferentiable" and TT._guard_hook is not None:
        # compile: a recorded value without gradient (a detach(), a cast of a
        # mask) is a leaf to eager mode; as a leaf of its own it is off the
        # tape, so the function runs eagerly.
        TT._guard_taint("requires_grad_() of a value computed from the inputs")
        self._name, self._tape, self._slot = None, None, -1
        self.__dict__.pop("_detached_recorded", None)
    if self._name is not None:
        if not requires_grad:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        return self
    if requires_grad and not self.dtype.is_floating_point:
        raise RuntimeError("only Tensors of floating point dtype can require gradients")
    if requires_grad and self._inf and not STATE.ctx.inference:
        raise RuntimeError("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.")
    self._rg = requires_grad
    self._tape = None
    return self

def retain_grad(self):
    if not self._rg:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    if self._name is None or self._retains:
        return
    if TT._guard_hook is not None:
        TT._guard_hook.taint("retain_grad() inside the function (a replay's results would not retain)")
    self._retains = True
    self._tape.retained.append(weakref.ref(self))

def retains_grad(self):
    return self._retains

def register_hook(self, hook):
    if not self._rg:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if TT._guard_hook is not None:
        TT._guard_hook.hook_added(self)
    if self._hooks is None:
        self._hooks = []
        if self._name is not None:
            self._tape.hooked.append(T.Kept(self))
    self._hooks.append(hook)
    return TT._HookHandle(self, hook)

def detach(self):
    if TT._guard_hook is not None and self._rg:
        recorded = _detach_recorded(self)
        if recorded is not None:
            return recorded
        TT._guard_taint("detach()", self)
    t = object.__new__(TT.Tensor)
    TT._init(t, self._v, self._arr, self.dtype)
    if self._inf:
        t._inf = True       # (shares the inference tensor's storage)
    if self._v is not None:
        # A 0-d value is a Python number, not shared storage: in-place
        # writes go back to self (bumping its version, as in PyTorch).
        t._writes_to = self
    else:
        t._detached_from = ref = weakref.ref(self)    # shares self's version counter, as in PyTorch
        aliases = self.__dict__.get("_aliases")
        if aliases is None:
            self._aliases = [weakref.ref(t)]          # (both ways: a write into self bumps t's version)
        else:
            n = len(aliases)
            if n >= 64 and n & (n - 1) == 0:
                aliases[:] = [r for r in aliases if r() is not None]
            aliases.append(weakref.ref(t))
        del ref
    return t

def _detach_recorded(x):
    """compile: x.detach() of a float tensor on the recording tape, recorded
    as a no-gradient identity (a cast to its own dtype), so a replay
    recomputes it (its value was frozen otherwise: the function ran eagerly).
    The result requires no grad; an in-place write to it stays eager mode's
    (it writes x's storage): such a call runs eagerly."""
    if not (TR.recording(x) and x.dtype.is_floating_point and x.__class__ is TT.Tensor and x._tape is T.current()):
        return None     # (x on another tape: a create_graph walk's; the value leaves the recording)
    code = TR.cast_codes(x.dtype)
    if code < 0:
        return None
    # (x's array itself, as eager's detach shares it: a write through either, which makes the call
    # run eagerly, leaves the rest of the recording eager mode's values, not an error of its own)
    t = TR.record(code, TT._array_out(x._data(), x.dtype) if x._v is None else TT._scalar_out(x._v, x.dtype), x)
    if TT._guard_hook.visible_rg(t):
        return None     # (the recording can't show it requires no grad: eager mode's detach)
    t._detached_recorded = "leaf" if x._name is None else True     # (a leaf's: shares an argument's storage)
    # eager's result shares x's storage: a later write to x (or to its root) would show in it,
    # and the recorded copy would not (recording._journal_write: the call runs eagerly)
    x.__dict__["_detach_source"] = True
    root = getattr(x._view, "root", None)
    if root is not None:
        root.__dict__["_detach_source"] = True
    return t


def detach_(self):
    if self._view is not None:
        raise RuntimeError("Can't detach views in-place. Use detach() instead. If you are using "
                           "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set "
                           "as True, gradients are views of DDP buckets, and hence detach_() cannot be called "
                           "on these gradients. To fix this error, please refer to the Optimizer.zero_grad() "
                           "function in torch/optim/optimizer.py as the solution.")
    self._rg = False
    self._tape = None
    self._name = None
    return self


TT.Tensor.requires_grad_ = requires_grad_
TT.Tensor.retain_grad = retain_grad
TT.Tensor.retains_grad = property(retains_grad)
TT.Tensor.register_hook = register_hook
TT.Tensor.detach = detach
TT._data_recorded = _detach_recorded     # (.data: the same record)
TT.Tensor.detach_ = detach_
