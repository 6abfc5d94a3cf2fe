"""The Tensor: a value (Python scalar for 0-d, NumPy array otherwise) plus,
when it requires grad, the place of that value on a tape.

0-d tensors keep their value as a Python float/int/bool so scalar-heavy code
never pays NumPy's per-call cost; `_data()` gives an ndarray view of any
tensor when one is needed.
"""
import math
import pickle
import struct
import warnings
import weakref

import numpy as np

from ..core import dtypes as D
from ..core import kernels as K
from ..core import ops as O
from ..core import tape as T
from ..core import saved_nodes as SN
from ..core.warn import warn_once
from .attributes import GradFn, RemovableHandle, Size, _grad_fn_type, _HookHandle  # noqa: F401 (re-exported)
from .printing import format_tensor

STATE = T.STATE
_F32 = struct.Struct("f")

# jitgrad.compile turns every read of a tensor's value by Python code
# (bool/float/int/item/tolist, comparisons) into a guard of the recorded tape.
# compiler.py sets this hook while some thread records; None otherwise.
_guard_hook = None
# compile: x.data of a float tensor on the recording tape, recorded as
# detach() is (autograd_methods._detach_recorded sets it; None: not recorded).
_data_recorded = None


def _guard_extreme(x, mask, dims, largest):
    """Library code that picks elements of x by value (the positions of a
    max/min, argmax, sort) calls this with the picked positions (`mask`, x's
    shape) and the reduced dims: while jitgrad.compile records, the choice
    becomes guards (other elements stay strictly smaller, ties stay equal)."""
    if _guard_hook is not None and x._rg:
        _guard_hook.extreme(x, mask, dims, largest)


def _guard_taint(what, *xs):
    """Library code that turns a value of xs into something off the tape
    (detach, //, %, unique, a random draw...) calls this: while
    jitgrad.compile records, a result derived from the inputs that the replay
    can't recompute makes the signature run eagerly (never a frozen value)."""
    if _guard_hook is not None and (not xs or any(x.__class__ is Tensor and x._rg for x in xs)):
        _guard_hook.taint(what)


def _guard_read(x, what):
    """compile: library code reads x's values ("truth", "int", "value"): guards."""
    if _guard_hook is not None and x._rg:
        _guard_hook.read(x, what)


def _vmap_batched(x) -> bool:
    """Whether x is batched inside torch.func.vmap (the recording hook tells)."""
    check = getattr(_guard_hook, "vmap_batched", None) if _guard_hook is not None else None
    return bool(check is not None and check(x))


def _guard_vmap_dynamic(x, message):
    """An op whose result's shape depends on x's values: inside torch.func.vmap
    with x batched, torch's error `message`."""
    if _guard_hook is not None and _vmap_batched(x):
        raise RuntimeError(message)


def _guard_order(x, first, second, kinds):
    """compile: x.flatten()[first[i]] <kinds[i]> x.flatten()[second[i]] held
    when library code ordered x's elements (sort, topk): guards."""
    if _guard_hook is not None and x._rg:
        _guard_hook.pairs(x, first, second, kinds)


def _guard_float_dtype(out):
    """compile: out is a float result whose dtype its operands' dtypes don't
    tell the replay (a cast, float32 math of a 0-d float64 operand): its
    slots round to (or stay out of) float32 at replay, which the recorded
    value alone can't show when it is a float32 number already (0.5)."""
    if _guard_hook is not None and out._rg:
        _guard_hook.float_dtype(out)


def _guard_finite(x):
    """compile: which elements of x are finite / nan / inf (isfinite, isnan,
    nan_to_num) becomes guards: x < inf and x > -inf, element by element."""
    if _guard_hook is not None and x._rg:
        a = np.asarray(x._data(), np.float64)
        _guard_hook.compare(np.less, x, math.inf, _array_out(np.asarray(a < math.inf), D.bool_))
        _guard_hook.compare(np.greater, x, -math.inf, _array_out(np.asarray(a > -math.inf), D.bool_))


def _guard_recording(x):
    """Whether jitgrad.compile is recording in this thread and x is on its tape."""
    return _guard_hook is not None and x._rg and _guard_hook.recording()


# tape -> {first output slot of a record: (backward name, edges)}: the node
# torch has there when the record's opcode names another (a COPY is
# ViewBackward0, a GATHER IndexBackward0: permute, split, a cast...), a
# composite's arguments (functional.base._named), or the name "" for a
# record torch has no node for (the expand of a broadcast operand: then the
# operand's shape instead of edges). Read by
# autograd.graph only; weak on the tape, edges hold no tape strongly.
COMPOSITE_EDGES = weakref.WeakKeyDictionary()


def name_node(tape, slot, name, edges=None):
    """Register the node name torch shows for the record writing `slot`."""
    names = COMPOSITE_EDGES.get(tape)
    if names is None:
        names = COMPOSITE_EDGES[tape] = {}
    names[slot] = (name, edges)


def keep_name(out, src):
    """A reshape is bookkeeping: keep the backward name of the op that made src."""
    if out._rg and src._name is not None and src._name != "Proxy":
        out._name = src._name
    return out


def round32(v):
    """Round a Python float to the nearest float32 (what a float32 op returns)."""
    return _F32.unpack(_F32.pack(v))[0]


LEAF_INPLACE_MSG = "a leaf Variable that requires grad is being used in an in-place operation."
NONLEAF_GRAD_MSG = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information. (Triggered "
    "internally at /__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)")


class Tensor:
    # Fields every op sets live in slots; rarely set ones (below) in a
    # __dict__ created on first write, so making a tensor stays cheap.
    __slots__ = ("_v", "_arr", "dtype", "_rg", "_tape", "_slot", "_name", "__dict__", "__weakref__")
    _grad = None       # accumulated gradient
    _version = 0       # bumped by in-place writes
    _retains = False   # retain_grad() was called
    _gfn = None        # cached GradFn
    _writes_to = None  # `x.data` / `x.detach()` of a 0-d x: in-place writes go back to x
    _hooks = None      # gradient hooks of a leaf
    _view = None       # a view: indexing._ViewInfo (its root, its positions there)
    _nograd_view = False   # a view made under no_grad of a tensor requiring grad: requires grad, gets no .grad
    _views = None      # a root: weakrefs to its views
    _bulk = False      # _slot is a handle: the value is kept by reference (bulk.py)
    _param = False     # True on nn.Parameter (nn/parameter.py): printed as torch prints one
    _inf = False       # an inference tensor: made inside inference_mode() (is_inference())

    __array_priority__ = 1000   # NumPy defers `ndarray * tensor` to us

    # ----- construction helpers
    @staticmethod
    def _wrap(arr, dtype=None):
        """Tensor owning `arr` (ndarray or NumPy scalar); 0-d become scalars."""
        arr = np.asarray(arr)
        if dtype is None:
            dtype = D.from_numpy(arr.dtype)
        elif arr.dtype != dtype.np:
            arr = arr.astype(dtype.np)
        t = object.__new__(Tensor)
        if arr.ndim == 0:
            _init(t, arr.item(), None, dtype)
        else:
            _init(t, None, arr, dtype)
        return t

    def _data(self):
        """The value as an ndarray (0-d tensors get a fresh 0-d array)."""
        if self._v is not None:
            return np.array(self._v, self.dtype.np)
        return self._arr

    def _set_value(self, value):
        """Overwrite the value in place (the caller checked autograd rules)."""
        T.mark_overwritten(self)
        if self._v is not None:
            v = np.asarray(value).astype(self.dtype.np).item()
            self._v = v
            if self._writes_to is not None:
                self._write_back(v)
        else:
            self._arr[...] = value
        self._version += 1
        T.after_write(self)

    def _write_back(self, v):
        """A write to self, the detach() or `.data` of a 0-d tensor, reaches
        that tensor: detach() shares its version counter, `.data` does not
        (torch's nodes that saved it read the new value, no error)."""
        w = self._writes_to
        if self.__dict__.get("_data_of") is None:
            w._set_value(v)
        else:
            w._v = np.asarray(v).astype(w.dtype.np).item()
            T.after_data_write(w)

    # ----- basic attributes
    @property
    def shape(self):
        return Size(() if self._v is not None else self._arr.shape)

    def size(self, dim=None):
        if dim is None:
            return self.shape
        return self.shape[_dim(dim, self.ndim)]

    @property
    def ndim(self):
        return 0 if self._v is not None else self._arr.ndim

    def dim(self):
        return self.ndim

    def numel(self):
        return 1 if self._v is not None else self._arr.size

    nelement = numel

    @property
    def is_leaf(self):
        return self._name is None

    @property
    def _base(self):
        """torch's base of a view (the tensor it was first viewed from), else None."""
        info = self._view
        return self.__dict__.get("_alias_of") if info is None else info.root

    def _is_view(self) -> bool:
        return self._view is not None or "_alias_of" in self.__dict__    # (_alias_of: a forward-AD dual's primal)

    @property
    def requires_grad(self):
        if _guard_hook is not None and self._rg:
            return _guard_hook.visible_rg(self)
        return self._rg

    @requires_grad.setter
    def requires_grad(self, flag):
        if flag.__class__ is not bool:
            raise RuntimeError("requires_grad must be a bool")
        if flag and self._name is not None and not (self._name == "NotDifferentiable" and _guard_hook is not None):
            # (torch's setter refuses any change on a non-leaf, with the detach() hint only for False;
            # compile's recorded no-gradient values are leaves to eager mode: requires_grad_ takes them)
            raise RuntimeError("you can only change requires_grad flags of leaf variables.")
        if flag and not self.dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
        self.requires_grad_(flag)

    @property
    def device(self):
        return D.CPU

    @property
    def is_cuda(self):
        return False

    def is_floating_point(self):
        return self.dtype.is_floating_point

    def element_size(self):
        return self.dtype.itemsize

    def type(self, dtype=None):
        if dtype is None:
            return f"torch.{D.TORCH_NAMES[self.dtype.name]}Tensor"
        if isinstance(dtype, str):     # x.type('torch.DoubleTensor')
            by_type = {f"torch.{n}Tensor": d for d, n in D.TORCH_NAMES.items()}
            if dtype not in by_type:
                raise ValueError(f"invalid type: '{dtype}'")
            dtype = D._by_name(by_type[dtype])
        return self.to(dtype)

    @property
    def grad_fn(self):
        if self._name is None:
            return None
        g = self._gfn
        if g is None or g._name != self._name:
            g = self._gfn = _grad_fn_type(self._name)(self._name, self)
        return g

    @property
    def grad(self):
        if self._name is not None and not self._retains and self._grad is None:
            # (torch warns only while it is undefined: backward(inputs=[h]) fills a non-leaf's)
            warnings.warn(NONLEAF_GRAD_MSG, UserWarning, stacklevel=2)
        g = self._grad
        if g is not None and _guard_hook is not None:
            _guard_hook.taint(".grad read inside the function (a replay would keep the value it read)")
        return g

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}")
            if value.dtype is not self.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{D.CPP_NAMES[value.dtype.name]}' to a tensor "
                    f"with grad_dtype '{D.TORCH_NAMES[self.dtype.name]}'. The gradient must match the tensor's "
                    "grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype attribute "
                    "with a specific dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging "
                    "the dtypes of a tensor and its gradient may break downstream systems that assume they match.")
            if value.shape != self.shape:
                raise RuntimeError(f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor of "
                                   f"size '{list(self.shape)}'. Please ensure that the gradient and the tensor "
                                   "are the same size")
        if _guard_hook is not None:
            _guard_hook.taint("an assignment to .grad inside the function (a replay would not make it)")
            _guard_hook.grad_bound(self)
        self._grad = value

    @grad.deleter
    def grad(self):
        if _guard_hook is not None:
            _guard_hook.taint("an assignment to .grad inside the function (a replay would not make it)")
            _guard_hook.grad_bound(self)
        self._grad = None

    @property
    def data(self):
        if _guard_hook is not None:
            if self._rg and _data_recorded is not None:
                t = _data_recorded(self)      # (a replay recomputes it, as detach())
                if t is not None:
                    return t
            _guard_taint(".data", self)       # (compile: its value leaves the tape)
        t = object.__new__(Tensor)
        _init(t, self._v, self._arr, self.dtype)
        if self._inf:
            t._inf = True       # (shares the inference tensor's storage)
        # detach()'s storage without its version counter; writes through it reach self (T.after_write)
        t._data_of = weakref.ref(self)
        if self._v is not None:
            t._writes_to = self      # (a 0-d value is a number: in-place writes go back to x)
        return t

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            kind = type(value)     # (torch's message prints C's tp_name: numpy.ndarray)
            name = f"numpy.{kind.__name__}" if kind.__module__ == "numpy" else kind.__name__
            raise TypeError(f"Variable data has to be a tensor, but got {name}")
        if self.requires_grad and not value.dtype.is_floating_point:
            raise RuntimeError("data set to a tensor that requires gradients must be floating point or "
                               "complex dtype")
        self.dtype = value.dtype    # as in PyTorch, `x.data = y` takes y's dtype
        if value._inf:
            self._inf = True        # (y's storage: an inference tensor's makes x one)
        value = value._data()
        # torch's nodes saved the leaf itself: backward reads the new data
        kept = self._name is None and self._rg and T.refresh_leaf(self, value)
        if self._name is not None and self._rg:
            SN.refresh_result(self, value)
        old_n = self.numel()
        if value.ndim == 0:
            self._v, self._arr = value.item(), None
        else:
            self._v, self._arr = None, np.array(value, self.dtype.np)
        if self._name is None and not kept:
            self._tape = None
        elif self._name is not None and self._rg and self.numel() == old_n:
            T.rehome(self)      # later ops read the new data (the node's saved result keeps the old)

    # ----- conversions
    def item(self):
        if _guard_hook is not None:
            _guard_hook.user_read(self, "value")
        if self._v is not None:
            return self._v
        if self._arr.size != 1:
            raise RuntimeError(f"a Tensor with {self._arr.size} elements cannot be converted to Scalar")
        return self._arr.item()

    def tolist(self):
        if _guard_hook is not None:
            _guard_hook.user_read(self, "data")
        return self._v if self._v is not None else self._arr.tolist()

    def numpy(self, *args, force=False):
        if args:        # (torch's force is keyword-only)
            raise TypeError(f"numpy() takes 0 positional arguments but {len(args)} "
                            f"{'was' if len(args) == 1 else 'were'} given")
        if self._rg and not force and STATE.grad_enabled and self.requires_grad:     # (torch allows it under no_grad)
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. "
                               "Use tensor.detach().numpy() instead.")
        if _guard_hook is not None and self._rg:
            _guard_hook.user_read(self, "data")     # compile: the values leave the tape (from an argument
        data = self._data()                     # that doesn't require grad): guards
        return data.view() if data is self._arr else data   # (a new array of the same memory each call, as torch)

    # torch's NumPy protocol, its signatures too: NumPy 2 then warns as it does for torch (no `copy`
    # keyword; __array_wrap__ without context), and a ufunc of a tensor gives a tensor (bool: uint8)
    def __array__(self, dtype=None):
        a = self.numpy()
        return a if dtype is None else a.astype(dtype, copy=False)

    def __array_wrap__(self, array):
        if array.dtype == bool:
            array = array.astype("uint8")
        return Tensor._wrap(array)

    def __float__(self):
        if _guard_hook is not None:
            _guard_hook.user_read(self, "value")
        if self._rg and self.requires_grad and STATE.grad_enabled:     # torch does not warn under no_grad
            warn_scalar_conversion(stacklevel=4)
        return float(self._scalar_value("float"))

    def __int__(self):
        if _guard_hook is not None:
            _guard_hook.user_read(self, "int")
        return int(self._scalar_value("int"))

    def __index__(self):
        if self.dtype.is_floating_point or self.dtype is D.bool_:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._scalar_value("int"))

    def __bool__(self):
        if _guard_hook is not None:
            _guard_hook.user_read(self, "truth")
        if self._v is not None:
            return bool(self._v)
        if self._arr.size != 1:
            raise RuntimeError("Boolean value of Tensor with " + ("no values" if self._arr.size == 0 else
                                                                  "more than one value") + " is ambiguous")
        return bool(self._arr.item())

    def _scalar_value(self, what):
        if self._v is not None:
            return self._v
        if self._arr.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._arr.item()

    def __len__(self):
        if self._v is not None:
            raise TypeError("len() of a 0-d tensor")
        return self._arr.shape[0]

    def __hash__(self):
        return id(self)

    def __repr__(self):
        if "_uninitialized" in self.__dict__:     # a lazy module's placeholder (nn/modules/lazy.py)
            return "<UninitializedParameter>" if self._param else "<UninitializedBuffer>"
        extra = []
        if self._name is not None and self._rg:
            extra.append(f"grad_fn=<{self._name}>")
        elif self._rg:
            extra.append("requires_grad=True")
        text = format_tensor(self._data(), tuple(extra))
        return "Parameter containing:\n" + text if self._param else text

    __str__ = __repr__

    def __format__(self, spec):
        # PyTorch formats a 0-d tensor as its Python number.
        if self._v is not None:
            if _guard_hook is not None:
                _guard_hook.read(self, "value")     # compile: the value leaves the tape
            return format(self._v, spec)
        return object.__format__(self, spec)

    def __reduce_ex__(self, proto):
        arr = self._arr
        if arr is not None and arr.size:
            # As torch.save saves storages: the array that owns the memory
            # (pickled once per file), and where this tensor sits in it, so
            # views saved with their base load as views of it again.
            root = arr
            while isinstance(root.base, np.ndarray):
                root = root.base
            if root.base is None and root.flags.c_contiguous and not root.dtype.hasobject:
                offset = arr.__array_interface__["data"][0] - root.__array_interface__["data"][0]
                return (_rebuild_view, (root, offset, arr.shape, arr.strides, self.dtype.name, self._rg))
        return (_rebuild, (self._data(), self.dtype.name, self._rg))

    def __deepcopy__(self, memo):
        if self._name is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the "
                "moment.  If you were attempting to deepcopy a module, this may be because of a "
                "torch.nn.utils.weight_norm usage, see https://github.com/pytorch/pytorch/pull/103001")
        t = self.detach().clone()
        if self._rg:
            t.requires_grad_(True)
        if self._grad is not None:
            t._grad = self._grad.clone()
        return t

    # (requires_grad_, retain_grad, retains_grad, register_hook, detach, detach_: autograd_methods.py)


_INFERENCE_ACTIVE = T.INFERENCE_ACTIVE
INFERENCE_SAVED_MSG = ("Inference tensors cannot be saved for backward. Please do not use Tensors created in "
                       "inference mode in computation tracked by autograd. To work around this, you can make a "
                       "clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
                       "`torch.inference_mode()`.")


def check_inference_saved(op, x, y, m):
    """torch's error when a recorded binary op saves an inference tensor
    operand for its backward (x * w: saves x for w's gradient; x + w: nothing).
    m: which operands require grad (4: x, 8: y)."""
    for i, t in ((0, x), (1, y)):
        if isinstance(t, Tensor) and t._inf:
            if op == K.DIV:     # torch's x / y saves y for x's gradient, both for y's
                saved = bool(m & 8) or (i == 1 and bool(m & 4))
            else:
                probe = np.zeros(3, np.uint8)
                probe[i] = 1
                saved = K.modified_saved(op, 2, 1, 0, 1, m & 12, probe)
            if saved:
                raise RuntimeError(INFERENCE_SAVED_MSG)


def warn_scalar_conversion(stacklevel: int) -> None:
    """torch's once-per-process warning when a tensor that requires grad
    becomes a Python number (float(x), torch.tensor([x0, x1]))."""
    warn_once("Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
              "Consider using tensor.detach() first. (Triggered internally at /__w/pytorch/pytorch/torch/"
              "csrc/autograd/generated/python_variable_methods.cpp:822.)", stacklevel=stacklevel)


def _init(t, v, arr, dtype):
    t._v = v            # Python scalar of a 0-d tensor, else None
    t._arr = arr        # ndarray of an n-d tensor, else None
    t.dtype = dtype
    t._rg = False       # requires_grad
    t._tape = None      # tape holding the value (a leaf: cached input slot)
    t._slot = -1        # first slot of the value on _tape
    t._name = None      # backward name of the producing op; None: a leaf
    if _INFERENCE_ACTIVE[0] and STATE.ctx.inference:
        t._inf = True


def _scalar_out(v, dtype):
    t = object.__new__(Tensor)
    _init(t, v, None, dtype)
    return t


def _array_out(arr, dtype):
    t = object.__new__(Tensor)
    if arr.ndim == 0:
        _init(t, arr.item(), None, dtype)
    else:
        _init(t, None, arr, dtype)
    return t


def _rebuild(arr, dtype_name, rg, param=False):
    # (param: files of older versions marked parameters here; nn.Parameter pickles itself now)
    t = Tensor._wrap(np.array(arr), D._by_name(dtype_name))
    if rg:
        t.requires_grad_(True)
    return t


def _rebuild_view(root, offset, shape, strides, dtype_name, rg):
    """A tensor over `root`'s memory (__reduce_ex__); NumPy checks that the
    view lies inside it (a file is untrusted input)."""
    dt = D._by_name(dtype_name)
    if not isinstance(root, np.ndarray) or root.dtype.hasobject or not root.flags.c_contiguous:
        raise pickle.UnpicklingError("a tensor's storage is not a plain array")
    try:
        arr = np.ndarray(tuple(int(n) for n in shape), dt.np, buffer=root, offset=int(offset),
                         strides=tuple(int(n) for n in strides))
    except (TypeError, ValueError) as e:
        raise pickle.UnpicklingError(f"a tensor does not fit its storage: {e}") from None
    t = Tensor._wrap(arr, dt)
    if rg:
        t.requires_grad_(True)
    return t


def _dim(d, ndim):
    n = max(ndim, 1)
    if not -n <= d < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")
    return d % n


_ADD, _SUB, _MUL, _DIV, _POW = (O.BINARY[k] for k in ("add", "sub", "mul", "div", "pow"))
_NEG = O.UNARY["neg"]
_F32T, _F64 = D.float32, D.float64
_new = object.__new__
_PACK = T.PACK
_FULL = T.FULL


def type_name(v) -> str:
    """A value's type as torch's argument errors print it ('str', 'numpy.bool')."""
    t = type(v)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__.split('.')[0]}.{t.__name__}"
