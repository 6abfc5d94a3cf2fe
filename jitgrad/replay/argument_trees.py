"""Argument and result trees of a compiled call: tensors flattened out,
the rest kept as the structure (`_Static` leaves, `_TupleOf` for tuple
subclasses), the signature key a call is cached under, and the helpers
that find what a function could write through its arguments."""
import numpy as np

from ..tensors.tensor import Tensor


class _Static:
    """A non-tensor leaf of an argument or output tree."""
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class _TupleOf:
    """A tuple subclass in an argument or output tree (torch.return_types
    such as sort's (values, indices), named tuples): its class and instance
    attributes, rebuilt around the replayed items."""
    __slots__ = ("cls", "attrs")

    def __init__(self, cls, attrs):
        self.cls = cls
        self.attrs = attrs

    def __call__(self, items):
        t = tuple.__new__(self.cls, tuple(items))
        for k, v in self.attrs:
            object.__setattr__(t, k, v)
        return t

    def _key(self):
        return (self.cls, self.attrs)

    def __eq__(self, other):
        return isinstance(other, _TupleOf) and self._key() == other._key()

    def __hash__(self):
        try:
            return hash(self._key())
        except TypeError:       # unhashable attributes: equality decides
            return hash(self.cls)


def _flatten(obj, leaves):
    """Structure of obj with its tensors replaced by their index in `leaves`."""
    if isinstance(obj, Tensor):
        leaves.append(obj)
        return len(leaves) - 1
    c = obj.__class__
    if c is tuple or c is list:
        return (c, tuple(_flatten(o, leaves) for o in obj))
    if c is dict:
        return (dict, tuple((k, _flatten(v, leaves)) for k, v in obj.items()))
    if isinstance(obj, tuple):
        # (Not a static value: its items are replayed, as a plain tuple's.)
        attrs = tuple(sorted(getattr(obj, "__dict__", {}).items()))
        return (_TupleOf(c, attrs), tuple(_flatten(o, leaves) for o in obj))
    return _Static(obj)


_PLAIN = (bool, int, float, complex, str, bytes, type(None), np.ndarray, np.generic)


def static_objects(struct, out):
    """The non-tensor argument values a function could read attributes of
    or write to (modules, config objects), in order."""
    c = struct.__class__
    if c is int:
        return out
    if c is _Static:
        if not isinstance(struct.value, _PLAIN):
            out.append(struct.value)
        return out
    kind, items = struct
    for item in items:
        static_objects(item[1] if kind is dict else item, out)
    return out


def argument_containers(obj, out):
    """(container, shallow copy) of the lists and dicts of a rebuilt argument tree."""
    c = obj.__class__
    if c is list or c is dict:
        out.append((obj, obj.copy()))
    if c is dict:
        obj = obj.values()
    if c is list or c is dict or isinstance(obj, tuple) or c is type({}.values()):
        for o in obj:
            argument_containers(o, out)
    return out


def containers_changed(watched):
    """Whether a function changed one of argument_containers' lists/dicts."""
    for obj, old in watched:
        if obj.__class__ is list:
            if len(obj) != len(old) or any(a is not b for a, b in zip(obj, old)):
                return True
        elif obj.keys() != old.keys() or any(obj[k] is not v for k, v in old.items()):
            return True
    return False


def _unflatten(struct, leaves):
    if struct.__class__ is int:
        return leaves[struct]
    if struct.__class__ is _Static:
        return struct.value
    c, items = struct
    if c is dict:
        return {k: _unflatten(v, leaves) for k, v in items}
    return c(_unflatten(s, leaves) for s in items)


def scalar_key(v):
    """A static value as a signature or guard holds it: a float by its bits
    (0.0 and -0.0 are different arguments, a NaN is itself), else by value."""
    if isinstance(v, (float, np.floating)):
        return (v.__class__, np.float64(v).tobytes())
    return (v.__class__, v)


def _struct_key(struct):
    """Hashable form of an argument structure (static values by value)."""
    if struct.__class__ is int:
        return struct
    if struct.__class__ is _Static:
        v = struct.value
        if isinstance(v, np.ndarray):
            return ("ndarray", v.dtype.str, v.shape, v.tobytes())
        try:
            hash(v)
        except TypeError:
            # (An unhashable object, a dataclass: the signature holds it by identity and
            # its attributes the function reads are guarded, as a module's.)
            return ("object", v.__class__, id(v))
        return scalar_key(v)
    c, items = struct
    if c is dict:
        return (c, tuple((k, _struct_key(v)) for k, v in items))
    return (c, tuple(_struct_key(s) for s in items))


def _tensor_key(t):
    dt = t.dtype
    if dt.is_floating_point:
        if t._v is not None:
            return ((), dt, t._rg)
        a = t._arr
        if a.flags.c_contiguous:
            return (a.shape, dt, t._rg)
        # A view's memory order (x.T, permute, expand) is part of the
        # signature: eager mode sums and multiplies in memory order (torch's),
        # and the tape recorded the order of its first call's layout (a tape
        # recorded for x replayed x.T's sum in x's order: an ulp off).
        st = a.strides
        return (a.shape, dt, t._rg, tuple(sorted(range(a.ndim), key=lambda d: -st[d])), tuple(s == 0 for s in st))
    # Integer and bool tensors become constants and index maps: by value.
    return (() if t._v is not None else t._arr.shape, dt, t._data().tobytes())


_TENSOR_STRUCTS = {}


def _signature(args, kwargs):
    """(hashable key, argument structure, flattened tensors) of a call."""
    if not kwargs:
        # Fast path: only tensors, positionally.
        for a in args:
            if a.__class__ is not Tensor:
                break
        else:
            n = len(args)
            struct = _TENSOR_STRUCTS.get(n)
            if struct is None:
                struct = _TENSOR_STRUCTS[n] = _flatten((args, {}), [])
            key = ("T",) + tuple(map(_tensor_key, args))
            if n > 1:
                ids = [id(t) for t in args]
                if len(set(ids)) != n:
                    first = {}
                    key += (tuple(first.setdefault(i, k) for k, i in enumerate(ids)),)
            return key, struct, list(args)
    leaves = []
    struct = _flatten((args, kwargs), leaves)
    key = [_struct_key(struct)]
    key.extend(_tensor_key(t) for t in leaves)
    if len(leaves) > 1:
        ids = [id(t) for t in leaves]
        if len(set(ids)) != len(ids):
            first = {}
            key.append(tuple(first.setdefault(i, k) for k, i in enumerate(ids)))
    return tuple(key), struct, leaves
