"""The small objects a Tensor's attributes hand out: `Size` (x.shape),
`GradFn` and its per-name subclasses (x.grad_fn), `RemovableHandle`
(x.register_hook). Nothing here knows about the tape."""
import math
import weakref


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


_CPP_NODES = ("CopySlices", "CopyBackwards", "Identity")


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
        cls = _GRADFN_TYPES[name] = type(name, (GradFn,), {"__slots__": (), "__module__": "builtins"})
    return cls


class RemovableHandle:
    """What register_hook returns (torch.utils.hooks.RemovableHandle, also
    the base of the node and module hook handles: isinstance and the
    printed name are torch's)."""
    __module__ = "jitgrad.utils.hooks"

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


def read_only_properties(cls, skip=("real", "imag")) -> None:
    """Give cls's read-only properties torch's error for an assignment
    (`x.shape = (2, 3)`): its C attributes are "not writable" (real and
    imag have setters in torch)."""
    for name, attr in list(vars(cls).items()):
        if isinstance(attr, property) and attr.fset is None and name not in skip:
            setattr(cls, name, property(attr.fget, _not_writable(name), attr.fdel, attr.__doc__))


def _not_writable(name):
    def fset(self, value):
        raise AttributeError(f"attribute '{name}' of 'torch._C.TensorBase' objects is not writable")
    return fset
