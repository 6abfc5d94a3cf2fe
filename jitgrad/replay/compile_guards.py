"""What ``jitgrad.compile`` checks beyond the tape: the world a function reads.

A recorded tape stands for the function only while everything the function
read besides its arguments is unchanged. Two kinds of such reads:

* **Globals, closures, defaults** (``World``): the tensors and Python scalars
  the function's code (and the Python functions it calls, a few levels deep)
  reaches by name. The tape holds their recorded values (non-grad tensors as
  constants), so a replay first checks that every one is still the same
  object, with the same version counter (no in-place write since), the same
  requires_grad, and that Python scalars still have their recorded values; if
  not, the function records again (a guard, as torch.compile's on globals).
* **Random draws** (``RngWatch``): the sampling functions draw through
  ``functional/sampling.py`` and are replayed as draw groups; any other use of
  jitgrad's generator while a function records (through ``RNG.np``, watched
  by a proxy) makes the signature run eagerly, and the generator is rewound
  so that the eager call draws exactly the numbers an uncompiled call would.
"""
import builtins
import dis
import functools
import random
import sys
import types
import weakref

import numpy as np

from ..functional import functions as F
from ..nn.modules import module_hooks as _MH
from ..nn.modules.module import Module
from ..tensors import tensor as _TT
from ..tensors.tensor import Tensor, _guard_taint
from .recording import scalar_key

_SCALARS = (bool, int, float, complex, str, type(None))
_DATA = _SCALARS + (Tensor, np.ndarray, list, tuple, dict)     # class attributes worth checking
_MAX_DEPTH = 3          # functions called by the function, objects inside objects
_MAX_ITEMS = 256        # elements of a list/dict/object looked into
_MAX_ARRAY = 4096       # NumPy arrays compared by value up to this size (larger: by identity)
_LIBRARY = ("jitgrad", "numpy", "numba", "torch", "builtins")

# Locations: how to read the value again at replay.
_GLOBAL, _CELL, _ATTR, _ITEM, _FIXED, _GETATTR = range(6)
_MISSING = object()


def _code_names(code, out):
    """Every global/attribute name a code object and its nested code use."""
    out.update(code.co_names)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            _code_names(c, out)
    return out


_STORE_GLOBAL, _EXTENDED_ARG = dis.opmap["STORE_GLOBAL"], dis.opmap["EXTENDED_ARG"]


def _stored_globals(code, out):
    """The names a code object (and its nested code) assigns with `global`."""
    raw, ext = code.co_code, 0
    for i in range(0, len(raw), 2):
        op, arg = raw[i], raw[i + 1] | ext
        ext = arg << 8 if op == _EXTENDED_ARG else 0
        if op == _STORE_GLOBAL:
            out.add(code.co_names[arg])
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            _stored_globals(c, out)
    return out


def _read(kind, where, key):
    try:
        if kind == _GLOBAL:
            return where.get(key, _MISSING)
        if kind == _CELL:
            return where.cell_contents
        if kind == _ATTR:
            d = getattr(where, "__dict__", None)
            return d.get(key, _MISSING) if d is not None else getattr(where, key, _MISSING)
        if kind == _ITEM:
            return where[key]
        if kind == _GETATTR:        # (a class attribute: read as the code reads it, through the MRO)
            return getattr(where, key, _MISSING)
    except (ValueError, IndexError, KeyError, TypeError, AttributeError):
        return _MISSING
    return _MISSING


class World:
    """The tensors and Python scalars a function reads besides its arguments.

    ``tensors``: (kind, where, key, tensor weakref, version, requires_grad);
    ``scalars``: (kind, where, key, value); ``arrays`` (NumPy): (kind, where,
    key, array, a copy if small). ``changed()`` says what differs now.
    """

    def __init__(self, fn, statics=()):
        self.tensors = []
        self.scalars = []
        self.arrays = []
        self.objects = []       # (kind, where, key, object) compared by identity: generators drawn from
        # (kind, where, key, container, length, snapshot): lists/tuples/dicts read; still bound
        # there, same length (dicts: same keys), scalar-only ones up to _MAX_ARRAY items by value
        self.containers = []
        # (dict or list, shallow copy) / (globals, name, value) of what the function could write
        # besides tensors: a write while recording is a side effect a replay would not make
        self.watched = []
        self.iterators = []     # iterators and generators the function reaches (build: eager)
        self.hook_changes = None    # module_hooks.HOOK_CHANGES when a module was reached
        self._seen = set()
        self._names = set()     # names the visited code uses: the attributes worth checking
        self._visit(fn, (_FIXED, None, None), 0)
        for v in statics:       # objects passed as arguments (a module, a config object)
            self._visit(v, (_FIXED, None, None), 1)
        del self._seen, self._names

    # -- scanning (at record time) --
    def _visit(self, v, loc, depth):
        if isinstance(v, Tensor):
            if id(v) not in self._seen:
                self._seen.add(id(v))
                self.tensors.append(loc + (weakref.ref(v), v._version, v._rg))
            return
        if isinstance(v, _SCALARS):
            if loc[0] != _FIXED:
                self.scalars.append(loc + (v,))
            return
        if isinstance(v, np.ndarray):
            if id(v) not in self._seen and v.dtype.kind in "biuf":
                self._seen.add(id(v))
                self.arrays.append(loc + (v, v.copy() if v.size <= _MAX_ARRAY else None))
            return
        if isinstance(v, F.Generator):
            # A draw group draws from this object at replay: rebinding the name re-records.
            if loc[0] != _FIXED:
                self.objects.append(loc + (v,))
            return
        if depth > _MAX_DEPTH or id(v) in self._seen:
            return
        if isinstance(v, Module):
            self._module(v, depth)
            return
        # Containers first: their type's module is "builtins", which the
        # library check below skips (builtin functions such as len).
        if isinstance(v, (list, tuple)):
            self._seen.add(id(v))
            snap = tuple(v) if len(v) <= _MAX_ARRAY and all(isinstance(i, _SCALARS) for i in v) else None
            self.containers.append(loc + (v, len(v), snap))
            if isinstance(v, list):
                self.watched.append((v, v.copy() if len(v) <= _MAX_ARRAY else len(v)))
            for i, item in enumerate(v[:_MAX_ITEMS]):
                self._visit(item, (_ITEM, v, i), depth + 1)
            return
        if isinstance(v, dict):
            self._seen.add(id(v))
            self.containers.append(loc + (v, len(v), tuple(v) if len(v) <= _MAX_ARRAY else None))
            self._watch(v)
            for k, item in list(v.items())[:_MAX_ITEMS]:
                self._visit(item, (_ITEM, v, k), depth + 1)
            return
        if isinstance(v, type):
            # A user class (a config class): the class attributes the code names.
            if (getattr(v, "__module__", "") or "").split(".")[0] not in _LIBRARY:
                self._seen.add(id(v))
                self._class_attrs(v, v, set(), depth)
            return
        if isinstance(v, types.MethodType):
            # (Before the library check: a bound method's type is builtins', and a
            # library method, `model.forward`, still reads its object's state.)
            self._seen.add(id(v))
            self._visit(v.__func__, (_FIXED, None, None), depth)
            self._visit(v.__self__, (_FIXED, None, None), depth + 1)
            return
        mod = (v.__module__ if isinstance(v, types.FunctionType) else type(v).__module__) or ""
        if isinstance(v, types.ModuleType):
            return
        if hasattr(type(v), "__next__") and loc[0] != _FIXED or isinstance(v, types.GeneratorType):
            self.iterators.append(v)        # (an iterator named by the code, a generator: next() has effects)
            return
        if mod.split(".")[0] in _LIBRARY:
            if mod.startswith("jitgrad") and not isinstance(v, types.FunctionType):
                # A library object (an optimizer, a scheduler): its Python state
                # is written by its methods (`sched.step()`), watched, not guarded.
                self._watch_tree(v, 3)
            return
        self._seen.add(id(v))
        if isinstance(v, types.FunctionType):
            self._function(v, depth)
        elif isinstance(v, functools.partial):
            self._visit(v.func, (_FIXED, None, None), depth)
            for item in v.args + tuple(v.keywords.values()):
                self._visit(item, (_FIXED, None, None), depth + 1)
        else:
            # An object: its methods the code calls (and __call__), then the
            # attributes the code names.
            for name, meth in list(vars(type(v)).items())[:_MAX_ITEMS]:
                if isinstance(meth, types.FunctionType) and (name in self._names or name == "__call__"):
                    self._visit(meth, (_FIXED, None, None), depth + 1)
            d = getattr(v, "__dict__", None)
            own = set()
            if isinstance(d, dict):
                self._watch(d)
                own = set(d)
                for k, item in list(d.items())[:_MAX_ITEMS]:
                    if k in self._names:
                        self._visit(item, (_ATTR, v, k), depth + 1)
            self._class_attrs(type(v), v, own, depth)

    def _class_attrs(self, cls, where, own, depth):
        """Data attributes of a user class (and its user bases) that the code
        names and `where` (the class or an instance without its own) reads:
        checked through getattr, so a rebinding on the class or an instance
        attribute shadowing it re-records."""
        for klass in cls.__mro__:
            if (getattr(klass, "__module__", "") or "").split(".")[0] in _LIBRARY:
                continue
            for k, item in list(vars(klass).items())[:_MAX_ITEMS]:
                if k in self._names and k not in own and not k.startswith("__") and \
                        isinstance(item, _DATA):
                    own.add(k)
                    self._visit(item, (_GETATTR, where, k), depth + 1)

    def _module(self, m, depth):
        """An nn.Module (library code whose names the scan can't see): all of
        its state counts, its parameters, buffers, flags (`training`, `eps`,
        ...) and submodules, at any depth."""
        self._seen.add(id(m))
        # Its hooks (run by every call: an activation stored in a dict) and a
        # user subclass's methods (forward writing to a global list): the
        # globals and closures they reach.
        # (A hook registered or removed later re-records, as eager mode runs it: hook_changes.)
        self.hook_changes = _MH.HOOK_CHANGES[0]
        for k in ("_forward_hooks", "_forward_pre_hooks", "_backward_hooks", "_backward_pre_hooks"):
            hooks = vars(m).get(k)
            if hooks:
                for hook in list(hooks.values())[:_MAX_ITEMS]:
                    self._visit(hook, (_FIXED, None, None), depth)
        for klass in type(m).__mro__:
            if (getattr(klass, "__module__", "") or "").split(".")[0] not in _LIBRARY:
                for meth in list(vars(klass).values())[:_MAX_ITEMS]:
                    if isinstance(meth, types.FunctionType):
                        self._visit(meth, (_FIXED, None, None), depth)
        self._watch(vars(m))
        for k in ("_parameters", "_buffers", "_modules"):
            if isinstance(vars(m).get(k), dict):
                self._watch(vars(m)[k])
        for k, item in list(vars(m).items())[:_MAX_ITEMS]:
            if k in ("_parameters", "_buffers"):
                for name, t in item.items():
                    if t is not None:
                        self._visit(t, (_ITEM, item, name), depth)
            elif k == "_modules":
                for sub in item.values():
                    if sub is not None and id(sub) not in self._seen:
                        self._module(sub, depth)
            elif not k.startswith("_") or isinstance(item, _SCALARS):
                self._visit(item, (_ATTR, m, k), depth + 1)

    def _function(self, fn, depth):
        g = fn.__globals__
        for name in _stored_globals(fn.__code__, set()):
            self.watched.append((g, name, g.get(name, _MISSING)))
        names = _code_names(fn.__code__, set())
        self._names |= names
        for name in sorted(names):
            v = g.get(name, _MISSING)
            if v is _MISSING:
                continue
            if isinstance(v, types.ModuleType):
                if v.__name__.split(".")[0] in _LIBRARY:
                    continue
                self._module_attrs(v, fn.__code__)
                continue
            self._visit(v, (_GLOBAL, g, name), depth + 1)
        for cell in fn.__closure__ or ():
            try:
                v = cell.cell_contents
            except ValueError:
                continue
            self._visit(v, (_CELL, cell, None), depth + 1)
        for v in (fn.__defaults__ or ()) + tuple((fn.__kwdefaults__ or {}).values()):
            self._visit(v, (_FIXED, None, None), depth + 1)

    def _module_attrs(self, mod, code):
        """`mod.NAME` in the code: a user module's tensors and scalars."""
        d = mod.__dict__
        for name in _code_names(code, set()):
            v = d.get(name, _MISSING)
            if isinstance(v, Tensor) or (isinstance(v, _SCALARS) and v is not _MISSING):
                self._visit(v, (_ATTR, mod, name), _MAX_DEPTH)

    def _watch_tree(self, v, depth):
        """Watch a library object's __dict__ and the lists, dicts and library
        objects in it, `depth` levels down (an optimizer's param_groups)."""
        if depth < 0 or id(v) in self._seen or isinstance(v, (Tensor, Module)):
            return
        if isinstance(v, (list, dict)):
            self._seen.add(id(v))
            self._watch(v)
            items = v.values() if isinstance(v, dict) else v
        else:
            d = getattr(v, "__dict__", None)
            if not isinstance(d, dict) or not type(v).__module__.startswith("jitgrad"):
                return
            self._seen.add(id(v))
            self._watch(d)
            items = d.values()
        for item in list(items)[:_MAX_ITEMS]:
            if isinstance(item, (list, dict)) or type(item).__module__.startswith("jitgrad"):
                self._watch_tree(item, depth - 1)

    def _watch(self, d):
        self.watched.append((d, d.copy() if len(d) <= _MAX_ARRAY else len(d)))

    def written(self):
        """What the recording call wrote besides tensors ("" if nothing): an
        item of a list or dict, an attribute of an object or module, a
        global or a cell it reads -- a side effect (a log appended to, a
        module caching its last output, a counter) that a replay would not
        make, so the signature runs eagerly (`restore` undoes the recording's)."""
        for w in self.watched:
            if len(w) == 3:
                g, name, old = w
                if g.get(name, _MISSING) is not old:
                    return f"the function assigns the global {name!r} (a replay would not)"
                continue
            obj, old = w
            if isinstance(old, int):
                if len(obj) != old:
                    return "the function adds to or removes from a list/dict it reads from outside (a replay would not)"
            elif isinstance(obj, list):
                if len(obj) != len(old) or any(a is not b for a, b in zip(obj, old)):
                    return "the function changes a list it reads from outside (a replay would not)"
            elif obj.keys() != old.keys() or any(obj[k] is not v for k, v in old.items()):
                return ("the function changes a dict, an object's or a module's attribute it reads from outside "
                        "(a replay would not)")
        if self.hook_changes is not None and _MH.HOOK_CHANGES[0] != self.hook_changes:
            return "the function registers or removes a hook (a replay would not)"
        for kind, where, key, value in self.scalars:
            cur = _read(kind, where, key)
            if cur is not value and scalar_key(cur) != scalar_key(value):
                return (f"the function assigns {key!r} (a nonlocal, global or class attribute: a replay would not)"
                        if isinstance(key, str) or key is None else "the function assigns a value it reads")
        for kind, where, key, arr, copy in self.arrays:
            if copy is not None and (arr.shape != copy.shape or not np.array_equal(arr, copy, equal_nan=True)):
                return "the function writes into a NumPy array it reads from outside (a replay would not)"
        return ""

    def restore(self):
        """Undo the recording call's writes to what it read (its eager call makes them once)."""
        for w in self.watched:
            if len(w) == 3:
                g, name, old = w
                if g.get(name, _MISSING) is not old:
                    if old is _MISSING:
                        g.pop(name, None)
                    else:
                        g[name] = old
                continue
            obj, old = w
            if isinstance(old, int):
                continue
            if isinstance(obj, list):
                if len(obj) != len(old) or any(a is not b for a, b in zip(obj, old)):
                    obj[:] = old
            elif obj.keys() != old.keys() or any(obj[k] is not v for k, v in old.items()):
                obj.clear()
                obj.update(old)
        for kind, where, key, value in self.scalars:
            cur = _read(kind, where, key)
            if cur is value or scalar_key(cur) == scalar_key(value):
                continue
            if kind == _CELL:
                where.cell_contents = value
            elif kind in (_GLOBAL, _ITEM):
                where[key] = value
            elif kind == _ATTR or (kind == _GETATTR and isinstance(where, type)):
                setattr(where, key, value)
        for kind, where, key, arr, copy in self.arrays:
            if copy is not None and arr.shape == copy.shape and not np.array_equal(arr, copy, equal_nan=True):
                arr[...] = copy

    def settle(self):
        """After the recording call: containers as that call left them (a
        function appending to a list it reads is checked from there on)."""
        self.containers = [c[:4] + (len(c[3]), tuple(c[3]) if c[5] is not None else None)
                           for c in self.containers]

    # -- checking (every replay) --
    def versions_now(self):
        """(index, tensor) of tracked tensors whose version changed."""
        out = []
        for i, (kind, where, key, ref, version, rg) in enumerate(self.tensors):
            t = ref()
            if t is not None and t._version != version:
                out.append((i, t))
        return out

    def changed(self):
        """"" if everything read is as recorded, else what changed."""
        if self.hook_changes is not None and _MH.HOOK_CHANGES[0] != self.hook_changes:
            return "a module hook was registered or removed"
        for kind, where, key, ref, version, rg in self.tensors:
            t = ref()
            if t is None:
                return "a tensor read from a global or closure was freed"
            if kind != _FIXED and _read(kind, where, key) is not t:
                return f"the global/closure/attribute {key!r} was rebound to another object"
            if t._rg != rg:
                return f"requires_grad of a global/closure tensor {_name(key)}changed"
            if not rg and t._version != version:
                return f"a global/closure tensor {_name(key)}was modified in place"
        for kind, where, key, arr, copy in self.arrays:
            if kind != _FIXED and _read(kind, where, key) is not arr:
                return f"the global/closure/attribute {key!r} was rebound to another object"
            if copy is not None and (arr.shape != copy.shape or not np.array_equal(arr, copy, equal_nan=True)):
                return f"a NumPy array read from a global or closure {_name(key)}changed"
        for kind, where, key, obj, n, snap in self.containers:
            if kind != _FIXED and _read(kind, where, key) is not obj:
                return f"the global/closure/attribute {key!r} was rebound to another object"
            if len(obj) != n:
                return f"a list/dict read from a global or closure {_name(key)}changed length"
            if snap is not None and tuple(obj) != snap:     # (a dict's snapshot: its keys)
                return f"a list/dict read from a global or closure {_name(key)}changed"
        for kind, where, key, obj in self.objects:
            if _read(kind, where, key) is not obj:
                return f"the global/closure/attribute {key!r} was rebound to another object"
        for kind, where, key, value in self.scalars:
            cur = _read(kind, where, key)
            if cur is not value and scalar_key(cur) != scalar_key(value):      # (-0.0 is not 0.0)
                return f"the global/closure value {key!r} changed from {value!r} to {cur!r}"
        return ""


def _name(key):
    return f"{key!r} " if isinstance(key, str) else ""


class _StateView:
    """The generator's bit_generator while a function records: reading its
    state draws nothing (vmap notes it); setting it reseeds, which a replay
    would not (a taint), as does any other use."""

    def __init__(self, real):
        object.__setattr__(self, "_real", real)

    @property
    def state(self):
        return self._real.state

    @state.setter
    def state(self, value):
        _guard_taint("setting the state of jitgrad's generator")
        self._real.state = value

    def __getattr__(self, name):
        _guard_taint("a use of jitgrad's generator outside its sampling functions")
        return getattr(self._real, name)


class _RngProxy:
    """Stands for the generator (functions.RNG.np) while a function records: a draw taints."""

    def __init__(self, real):
        self._real = real

    def mark(self):
        """A token of the generator's position, read without drawing (vmap's randomness check)."""
        mark = getattr(self._real, "mark", None)
        return mark() if mark is not None else self._real.bit_generator.state

    @property
    def bit_generator(self):
        return _StateView(self._real.bit_generator)

    def __getattr__(self, name):
        _guard_taint("a use of jitgrad's generator outside its sampling functions")
        return getattr(self._real, name)


class RngWatch:
    """Watch jitgrad's generator during one recording; rewind it afterwards
    when the recording ran eagerly (``rewind()``)."""

    _active = [0]

    def __init__(self):
        real = F.RNG.np._real if isinstance(F.RNG.np, _RngProxy) else F.RNG.np
        self.real = real
        self.state = real.bit_generator.state
        if not isinstance(F.RNG.np, _RngProxy):
            F.RNG.np = _RngProxy(real)
        RngWatch._active[0] += 1

    def close(self):
        RngWatch._active[0] -= 1
        if RngWatch._active[0] == 0 and isinstance(F.RNG.np, _RngProxy):
            F.RNG.np = F.RNG.np._real

    def rewind(self):
        """The eager call that follows must draw what the recording drew."""
        self.real.bit_generator.state = self.state


class PrintWatch:
    """``print`` while functions record: a print on a recording thread taints
    (torch.compile graph-breaks there and prints every call; a replay would
    print nothing) and is left to the eager call that follows, which prints
    once, as an uncompiled call."""

    _active = [0]
    _saved = [None]

    def __init__(self):
        if PrintWatch._active[0] == 0:
            PrintWatch._saved[0] = builtins.print
            builtins.print = _watched_print
        PrintWatch._active[0] += 1

    def close(self):
        PrintWatch._active[0] -= 1
        if PrintWatch._active[0] == 0 and builtins.print is _watched_print:
            builtins.print = PrintWatch._saved[0]


# Libraries whose own prints are not the function's: Numba prints its type
# annotations into a buffer while it compiles a kernel, which a recording on
# a cold cache runs into (that print marked the function eager).
_OWN_PRINTS = ("numba", "llvmlite", "jitgrad")


def _watched_print(*args, **kwargs):
    hook = _TT._guard_hook
    if (hook is not None and hook.recording()
            and sys._getframe(1).f_globals.get("__name__", "").partition(".")[0] not in _OWN_PRINTS):
        hook.taint("print() (it would not print at a replay)")
        hook.held_print(args, kwargs)
        return None
    return PrintWatch._saved[0](*args, **kwargs)


def print_held(held):
    """Print what a recording that raised held back (its eager call won't come)."""
    real = PrintWatch._saved[0] or builtins.print
    for args, kwargs in held:
        real(*args, **kwargs)


class HostRngWatch:
    """Python's `random` and NumPy's global generator (`np.random.rand`)
    around one recording: a draw from either is a value the replay would
    keep (an augmentation's coin flip), so the call runs eagerly, from the
    state the recording started at (`rewind`)."""

    def __init__(self):
        self.py = random.getstate()
        self.np = np.random.get_state()

    def drew(self):
        st = np.random.get_state()
        if random.getstate() != self.py:
            return "a draw from Python's random module (a replay would keep its value)"
        if st[2] != self.np[2] or st[3:] != self.np[3:] or not np.array_equal(st[1], self.np[1]):
            return "a draw from NumPy's global random generator (a replay would keep its value)"
        return ""

    def rewind(self):
        random.setstate(self.py)
        np.random.set_state(self.np)
