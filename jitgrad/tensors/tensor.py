"""The Tensor: a value (Python scalar for 0-d, NumPy array otherwise) plus,
when it requires grad, the place of that value on a tape.

0-d tensors keep their value as a Python float/int/bool so scalar-heavy code
never pays NumPy's per-call cost; `_data()` gives an ndarray view of any
tensor when one is needed.
"""
import math
import operator
import struct
import warnings
import weakref

import numpy as np

from ..core import dtypes as D
from ..autodiff.bulk import record_elementwise
from ..autodiff import engine
from ..core import kernels as K
from ..core import ops as O
from ..core import smallmath as SM
from ..core import tape as T
from .printing import format_tensor

STATE = T.STATE
_F32 = struct.Struct("f")

# jitgrad.compile turns every read of a tensor's value by Python code
# (bool/float/int/item/tolist, comparisons) into a guard of the recorded tape.
# compiler.py sets this hook while some thread records; None otherwise.
_guard_hook = None


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


def _guard_order(x, first, second, kinds):
    """compile: x.flatten()[first[i]] <kinds[i]> x.flatten()[second[i]] held
    when library code ordered x's elements (sort, topk): guards."""
    if _guard_hook is not None and x._rg:
        _guard_hook.pairs(x, first, second, kinds)


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


def round32(v):
    """Round a Python float to the nearest float32 (what a float32 op returns)."""
    return _F32.unpack(_F32.pack(v))[0]


class Size(tuple):
    __module__ = "jitgrad"   # type(x.shape) prints <class 'jitgrad.Size'>, as torch's <class 'torch.Size'>

    def __repr__(self):
        return f"jitgrad.Size({list(self)})"

    __str__ = __repr__

    def numel(self):
        return math.prod(self)

    # As torch.Size: concatenation, repetition and slices stay Sizes.
    def __add__(self, other):
        if not isinstance(other, tuple):
            raise TypeError(f"can only concatenate tuple (not {type(other).__name__}) to torch.Size")
        return Size(tuple.__add__(self, other))

    def __radd__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple.__add__(other, self))

    def __mul__(self, n):
        r = tuple.__mul__(self, n)
        return r if r is NotImplemented else Size(r)

    __rmul__ = __mul__

    def __getitem__(self, key):
        r = tuple.__getitem__(self, key)
        return Size(r) if isinstance(key, slice) else r


LEAF_INPLACE_MSG = "a leaf Variable that requires grad is being used in an in-place operation."
NONLEAF_GRAD_MSG = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information. (Triggered "
    "internally at /__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)")


_CPP_NODES = ("CopySlices", "CopyBackwards")


class GradFn:
    """What `tensor.grad_fn` returns: names the op that produced the tensor."""
    __slots__ = ("_name", "_tensor")

    def __init__(self, name, tensor):
        self._name = name
        self._tensor = weakref.ref(tensor)

    def name(self):
        # PyTorch reports the C++ name of its nodes written in C++.
        return "torch::autograd::" + self._name if self._name in _CPP_NODES else self._name

    def __repr__(self):
        return f"<{self._name} object at {hex(id(self))}>"

    @property
    def next_functions(self):
        return ()

    def __call__(self, *grads):
        raise RuntimeError("calling a grad_fn directly is not supported by jitgrad")


_GRADFN_TYPES = {}


def _grad_fn_type(name):
    """A GradFn subclass named as torch's node class (type(y.grad_fn).__name__)."""
    cls = _GRADFN_TYPES.get(name)
    if cls is None:
        cls = _GRADFN_TYPES[name] = type(name, (GradFn,), {"__slots__": ()})
    return cls


def _is_num(v):
    c = v.__class__
    return c is float or c is int


class Tensor:
    # Fields every op sets live in slots; rarely set ones (below) in a
    # __dict__ created on first write, so making a tensor stays cheap.
    __slots__ = ("_v", "_arr", "dtype", "_rg", "_tape", "_slot", "_name", "__dict__", "__weakref__")
    _grad = None       # accumulated gradient
    _version = 0       # bumped by in-place writes
    _retains = False   # retain_grad() was called
    _gfn = None        # cached GradFn
    _base = None       # `x.data` of a 0-d x: in-place writes go back to x
    _hooks = None      # gradient hooks of a leaf
    _view = None       # a view: indexing._ViewInfo (its root, its positions there)
    _views = None      # a root: weakrefs to its views
    _bulk = False      # _slot is a handle: the value is kept by reference (bulk.py)
    _param = False     # an nn.Parameter (nn/parameter.py): printed as torch prints one

    __array_priority__ = 1000   # NumPy defers `ndarray * tensor` to us

    def __init__(self, *data):
        if len(data) == 1 and not isinstance(data[0], int):
            t = tensor(data[0], dtype=D.float32)
        else:
            t = tensor(np.zeros(data, np.float32) if data else np.zeros(0, np.float32))
        _init(self, t._v, t._arr, D.float32)

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
            if self._base is not None:
                self._base._set_value(v)
        else:
            self._arr[...] = value
        self._version += 1
        if self._name is None:
            self._tape = None    # a leaf's cached tape slot holds the old value

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
    def requires_grad(self):
        if _guard_hook is not None and self._rg:
            return _guard_hook.visible_rg(self)
        return self._rg

    @requires_grad.setter
    def requires_grad(self, flag):
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
            names = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
                     "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}
            return f"torch.{names[self.dtype.name]}Tensor"
        if isinstance(dtype, str):     # x.type('torch.DoubleTensor')
            by_type = {f"torch.{n}Tensor": d for d, n in _TYPE_NAMES.items()}
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
        if self._name is not None and not self._retains:
            warnings.warn(NONLEAF_GRAD_MSG, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}")
            if value.dtype is not self.dtype:
                from ..functional.functions import _CPP_NAMES, _TORCH_NAMES
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{_CPP_NAMES[value.dtype.name]}' to a tensor "
                    f"with grad_dtype '{_TORCH_NAMES[self.dtype.name]}'. The gradient must match the tensor's "
                    "grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype attribute "
                    "with a specific dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging "
                    "the dtypes of a tensor and its gradient may break downstream systems that assume they match.")
            if value.shape != self.shape:
                raise RuntimeError(f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor of "
                                   f"size '{list(self.shape)}'. Please ensure that the gradient and the tensor "
                                   "are the same size")
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def data(self):
        t = self.detach()
        del t._detached_from    # `.data` does not share the version counter
        if self._v is not None:
            t._base = self      # in-place writes to `x.data` reach x
        return t

    @data.setter
    def data(self, value):
        if isinstance(value, Tensor):
            self.dtype = value.dtype    # as in PyTorch, `x.data = y` takes y's dtype
        value = value._data() if isinstance(value, Tensor) else np.asarray(value)
        if value.ndim == 0:
            self._v, self._arr = value.item(), None
        else:
            self._v, self._arr = None, np.array(value, self.dtype.np)
        if self._name is None:
            self._tape = None

    @property
    def T(self):
        from ..functional import functions as F
        return F._reverse_dims(self)

    @property
    def mT(self):
        from ..functional import functions as F
        return F._matrix_transpose(self)

    # ----- conversions
    def item(self):
        if _guard_hook is not None:
            _guard_hook.read(self, "value")
        if self._v is not None:
            return self._v
        if self._arr.size != 1:
            raise RuntimeError(f"a Tensor with {self._arr.size} elements cannot be converted to Scalar")
        return self._arr.item()

    def tolist(self):
        if _guard_hook is not None:
            _guard_hook.read(self, "value")
        return self._v if self._v is not None else self._arr.tolist()

    def numpy(self, force=False):
        if self._rg and not force and self.requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. "
                               "Use tensor.detach().numpy() instead.")
        if _guard_hook is not None and self._rg:
            _guard_hook.read(self, "value")     # compile: the values leave the tape (from an argument
        return self._data()                     # that doesn't require grad): guards

    def __array__(self, dtype=None, copy=None):
        a = self.numpy()
        return a if dtype is None else a.astype(dtype)

    def __float__(self):
        if _guard_hook is not None:
            _guard_hook.read(self, "value")
        if self._rg and self.requires_grad and STATE.grad_enabled:     # torch does not warn under no_grad
            from ..functional.functions import _warn_once
            _warn_once("Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
                       "Consider using tensor.detach() first. (Triggered internally at /__w/pytorch/pytorch/torch/"
                       "csrc/autograd/generated/python_variable_methods.cpp:822.)", stacklevel=3)
        return float(self._scalar_value("float"))

    def __int__(self):
        if _guard_hook is not None:
            _guard_hook.read(self, "int")
        return int(self._scalar_value("int"))

    def __index__(self):
        if self.dtype.is_floating_point or self.dtype is D.bool_:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._scalar_value("int"))

    def __bool__(self):
        if _guard_hook is not None:
            _guard_hook.read(self, "truth")
        if self._v is not None:
            return bool(self._v)
        if self._arr.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with more than one value is ambiguous")
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

    def __iter__(self):
        if self._v is not None:
            raise TypeError("iteration over a 0-d tensor")
        from ..functional import functions as F
        return iter(F.unbind(self, 0))

    def __hash__(self):
        return id(self)

    def __repr__(self):
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
            return format(self._v, spec)
        return object.__format__(self, spec)

    def __reduce_ex__(self, proto):
        return (_rebuild, (self._data(), self.dtype.name, self._rg))

    def __deepcopy__(self, memo):
        t = self.detach().clone()
        if self._rg:
            t.requires_grad_(True)
        if self._grad is not None:
            t._grad = self._grad.clone()
        if self._param:
            t._param = True
        return t

    # ----- autograd API
    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        from ..autograd import backward
        backward(self, gradient, retain_graph, create_graph, inputs)

    def requires_grad_(self, requires_grad=True):
        requires_grad = bool(requires_grad)
        if self._name is not None:
            if not requires_grad:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to use a "
                    "computed variable in a subgraph that doesn't require differentiation use "
                    "var_no_grad = var.detach().")
            return self
        if requires_grad and not self.dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._rg = requires_grad
        self._tape = None
        return self

    def retain_grad(self):
        if not self._rg:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._name is None or self._retains:
            return
        self._retains = True
        self._tape.retained.append(weakref.ref(self))

    @property
    def retains_grad(self):
        return self._retains

    def register_hook(self, hook):
        if not self._rg:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._hooks is None:
            self._hooks = []
            if self._name is not None:
                self._tape.hooked.append(weakref.ref(self))
        self._hooks.append(hook)
        return _HookHandle(self, hook)

    def detach(self):
        if _guard_hook is not None:
            _guard_taint("detach()", self)
        t = object.__new__(Tensor)
        _init(t, self._v, self._arr, self.dtype)
        t._detached_from = weakref.ref(self)    # shares self's version counter, as in PyTorch
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

    def _accumulate(self, g):
        """Add the flat float64 adjoint `g` into .grad (creating it if absent)."""
        grad = self._grad
        if grad is None:
            arr = np.asarray(g, np.float64).reshape(self.shape).astype(self.dtype.np)
            self._grad = Tensor._wrap(arr, self.dtype)
        elif grad._v is not None:
            v = grad._v + float(g[0])
            grad._v = round32(v) if grad.dtype is D.float32 else v
        else:
            T.mark_overwritten(grad)
            grad._arr += np.asarray(g).reshape(grad._arr.shape)

    def _accumulate_bulk(self, g, owned):
        """Add g (self's shape, a bulk adjoint) into .grad; an `owned` g
        (referenced nowhere else) of the right dtype becomes .grad as it is."""
        grad = self._grad
        if grad is None:
            if not (owned and g.dtype == self.dtype.np and g.flags.c_contiguous and g.flags.writeable):
                g = np.array(g, self.dtype.np)
            self._grad = Tensor._wrap(g.reshape(self.shape), self.dtype)
        elif grad._v is not None:
            self._accumulate(np.asarray(g, np.float64).reshape(-1))
        else:
            T.mark_overwritten(grad)
            grad._arr += g.reshape(grad._arr.shape)

    # ----- arithmetic (the hot path: see _binary for the 0-d fast path)
    def __add__(self, other):
        return _binary(_ADD, self, other, "AddBackward0")

    def __radd__(self, other):
        return _binary(_ADD, other, self, "AddBackward0")

    def __sub__(self, other):
        return _binary(_SUB, self, other, "SubBackward0")

    def __rsub__(self, other):
        return _binary(_SUB, other, self, "RsubBackward1")

    def __mul__(self, other):
        return _binary(_MUL, self, other, "MulBackward0")

    def __rmul__(self, other):
        return _binary(_MUL, other, self, "MulBackward0")

    def __truediv__(self, other):
        return _binary(_DIV, self, other, "DivBackward0")

    def __rtruediv__(self, other):
        return _binary(_DIV, other, self, "MulBackward0")

    def __pow__(self, other):
        return _binary(_POW, self, other, "PowBackward1" if isinstance(other, Tensor) else "PowBackward0")

    def __rpow__(self, other):
        return _binary(_POW, other, self, "PowBackward2")

    def __neg__(self):
        if self.dtype is D.bool_:
            O.check_integer_input("neg", self.dtype)
        return _unary(_NEG, self)

    def __pos__(self):
        return self

    def __abs__(self):
        if self.dtype is D.bool_:
            O.check_integer_input("abs", self.dtype)
        return _unary(O.UNARY["abs"], self)

    def __floordiv__(self, other):
        return _nondiff(np.floor_divide, self, other)

    def __rfloordiv__(self, other):
        return _nondiff(np.floor_divide, other, self)

    def __mod__(self, other):
        return _nondiff(np.remainder, self, other)

    def __matmul__(self, other):
        if not isinstance(other, Tensor):
            return NotImplemented
        from ..functional import functions as F
        return F.matmul(self, other)

    def __rmatmul__(self, other):
        if not isinstance(other, Tensor):
            return NotImplemented
        from ..functional import functions as F
        return F.matmul(other, self)

    def __iadd__(self, other):
        return _inplace(self, _binary, _ADD, other, "AddBackward0")

    def __isub__(self, other):
        return _inplace(self, _binary, _SUB, other, "SubBackward0")

    def __imul__(self, other):
        return _inplace(self, _binary, _MUL, other, "MulBackward0")

    def __itruediv__(self, other):
        return _inplace(self, _binary, _DIV, other, "DivBackward0")

    def __ipow__(self, other):
        return _inplace(self, _binary, _POW, other, "PowBackward0")

    def add_(self, other, *, alpha=1):
        return _inplace(self, _binary, _ADD, _scaled(self, other, alpha), "AddBackward0")

    def sub_(self, other, *, alpha=1):
        return _inplace(self, _binary, _SUB, _scaled(self, other, alpha), "SubBackward0")

    def div_(self, other, *, rounding_mode=None):
        if rounding_mode is None:
            return _inplace(self, _binary, _DIV, other, "DivBackward0")
        return _inplace(self, _rounded_div, rounding_mode, other, "DivBackward2")

    mul_ = __imul__
    pow_ = __ipow__

    # ----- comparisons (no gradient; bool results)
    def __eq__(self, other):
        return _compare(np.equal, self, other)

    def __ne__(self, other):
        return _compare(np.not_equal, self, other)

    def __lt__(self, other):
        return _compare(np.less, self, other)

    def __le__(self, other):
        return _compare(np.less_equal, self, other)

    def __gt__(self, other):
        return _compare(np.greater, self, other)

    def __ge__(self, other):
        return _compare(np.greater_equal, self, other)

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__

    def equal(self, other):
        return self.shape == other.shape and bool(np.array_equal(self._data(), other._data()))

    def __and__(self, other):
        _check_bitwise("and", self, other)
        return _nondiff(np.bitwise_and, self, other)

    def __or__(self, other):
        _check_bitwise("or", self, other)
        return _nondiff(np.bitwise_or, self, other)

    def __xor__(self, other):
        _check_bitwise("xor", self, other)
        return _nondiff(np.bitwise_xor, self, other)

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__

    def __invert__(self):
        if self.dtype.is_floating_point:
            raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
        return Tensor._wrap(np.logical_not(self._data()) if self.dtype is D.bool_ else np.invert(self._data()))

    # ----- indexing
    def __getitem__(self, key):
        from .indexing import getitem  # replaced by indexing.getitem on import
        return getitem(self, key)

    def __setitem__(self, key, value):
        from .indexing import setitem
        setitem(self, key, value)

    # ----- in-place value ops
    def zero_(self):
        return _overwrite_all(self, 0, "ZeroBackward0")

    def fill_(self, value):
        if isinstance(value, Tensor):
            if value.ndim:
                raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                                   f"{value.ndim} dimensions.")
            return _overwrite_all(self, value, "FillBackward3")
        if not isinstance(value, (bool, int, float, np.number, np.bool_)):
            t = type(value).__name__
            raise TypeError(f"fill_() received an invalid combination of arguments - got ({t}), but expected "
                            "one of:\n * (Tensor value)\n      didn't match because some of the arguments have "
                            f"invalid types: (!{t}!)\n * (Number value)\n      didn't match because some of the "
                            f"arguments have invalid types: (!{t}!)\n")
        return _overwrite_all(self, value, "FillBackward2")

    def copy_(self, src, non_blocking=False):
        if not isinstance(src, Tensor):
            if not isinstance(src, (bool, int, float)):
                raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not {type(src).__name__}")
            src = tensor(src)
        return _overwrite_all(self, src, "CopyBackwards")

    def clone(self, memory_format=None):
        if self._v is not None:
            out = _scalar_out(self._v, self.dtype)
        else:
            out = _array_out(self._arr.copy(), self.dtype)
        if self._rg and STATE.grad_enabled:
            _record_unary_like(K.COPY, self, out, "CloneBackward0")
        return out


def _init(t, v, arr, dtype):
    t._v = v            # Python scalar of a 0-d tensor, else None
    t._arr = arr        # ndarray of an n-d tensor, else None
    t.dtype = dtype
    t._rg = False       # requires_grad
    t._tape = None      # tape holding the value (a leaf: cached input slot)
    t._slot = -1        # first slot of the value on _tape
    t._name = None      # backward name of the producing op; None: a leaf


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


def _rebuild(arr, dtype_name, rg):
    t = Tensor._wrap(np.array(arr), D._by_name(dtype_name))
    if rg:
        t.requires_grad_(True)
    return t


class RemovableHandle:
    """What register_hook returns (torch.utils.hooks.RemovableHandle)."""
    def __init__(self, t, hook):
        self._t = weakref.ref(t)
        self._hook = hook

    def remove(self):
        t = self._t()
        if t is not None and t._hooks and self._hook in t._hooks:
            t._hooks.remove(self._hook)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


_HookHandle = RemovableHandle


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


# ----- recording -----------------------------------------------------------

def _push_operand(tape, x):
    """Slot of an operand: its tape slot if it requires grad, else a constant."""
    if x.__class__ is Tensor:
        if x._rg:
            return T.slot_of(tape, x)
        if x._v is not None:
            slot = len(tape.vals)
            tape.vals.append(x._v)
            return slot
        return T.push_array(tape, x._arr)
    slot = len(tape.vals)
    tape.vals.append(x)
    return slot


def _finish(out, tape, slot, name):
    out._rg = True
    out._tape = tape
    out._slot = slot
    out._name = name
    return out


def _binary(spec, x, y, name):
    """Elementwise binary op; x or y may be a Python number."""
    # Fast path: float math on a 0-d float tensor and a number / 0-d tensor.
    if x.__class__ is Tensor:
        dt = x.dtype
        xv = x._v
        if y.__class__ is Tensor:
            yv = y._v
            fast = xv is not None and yv is not None and y.dtype is dt
            rg = x._rg or y._rg
        else:
            yv = y
            fast = xv is not None and (y.__class__ is float or y.__class__ is int)
            rg = x._rg
    elif y.__class__ is Tensor:
        dt = y.dtype
        xv = x
        yv = y._v
        fast = yv is not None and (x.__class__ is float or x.__class__ is int)
        rg = y._rg
    else:
        return NotImplemented
    if fast and (dt is _F64 or dt is _F32T):
        st = STATE
        v = spec[2](xv, yv)
        if dt is _F32T:
            buf = st.f32
            buf[0] = v
            v = buf[0]
        out = _new(Tensor)
        out._v = v
        out._arr = None
        out.dtype = dt
        out._slot = -1
        if rg and st.grad_enabled:
            tape = st.tape() or T.current()
            vals = tape.vals
            # Operands: their slot when they require grad, else a constant.
            # m records which operands require grad (what the op must save).
            if x.__class__ is Tensor and x._rg:
                a = x._slot if x._tape is tape else T.slot_of(tape, x)
                m = 4
            else:
                a = len(vals)
                vals.append(xv)
                m = 0
            if y.__class__ is Tensor and y._rg:
                b = y._slot if y._tape is tape else T.slot_of(tape, y)
                m |= 8
            else:
                b = len(vals)
                vals.append(yv)
            slot = len(vals)
            vals.append(v)
            tape.rec.frombytes(_PACK(spec[0], slot, 1, a, b, m, -1))
            if slot > _FULL:
                st.tape = T.dead   # the next op opens a new tape (bounded memory)
            out._rg = True
            out._tape = tape
            out._slot = slot
            out._name = name
        else:
            out._rg = False
            out._tape = None
            out._name = None
        return out
    if (dt is _F32T or dt is _F64) and not fast:
        # Array fast path: a float n-d tensor with a same-dtype tensor or a
        # Python number: the dtype stays dt.
        xa = _same_kind(x, dt)
        ya = _same_kind(y, dt)
        if xa is not None and ya is not None and (xa.__class__ is np.ndarray or ya.__class__ is np.ndarray):
            if xa.__class__ is not np.ndarray:
                xa = dt.np.type(xa)
            elif ya.__class__ is not np.ndarray:
                ya = dt.np.type(ya)
            elif xa.shape != ya.shape:
                _check_broadcast(xa, ya)
            with np.errstate(all="ignore"):
                if np.size(xa) <= SM.SMALL_MAX and np.size(ya) <= SM.SMALL_MAX and SM.applies(spec[0], max(np.size(xa), np.size(ya)), dt.np):
                    r = SM.binary(spec[2], xa, ya, dt.np)     # as the replay kernel computes it
                else:
                    r = spec[3](xa, ya)
            out = _new(Tensor)
            _init(out, None, r, dt)
            if rg and STATE.grad_enabled:
                _record_binary(spec[0], x, y, out, name)
            return out
    return _binary_general(spec, x, y, name)


def _same_kind(v, dt):
    """v's array or number if it keeps a `dt` (float) result's dtype as dt:
    a tensor of dtype dt, a Python float, or an int a float holds exactly."""
    if v.__class__ is Tensor:
        if v.dtype is not dt:
            return None
        return v._arr if v._v is None else v._v
    if v.__class__ is float or (v.__class__ is int and -_EXACT <= v <= _EXACT):
        return v
    return None


_EXACT = 2 ** 53


def _operand_info(x):
    """(ndarray-or-scalar value, dtype or None, ndim, scalar kind)."""
    if isinstance(x, Tensor):
        return x._data(), x.dtype, x.ndim, None
    if isinstance(x, bool):
        return x, None, 0, 0
    if isinstance(x, int):
        return x, None, 0, 1
    if isinstance(x, float):
        return x, None, 0, 2
    if isinstance(x, np.ndarray) or isinstance(x, np.generic):
        t = Tensor._wrap(np.asarray(x))
        return t._data(), t.dtype, t.ndim, None
    raise TypeError(f"unsupported operand type: '{type(x).__name__}'")


_TRUE_DIV_FLOAT = O.FLOAT_RESULT    # integer inputs give floats (true division and friends)


def _binary_general(spec, x, y, name):
    op, _, _, afn = spec
    xa, xdt, xnd, xk = _operand_info(x)
    ya, ydt, ynd, yk = _operand_info(y)
    dt = D.result_type([(nd, d) for nd, d in ((xnd, xdt), (ynd, ydt)) if d is not None],
                       [k for k in (xk, yk) if k is not None])
    if not dt.is_floating_point and op in _TRUE_DIV_FLOAT:
        dt = D.get_default_dtype()      # true division of ints gives floats
    if op == K.POW and not dt.is_floating_point and (xk == 2 or yk == 2):
        dt = D.get_default_dtype()
    xs = np.asarray(xa, dt.np) if xdt is not dt else xa
    ys = np.asarray(ya, dt.np) if ydt is not dt else ya
    _check_broadcast(xs, ys)
    x_bool, y_bool = xdt is D.bool_ or xk == 0, ydt is D.bool_ or yk == 0
    if x_bool or y_bool:
        O.check_bool_binary(op, dt, x_bool, y_bool, yk is not None)
    with np.errstate(all="ignore"):
        if op == K.POW and not dt.is_floating_point and yk is not None and ys < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        if SM.applies(op, np.broadcast(xs, ys).size, dt.np):
            r = SM.binary(spec[2], xs, ys, dt.np)          # as the replay kernel computes it
        else:
            r = np.asarray(afn(xs, ys), dt.np)
    out = _array_out(r, dt)
    rg = (isinstance(x, Tensor) and x._rg) or (isinstance(y, Tensor) and y._rg)
    if rg and STATE.grad_enabled and dt.is_floating_point:
        _record_binary(op, x, y, out, name)
    return out


def _check_broadcast(xa, ya):
    xs, ys = np.shape(xa), np.shape(ya)
    if xs == ys or not xs or not ys:
        return
    for i, (p, q) in enumerate(zip(reversed(xs), reversed(ys))):
        if p != q and p != 1 and q != 1:
            raise RuntimeError(
                f"The size of tensor a ({p}) must match the size of tensor b ({q}) at "
                f"non-singleton dimension {max(len(xs), len(ys)) - 1 - i}")


def _record_binary(op, x, y, out, name):
    n = out.numel()
    rg = (4 if isinstance(x, Tensor) and x._rg else 0) | (8 if isinstance(y, Tensor) and y._rg else 0)
    if n >= STATE.bulk_min:
        return record_elementwise(op, x, y, out, name, m=rg)
    tape = T.current()
    shape = out.shape
    a, fa = _broadcast_slot(tape, x, n, shape)
    b, fb = _broadcast_slot(tape, y, n, shape)
    slot = _push_out(tape, out)
    T.record(tape, op, slot, n, a, b, fa | (fb << 1) | rg, -1)
    _finish(out, tape, slot, name)


def _push_out(tape, out):
    if out._v is not None:
        slot = len(tape.vals)
        tape.vals.append(out._v)
    else:
        slot = T.push_array(tape, out._arr)
    if slot > _FULL and STATE.tape() is tape:
        STATE.tape = T.dead
    return slot


def _broadcast_slot(tape, x, n, shape):
    """(slot, scalar flag) of operand x broadcast to `shape` (n elements)."""
    if x.__class__ is not Tensor:
        return _push_operand(tape, float(x)), 1
    size = x.numel()
    if size == n:
        return _push_operand(tape, x), 0
    if size == 1:
        return _push_operand(tape, x), 1
    # General broadcast: an explicit expand (a gather), whose backward sums.
    a = _push_operand(tape, x)
    slot = T.push_array(tape, np.broadcast_to(x._data(), shape))
    off = len(tape.meta)
    tape.meta.frombytes(_expand_index(x._arr.shape, tuple(shape)))
    T.record(tape, K.GATHER, slot, n, a, -1, size, off)
    return slot, 0


_EXPAND_INDEX = {}


def _expand_index(src, dst):
    """Bytes of the int64 map from the elements of an expand to src's (a
    bias added to a batch repeats the same shapes every step: cached)."""
    key = (src, dst)
    idx = _EXPAND_INDEX.get(key)
    if idx is None:
        if len(_EXPAND_INDEX) > 256:
            _EXPAND_INDEX.clear()
        arange = np.arange(math.prod(src), dtype=np.int64).reshape(src)
        idx = np.broadcast_to(arange, dst).tobytes()
        if len(idx) <= 1 << 19:
            _EXPAND_INDEX[key] = idx
    return idx


def _unary(spec, x):
    op, name, sfn, afn = spec
    v = x._v
    dt = x.dtype
    if v is not None and (dt is _F64 or dt is _F32T):
        st = STATE
        v = sfn(v)
        if dt is _F32T:
            buf = st.f32
            buf[0] = v
            v = buf[0]
        out = _new(Tensor)
        out._v = v
        out._arr = None
        out.dtype = dt
        if x._rg and st.grad_enabled:
            tape = st.tape() or T.current()
            a = x._slot if x._tape is tape else T.slot_of(tape, x)
            vals = tape.vals
            slot = len(vals)
            vals.append(v)
            tape.rec.frombytes(_PACK(op, slot, 1, a, -1, 0, -1))
            if slot > _FULL:
                st.tape = T.dead
            out._rg = True
            out._tape = tape
            out._slot = slot
            out._name = name
        else:
            out._rg = False
            out._tape = None
            out._slot = -1
            out._name = None
        return out
    if not dt.is_floating_point and spec[1] not in _INT_NAMES:
        dt = D.get_default_dtype()
    xa = x._data().astype(dt.np, copy=False)
    with np.errstate(all="ignore"):
        if SM.applies(op, xa.size, dt.np):
            r = SM.unary(sfn, xa, dt.np)                    # as the replay kernel computes it
        elif afn is None:
            r = np.empty(xa.shape)
            K.elementwise_map(op, xa.astype(np.float64).ravel(), np.zeros(xa.size), 0.0, r.reshape(-1))
            r = r.astype(dt.np)
        else:
            r = np.asarray(afn(xa), dt.np)
    out = _array_out(r, dt)
    if x._rg and STATE.grad_enabled and dt.is_floating_point:
        _record_unary_like(op, x, out, name)
    return out


_INT_NAMES = {O.UNARY[k][1] for k in O.INT_PRESERVING}


def _record_unary_like(op, x, out, name, const=None):
    if out._v is None and out._arr.size >= STATE.bulk_min:
        return record_elementwise(op, x, None, out, name, c=const)
    tape = T.current()
    a = T.slot_of(tape, x)
    ia = -1
    if const is not None:
        ia = len(tape.vals)
        tape.vals.append(const)
    slot = _push_out(tape, out)
    T.record(tape, op, slot, out.numel(), a, -1, 0, ia)
    _finish(out, tape, slot, name)


def _param_unary(spec, x, c):
    """Elementwise op with a float attribute c (clamp bounds, slopes)."""
    op, name, sfn, afn = spec
    dt = x.dtype if x.dtype.is_floating_point else D.get_default_dtype()
    if x._v is not None:
        v = sfn(float(x._v), c)
        out = _scalar_out(round32(v) if dt is D.float32 else float(v), dt)
    elif SM.applies(op, x._arr.size, dt.np):
        out = _array_out(SM.unary(sfn, x._arr.astype(dt.np), dt.np, c), dt)   # as the replay kernel computes it
    elif afn is None:       # no NumPy form: the kernel's value
        xa = x._arr.astype(np.float64).ravel()
        r = np.empty(xa.size)
        K.elementwise_map(op, xa, np.zeros(xa.size), float(c), r)
        out = _array_out(r.astype(dt.np).reshape(x._arr.shape), dt)
    else:
        with np.errstate(all="ignore"):
            out = _array_out(np.asarray(afn(x._arr.astype(dt.np, copy=False), c), dt.np), dt)
    if x._rg and STATE.grad_enabled:
        _record_unary_like(op, x, out, name, const=float(c))
    return out


def _compare(fn, x, y):
    r = _compare_values(fn, x, y)
    if _guard_hook is not None and r is not NotImplemented:
        _guard_hook.compare(fn, x, y, r)
    return r


def _compare_values(fn, x, y):
    ya = y._data() if isinstance(y, Tensor) else y
    if isinstance(x, Tensor) and x._v is not None and (ya.__class__ in (float, int, bool)):
        return _scalar_out(bool(fn(x._v, ya)), D.bool_)
    if ya is None or isinstance(ya, (str, list, tuple)):
        return NotImplemented   # as torch: `t == [1, 2]` is False, `t < [1, 2]` a TypeError
    xa = x._data()
    _check_broadcast(xa, ya)
    return _array_out(np.asarray(fn(xa, ya)), D.bool_)


def _check_bitwise(name, x, y):
    """&, |, ^ are bitwise ops: torch refuses floating operands."""
    if (isinstance(y, Tensor) and y.dtype.is_floating_point) or isinstance(y, float) or x.dtype.is_floating_point:
        dts = [(t.ndim, t.dtype) for t in (x, y) if isinstance(t, Tensor)]
        dt = D.result_type(dts, [2] if isinstance(y, float) else [])
        raise NotImplementedError(f"\"bitwise_{name}_cpu\" not implemented for '{_TYPE_NAMES[dt.name]}'")


def _nondiff(fn, x, y):
    """Ops without a gradient (floor division, remainder, bitwise)."""
    _guard_taint(getattr(fn, "__name__", "an op without gradient"), x, y)
    xa, xdt, xnd, xk = _operand_info(x)
    ya, ydt, ynd, yk = _operand_info(y)
    dt = D.result_type([(nd, d) for nd, d in ((xnd, xdt), (ynd, ydt)) if d is not None],
                       [k for k in (xk, yk) if k is not None])
    _check_broadcast(xa, ya)
    with np.errstate(all="ignore"):
        r = np.asarray(fn(np.asarray(xa, dt.np), np.asarray(ya, dt.np)), dt.np)
    return _array_out(r, dt)


# ----- in-place -----------------------------------------------------------
# The in-place ops compute their result out of place, check it against self
# (shape, dtype), then commit it: indexing.commit writes it into self (and
# through views into their root) and moves self to the result's tape node.

def _inplace(self, fn, spec, other, name):
    """`self op= other`: fn(spec, self, other, name) is the out-of-place op."""
    from .indexing import check_inplace, commit
    grad = self._rg or (other.__class__ is Tensor and other._rg)
    if not (grad and STATE.grad_enabled) and fn is _binary and _inplace_unrecorded(self, spec, other):
        return self
    check_inplace(self, grad)
    # The op reads a copy of self (PyTorch's original_self): the overwrite
    # makes self's old slot stale, which must not refuse this op's own record.
    res = fn(spec, self.clone() if grad and STATE.grad_enabled else self, other, name)
    if res is NotImplemented:
        return res
    if res.shape != self.shape:
        _shape_error(self, res.shape)
    if res.dtype is not self.dtype:
        _check_cast(res.dtype, self.dtype)
        from ..functional import functions as F
        res = F._to_dtype(res, self.dtype)
    return commit(self, res, name if res._rg and name is not None else res._name)


_UFUNCS = {_ADD[0]: np.add, _SUB[0]: np.subtract, _MUL[0]: np.multiply, _DIV[0]: np.true_divide}


def _inplace_unrecorded(self, spec, other):
    """An unrecorded `x -= lr * g` (optimizer updates) in one NumPy pass,
    when nothing needs the general path: a plain float array (no views),
    an operand of its dtype and shape or a Python number."""
    uf = _UFUNCS.get(spec[0])
    if (uf is None or self._arr is None or self._view is not None or self._views
            or not self.dtype.is_floating_point or "_view_slots" in self.__dict__):
        return False
    c = other.__class__
    if c is Tensor:
        if other.dtype is not self.dtype or other.shape != self.shape:
            return False
        other = other._arr
    elif c is not float and c is not int:
        return False
    T.mark_overwritten(self)
    with np.errstate(all="ignore"):
        uf(self._arr, other, out=self._arr)
    self._version += 1
    if self._name is None:
        self._tape = None    # a leaf's cached tape slot holds the old value
    return True


def _shape_error(self, shape):
    raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast shape {list(shape)}")


def _check_cast(src, dst):
    """PyTorch refuses to write a result it can't cast: float -> integer, number -> bool."""
    if (src.is_floating_point and not dst.is_floating_point) or (dst is D.bool_ and src is not D.bool_):
        raise RuntimeError(f"result type {_TYPE_NAMES[src.name]} can't be cast to the desired output type "
                           f"{_TYPE_NAMES[dst.name]}")


_TYPE_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
               "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _scaled(self, other, alpha):
    """`other * alpha` of add_ / sub_."""
    if alpha == 1:
        return other
    if isinstance(alpha, float) and not self.dtype.is_floating_point:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    return other * alpha


def _rounded_div(mode, x, y, name):
    """div with a rounding mode: its gradient is zero (DivBackward2)."""
    from ..functional import functions as F
    res = F.div(x.detach(), y.detach() if isinstance(y, Tensor) else y, rounding_mode=mode)
    if STATE.grad_enabled and (x._rg or (isinstance(y, Tensor) and y._rg)) and res.dtype.is_floating_point:
        res = x * 0.0 + (y * 0.0 if isinstance(y, Tensor) else 0.0) + res
        res._name = name
    return res


def _overwrite_all(self, value, name):
    """fill_ / zero_ / copy_: every element of self becomes `value` (a number,
    or a tensor broadcast to self); the old value gets a zero gradient."""
    from ..functional import functions as F
    from .indexing import check_inplace, commit, overwrite
    if not isinstance(value, Tensor):
        value = _scalar_out(np.asarray(value).astype(self.dtype.np).item(), self.dtype)
    check_inplace(self, self._rg or value._rg)
    if value.shape != self.shape:
        _check_broadcast(self._data(), value._data())
        if np.broadcast_shapes(self.shape, value.shape) != self.shape:
            _shape_error(self, np.broadcast_shapes(self.shape, value.shape))
        value = F.expand(value, self.shape)
    value = F._to_dtype(value, self.dtype)
    return commit(self, overwrite(self, np.arange(self.numel()), value, name), name)


def _rebind(self, res, name):
    """Give self the value of res (written in place, so NumPy views of self
    see it) and, when res is recorded, its tape node. Returns self."""
    T.mark_overwritten(self)
    if self._v is not None:
        self._v = res._v
        if self._base is not None:
            self._base._set_value(res._v)
    else:
        self._arr[...] = res._arr
    self._version += 1
    if res._rg:
        self._rg = True
        self._tape = res._tape
        self._slot = res._slot
        if self._bulk or res._bulk:
            self._bulk = res._bulk
        self._name = name if name is not None else res._name
        self._gfn = None
    elif self._name is None:
        self._tape = None    # a leaf's cached tape slot holds the old value
    return self


# ----- public constructor --------------------------------------------------

def _infer_array(data, dtype):
    if isinstance(data, Tensor):
        arr = data._data().copy()
        return arr, dtype or data.dtype
    if isinstance(data, np.ndarray):
        return np.array(data), dtype or D.from_numpy(data.dtype)
    if isinstance(data, np.generic):
        return np.array(data), dtype or D.from_numpy(np.asarray(data).dtype)
    if isinstance(data, (list, tuple, range)):
        if dtype is None:
            dtype = _nested_dtype(data) or D.get_default_dtype()
        try:
            arr = np.array(_to_nested(data), dtype=dtype.np)
        except (ValueError, TypeError):
            _check_nested(data)
            raise
        return arr, dtype
    if isinstance(data, bool):
        return np.array(data), dtype or D.bool_
    if isinstance(data, int):
        return np.array(data), dtype or D.int64
    if isinstance(data, float):
        return np.array(data), dtype or D.get_default_dtype()
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")


def _nested_dtype(data):
    """torch's scalar type of a nested sequence: every element's own type
    (Python float: the default dtype, int: int64, tensors and NumPy values:
    theirs), promoted together; None for an empty sequence."""
    res = None
    for v in data:
        if v.__class__ is float:
            d = _default_float()
        elif v.__class__ is int:
            d = D.int64
        elif isinstance(v, (np.ndarray, np.generic)):    # before float: np.float64 is a float
            d = D.from_numpy(v.dtype)
        elif isinstance(v, bool):
            d = D.bool_
        elif isinstance(v, int):
            d = D.int64
        elif isinstance(v, float):
            d = _default_float()
        elif isinstance(v, Tensor):
            d = v.dtype
        elif isinstance(v, (list, tuple, range)):
            d = _nested_dtype(v)
            if d is None:
                continue
        elif isinstance(v, str):
            raise ValueError("too many dimensions 'str'")
        else:
            raise RuntimeError(f"Could not infer dtype of {type(v).__name__}")
        res = d if res is None or res is d else D.promote_types(res, d)
    return res


def _default_float():
    return D.get_default_dtype()


def _check_nested(data):
    """torch's errors for a ragged nested sequence (sizes come from the first
    elements, as torch's compute_sizes takes them)."""
    sizes, seq = [], data
    while isinstance(seq, (list, tuple, range, np.ndarray)):
        sizes.append(len(seq))
        if not len(seq):
            break
        seq = seq[0]

    def walk(seq, dim):
        if dim == len(sizes):
            return
        if not isinstance(seq, (list, tuple, range, np.ndarray)):
            raise TypeError("not a sequence")
        if len(seq) != sizes[dim]:
            raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {len(seq)})")
        for v in seq:
            walk(v, dim + 1)
    walk(data, 0)


def _to_nested(data):
    if isinstance(data, (list, tuple)):
        return [_to_nested(d) for d in data]
    if isinstance(data, Tensor):
        if data.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return data.item()
    return data


def _tensors_in(data):
    if data.__class__ is Tensor:
        return [data]
    if isinstance(data, (list, tuple)):
        return [t for d in data for t in _tensors_in(d)]
    return []


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """jitgrad.tensor: a new leaf tensor holding a copy of `data`."""
    if _guard_hook is not None:
        ts = _tensors_in(data)
        if ts:
            _guard_taint("jitgrad.tensor() of tensor values", *ts)
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
            "or sourceTensor.detach().clone().requires_grad_(True), rather than torch.tensor(sourceTensor).",
            UserWarning, stacklevel=2)
    arr, dt = _infer_array(data, dtype)
    if arr.dtype != dt.np:
        arr = arr.astype(dt.np)
    t = Tensor._wrap(arr, dt)
    if requires_grad:
        if not dt.is_floating_point:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t._rg = True
    return t
