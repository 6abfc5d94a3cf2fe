"""Python numbers a compiled function reads from its tensors only to return
them (`return loss, loss.item()`, `float(loss)`, `acc.tolist()`): replayed
from the call's values instead of guarding on them.

A read by `item()`, `float()` or `tolist()` is a guard (the value may steer
Python), unless the function's own bytecode shows that the number goes
straight from the call into the returned structure: after the CALL, only
loads of other values and calls that can't reach it, then the containers
built around it (tuple, list, dict with constant keys) and RETURN_VALUE; or
one `STORE_FAST v` whose name is loaded once, in such a return. Anything
else (arithmetic, a comparison, an attribute, another store, a call taking
it, a `with`/`finally` before the return, a nested helper function, another
Python version's bytecode) keeps the guard. The recording then checks that
the returned structure holds the read value at that place; the replay
builds the number from the tape's values (`CompiledTape._outputs`, "read").
"""
from __future__ import annotations

import bisect
import builtins
import dis
import sys
from typing import Any

import numpy as np

_LOADS = frozenset({"LOAD_FAST", "LOAD_CONST", "LOAD_DEREF", "LOAD_CLOSURE"})
_SKIP = frozenset({"PRECALL", "NOP", "KW_NAMES", "CACHE", "EXTENDED_ARG"})
_INTROSPECT = frozenset({"locals", "vars", "eval", "exec", "_getframe", "f_locals"})
_CODE: dict = {}        # code object -> (instructions, their offsets)
_NO_KEY = object()


def _instructions(code):
    hit = _CODE.get(code)
    if hit is None:
        ins = list(dis.get_instructions(code))
        hit = _CODE[code] = (ins, [x.offset for x in ins])
        if len(_CODE) > 256:
            _CODE.pop(next(iter(_CODE)))
    return hit


def _at(code, lasti):
    """The index of the instruction running at byte offset `lasti` (a frame's
    f_lasti: inside a CALL, its last inline cache entry)."""
    ins, offsets = _instructions(code)
    return bisect.bisect_right(offsets, lasti) - 1


def note(rec: Any, t: Any, what: str, pkg_dir: str) -> bool:
    """Whether the user's read of t (what "value": item(), float(); "data":
    tolist(), numpy()) at this moment is one whose number only goes into
    the returned structure: then noted in rec.returned (`settle` decides),
    else the caller guards it."""
    if not (what == "data" or what == "value" and t.numel() == 1) or rec.parent is None or rec.sealed():
        return False
    f = sys._getframe(2)
    while f is not None and f.f_code.co_filename.startswith(pkg_dir):
        f = f.f_back
    if f is None or f.f_back is not rec.parent:
        return False
    flow = returned_path(f, what)
    if flow is None:
        return False
    v = np.asarray(t._data(), np.float64).ravel().copy()
    expected = t._v if t._v is not None else t._arr.item() if what == "value" else t._arr.tolist()
    rec.returned.append((flow[0], rec._slots(t, t.shape), v, what, t.dtype, tuple(t.shape), rec._site(), expected,
                         f, flow[1]))
    return True


def returned_path(frame: Any, what: str) -> tuple | None:
    """(path, offset): where in the returned structure the number read now
    (by `item()`, `float()`: what "value"; `tolist()`: "data") at `frame`'s
    current call ends up, as container steps from the returned object (an
    index, or ("key", k) of a dict), if the frame returns by the
    RETURN_VALUE at `offset` (`settle` checks it did); None when the number
    may go anywhere else."""
    if sys.version_info[:2] != (3, 11):
        return None
    code = frame.f_code
    ins = _instructions(code)[0]
    i = _at(code, frame.f_lasti)
    if 0 <= i < len(ins) - 1 and ins[i].opname == "PRECALL" and ins[i + 1].opname == "CALL":
        i += 1      # (a specialised PRECALL calls a builtin class, float(), itself)
    if i < 0 or ins[i].opname != "CALL" or not _reader(ins, i, frame, what):
        return None
    if _INTROSPECT & set(code.co_names):
        return None
    # (a one-entry dict literal's constant key, pushed just before the read's expression)
    key = ins[i - 4].argval if i >= 4 and ins[i - 3].opname in _LOADS | {"LOAD_GLOBAL"} and \
        ins[i - 4].opname == "LOAD_CONST" else _NO_KEY
    return _flow(ins, i + 1, code, key)


def _reader(ins, i, frame, what):
    """Whether the CALL at i is `x.item()` / `x.tolist()` or `float(name)`."""
    argc = ins[i].arg
    if i < 3 or ins[i - 1].opname != "PRECALL":
        return False
    if argc == 0:
        m = ins[i - 2]
        return m.opname == "LOAD_METHOD" and m.argval == ("item" if what == "value" else "tolist")
    if argc == 1 and what == "value":
        a, g = ins[i - 2], ins[i - 3]
        return (a.opname in ("LOAD_FAST", "LOAD_DEREF") and g.opname == "LOAD_GLOBAL" and g.argval == "float"
                and "float" not in frame.f_globals and frame.f_builtins.get("float") is builtins.float)
    return False


def _flow(ins, i, code, key=_NO_KEY):
    """Follow the value on top of the stack from instruction i to the
    function's return (see the module docstring); `key`: the constant
    pushed just below it (a `{key: x.item()}` literal's key)."""
    above = 0           # stack items above the followed value
    path: list = []
    stored = False
    while i < len(ins):
        x = ins[i]
        op, arg = x.opname, x.arg
        if op in _SKIP:
            pops = pushes = 0
        elif op in _LOADS or op == "PUSH_NULL":
            pops, pushes = 0, 1
        elif op == "LOAD_GLOBAL":
            pops, pushes = 0, 1 + (arg & 1)
        elif op == "LOAD_METHOD":
            pops, pushes = 1, 2
        elif op == "LOAD_ATTR":
            pops, pushes = 1, 1
        elif op == "CALL":
            pops, pushes = arg + 2, 1
        elif op in ("BUILD_TUPLE", "BUILD_LIST"):
            pops, pushes = arg, 1
        elif op == "BUILD_CONST_KEY_MAP":
            pops, pushes = arg + 1, 1
        elif op == "BUILD_MAP" and arg == 1:
            pops, pushes = 2, 1
        elif op == "RETURN_VALUE":
            return (tuple(reversed(path)), x.offset) if above == 0 else None
        elif op == "STORE_FAST" and above == 0 and not stored and not path:
            j = _single_load(ins, x.argval, code)
            if j is None or j <= i:
                return None
            stored = True
            i = j + 1           # (the one load of the name pushes the value again)
            continue
        else:
            return None
        if pops > above:        # the followed value is taken
            if op in ("BUILD_TUPLE", "BUILD_LIST"):
                path.append(arg - 1 - above)
            elif op == "BUILD_CONST_KEY_MAP" and above >= 1 and ins[i - 1].opname == "LOAD_CONST":
                keys = ins[i - 1].argval
                if not isinstance(keys, tuple) or len(keys) != arg or len(set(keys)) != arg:
                    return None
                path.append(("key", keys[arg - 1 - (above - 1)]))
            elif op == "BUILD_MAP" and above == 0 and not path and not stored and key is not _NO_KEY:
                path.append(("key", key))
            else:
                return None
            above = 0
        else:
            above += pushes - pops
        i += 1
    return None


def _single_load(ins, name, code):
    """The index of the one load of local `name` (stored once, no cell, no
    delete), or None."""
    if name in code.co_cellvars or name in code.co_freevars:
        return None
    loads = [k for k, x in enumerate(ins) if x.opname.startswith("LOAD_FAST") and x.argval == name]
    writes = [k for k, x in enumerate(ins) if x.opname in ("STORE_FAST", "DELETE_FAST") and x.argval == name]
    if len(loads) != 1 or len(writes) != 1:
        return None
    return loads[0]


def _node(struct, path):
    for step in path:
        if struct.__class__ is int or not isinstance(struct, tuple) or len(struct) != 2:
            return None
        kind, items = struct
        if isinstance(step, tuple):
            if kind is not dict:
                return None
            hit = [v for k, v in items if k == step[1] and type(k) is type(step[1])]
            if len(hit) != 1:
                return None
            struct = hit[0]
        else:
            if kind not in (tuple, list) or not 0 <= step < len(items):
                return None
            struct = items[step]
    return struct


def _replace(struct, path, leaf):
    if not path:
        return leaf
    kind, items = struct
    step = path[0]
    if isinstance(step, tuple):
        return (kind, tuple((k, _replace(v, path[1:], leaf) if k == step[1] and type(k) is type(step[1]) else v)
                            for k, v in items))
    return (kind, tuple(_replace(s, path[1:], leaf) if j == step else s for j, s in enumerate(items)))


def _bits(v):
    return np.asarray(v, np.float64).tobytes()


def settle(recording: Any, out_struct: Any, static_cls: Any, unflatten: Any) -> list:
    """The returned reads of a recording whose function returned by the
    RETURN_VALUE they flow to and whose place in `out_struct` holds the value
    read: [(path, output spec)], the last read per place (a loop's earlier
    reads were overwritten: their values went nowhere); the others become
    the guards they would have been."""
    last: dict = {}
    for r in recording.returned:
        last[r[0]] = r
    keep = []
    for path, a, v, what, dt, shape, site, expected, frame, offset in last.values():
        ins = _instructions(frame.f_code)[0]
        node: Any = _node(out_struct, path) if ins[_at(frame.f_code, frame.f_lasti)].offset == offset else None
        spec: tuple | None = None
        if node is not None:
            if what == "value" and node.__class__ is static_cls:
                x = node.value
                if (x.__class__ in (float, int, bool) and x == expected and _bits(x) == _bits(expected)
                        and (x.__class__ is not int or abs(x) <= 2 ** 53)):
                    spec = ("read", int(a[0]), 1, (), dt, x.__class__)
            elif what == "data":
                got = unflatten(node, [])
                kinds = _types(got)
                if (_bits(got) == _bits(expected) and np.shape(got) == np.shape(expected)
                        and kinds == _types(expected) and kinds <= {float, int, bool}
                        and not (int in kinds and np.abs(np.asarray(got, np.float64)).max(initial=0) > 2 ** 53)):
                    spec = ("read", int(a[0]), int(a.size), tuple(shape), dt, list)
        if spec is None:
            recording.guard_values(a, v, site)
        else:
            keep.append((path, spec))
    recording.returned = []
    return keep


def _types(x):
    if isinstance(x, list):
        out: set = set()
        for y in x:
            out |= _types(y)
        return out
    return {x.__class__}


def apply(e: Any, keep: list) -> None:
    """The returned reads as outputs of tape e (after its tensor outputs)."""
    for path, spec in keep:
        e.out_struct = _replace(e.out_struct, path, len(e.outs))
        e.outs.append(spec)


def value(spec: tuple, vals: np.ndarray) -> Any:
    """A returned read's number (or list) from a replay's values."""
    _, slot, n, shape, dt, cls = spec
    if cls is list:
        return vals[slot:slot + n].astype(dt.np).reshape(shape).tolist()
    return cls(vals[slot])
