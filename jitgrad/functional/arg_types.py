"""torch's TypeErrors for arguments of the wrong type (its python_arg_parser).

A function given an argument no overload takes fails in torch before any
work, with one of two messages: when a single overload is plausible by the
number of arguments, "add(): argument 'other' (position 2) must be Tensor,
not str" (no position for a keyword argument); else "sum() received an
invalid combination of arguments - got (Tensor, dim=str), but expected one
of:" with every overload, and under the overloads whose argument count
matches (the bare `*` counts as one, an empty `()` as one), "didn't match
because some of the arguments have invalid types: (!str!)".

The wrappers (`install`) check the arguments against torch's signatures
before the call (jitgrad's own code takes some torch refuses, keepdim=2, a
1.5 stride, and would answer): whether the parser takes a call depends on
the argument types alone (a sequence's: its elements' too), so each wrapper
keeps one verdict per types and the common call costs one dict look-up.
When jitgrad's code raises on a call the check let through, torch's message
replaces the error if an argument is wrong (else the original error
stands). Signatures (`arg_signatures.py`) are torch 2.13's, as its messages
print them; where unsure, the checks take the argument (lenient: a wrong
answer only keeps jitgrad's own behaviour).
"""
from __future__ import annotations

import functools
import warnings
from typing import Any, Callable, Optional

import numpy as np

from ..core import dtypes as D
from ..core.warn import _WARNED, WARN_ALWAYS
from ..tensors.tensor import Tensor
from .arg_signatures import FUNCTIONS, METHODS, NN_FUNCTIONS  # noqa: F401 (NN_FUNCTIONS: nn installs it)
from ..core.warn import user_stacklevel

# functions whose Tensor `other` also takes a Python number (torch's numbers-as-tensors)
_NUMBERS_AS_TENSORS = frozenset(("add", "sub", "mul", "div"))
# parameters that take None though torch prints them without "= None" (int[1]? dim)
_NULLABLE_BARE = {("sum", "dim"), ("mean", "dim"), ("std", "dim"), ("var", "dim"), ("std_mean", "dim"),
                  ("var_mean", "dim"), ("sort", "stable")}     # (sort's bool? stable)
# tuple-of-ints parameters of no fixed size (int[], not int[1]): a lone int is no
# tuple there (torch.flip(x, 0) fails; x.flip(0) is the varargs form)
_NO_LONE_INT = {("flip", "dims"), ("movedim", "source"), ("movedim", "destination"), ("moveaxis", "source"),
                ("moveaxis", "destination")}
# numpy-style keyword names torch's parser also takes
_ALIASES = {"axis": "dim", "keepdims": "keepdim"}
# parameters a Tensor method binds to self
_SELF = ("input", "self")


class _Param:
    __slots__ = ("type", "name", "optional", "nullable", "kw_only", "lone_int")

    def __init__(self, text: str, kw_only: bool) -> None:
        decl, _, default = text.partition(" = ")
        self.type, _, self.name = decl.rpartition(" ")
        self.optional = bool(default)
        self.nullable = default == "None" or self.type == "str"     # (str? prints bare)
        self.kw_only = kw_only
        self.lone_int = True        # (a tuple of ints: whether one int stands for it)


class _Signature:
    """One overload: its printed form, its parameters and the items torch's
    message code counts (the bare `*` and an empty `()`'s one blank among them)."""

    def __init__(self, text: str) -> None:
        self.text = text
        items = text[1:-1].split(", ")
        self.count = len(items)
        self.params: list[_Param] = []
        kw = False
        for item in items:
            if item == "*":
                kw = True
            elif item:
                self.params.append(_Param(item, kw))
        self.min_args = sum(not p.optional for p in self.params)
        self.max_args = len(self.params)
        self.max_pos = sum(not p.kw_only for p in self.params)


def _method_form(text: str) -> Optional[str]:
    """A function signature as the Tensor method's: without its Tensor
    input (None when self can't be it) and without `out`."""
    items = text[1:-1].split(", ")
    names = [i.partition(" = ")[0].rpartition(" ")[2] for i in items]
    which = [k for k, n in enumerate(names) if n in _SELF]
    if not which or not items[which[0]].startswith("Tensor "):
        return None
    kept = [i for k, i in enumerate(items) if k != which[0] and names[k] != "out"]
    if kept and kept[-1] == "*":
        kept.pop()
    return "(" + ", ".join(kept) + ")"


def _int_like(v: Any) -> bool:
    # (torch's int takes no bool: "argument 'dim' must be int, not bool")
    if isinstance(v, (bool, np.bool_)):
        return False
    return isinstance(v, (int, np.integer, Tensor)) or hasattr(v, "__index__")


def _int_elem(e: Any) -> bool:
    return _int_like(e) and not isinstance(e, (float, np.floating))


def _accepts(p: _Param, v: Any, numbers: bool) -> bool:
    """Whether torch's parser takes v for parameter p (lenient where unsure:
    a wrong answer here only keeps jitgrad's own error)."""
    if v is None:
        return p.nullable
    t = p.type
    if t == "Tensor":
        # (torch.add(2.0, t): a number as either operand of add / sub / mul / div)
        return isinstance(v, Tensor) or (numbers and p.name in ("other", "input")
                                         and isinstance(v, (bool, int, float, complex)))
    if t == "Number":
        return isinstance(v, (bool, int, float, complex, np.number, np.bool_, Tensor))
    if t == "int":
        return _int_like(v) and not isinstance(v, (float, np.floating))
    if t == "float":
        return isinstance(v, (int, float, np.number, Tensor))
    if t == "bool":
        return isinstance(v, bool)      # (torch's bool takes no int, numpy bool or Tensor)
    if t == "str":
        return isinstance(v, str)
    if t == "tuple of ints":
        if isinstance(v, (tuple, list)):
            # (torch's parser checks the first element only; a later one fails unpacking: _unpack_error)
            return not v or _int_elem(v[0])
        # (a lone Tensor: torch takes one of one integral element; lenient, as the verdict is by type)
        return p.lone_int and _int_like(v) and not isinstance(v, (float, np.floating))
    if t == "tuple of Tensors":
        return isinstance(v, (tuple, list))     # (a wrong element: "expected Tensor as element i", jitgrad's own)
    if t == "torch.dtype":
        return isinstance(v, D.dtype)
    if t == "torch.device":
        return isinstance(v, (str, int, D.device))
    return True


def _shown_match(t: str, v: Any) -> bool:
    """torch's message marks an argument by the exact Python type name its
    printed type stands for (a Number or a tuple of ints never matches)."""
    name = type(v).__name__
    if t == "float":
        return name in ("float", "int")
    if t == "torch.dtype":
        return isinstance(v, D.dtype)
    return name == t


def tp_name(v: Any) -> str:
    """The type name torch's "must be Tensor, not X" prints: C's tp_name,
    which for NumPy's types carries the module (numpy.ndarray)."""
    t = type(v)
    return f"numpy.{t.__name__}" if t.__module__ == "numpy" else t.__name__


def _tname(v: Any) -> str:
    """The type name torch's messages print for v (its own classes with their module)."""
    if isinstance(v, D.dtype):
        return "torch.dtype"
    if isinstance(v, D.device):
        return "torch.device"
    return tp_name(v)


def _arg_desc(args: tuple, kwargs: dict) -> str:
    parts = [_tname(a) + ", " for a in args] + [f"{k}={_tname(v)}, " for k, v in kwargs.items()]
    text = "".join(parts)
    if args:
        text = text[:-2]
    return f"({text})"


def _marked_desc(sig: _Signature, args: tuple, kwargs: dict) -> str:
    params = sig.params or [_Param(" ", False)]     # (an empty `()`: one blank item)
    out = []
    by_name = {q.name: q for q in params}
    for i, v in enumerate(list(args) + list(kwargs.values())):
        p = params[i] if i < len(params) else None
        if i >= len(args):
            p = by_name.get(list(kwargs)[i - len(args)])
        # (torch reparses the printed parameter's type as the text before its last space:
        # "int dim = 0" gives "int dim =", which no argument matches)
        ok = p is not None and not p.optional and _shown_match(p.type, v)
        key = "" if i < len(args) else f"{list(kwargs)[i - len(args)]}="
        if isinstance(v, (tuple, list)):
            inner = ", ".join(type(e).__name__ for e in v)
            shown = f"tuple of ({inner}{',' if len(v) == 1 else ''})" if isinstance(v, tuple) else f"list of [{inner}]"
        else:
            shown = _tname(v)
        out.append((key + shown if ok else f"!{key}{shown}!") + ", ")
    text = "".join(out)
    return "(" + (text[:-2] if args else text) + ")"     # (torch's: a trailing ", " after keywords alone)


def _varargs(sig: _Signature, args: tuple) -> tuple:
    """torch's int varargs (x.view(2, 3)): all the arguments as the one
    tuple of ints a signature starting with one takes."""
    # (torch's: only a signature whose one positional parameter is a required tuple of
    # ints of no fixed size: sizes, dims of permute; not std's optional int[1] dim)
    first = sig.params[0] if sig.params else None
    if (args and sig.max_pos == 1 and first is not None and first.type == "tuple of ints"
            and not first.optional and _int_like(args[0])):
        return (tuple(args),)
    return args


def _unpack_error(name: str, sig: _Signature, args: tuple, kwargs: dict) -> Optional[str]:
    """torch's error converting a sequence bound to a tuple-of-ints parameter
    of the signature that took the call (its parser checks the first element,
    then fails on a later one)."""
    bound = _varargs(sig, args)
    pos = 0
    for p in sig.params:
        if not p.kw_only and pos < len(bound):
            v = bound[pos]
            pos += 1
        else:
            v = kwargs.get(p.name)
        if p.type == "tuple of ints" and isinstance(v, (tuple, list)):
            for i, e in enumerate(v):
                # (unpacking takes a bool as an int: torch.zeros(2, True) is a 2 x 1 tensor)
                if not (isinstance(e, (bool, np.bool_)) or _int_elem(e)):
                    return (f"{name}(): argument '{p.name}' failed to unpack the object at pos {i + 1} with "
                            f'error "type must be tuple of ints,but got {type(e).__name__}"')
    return None


def _specific(name: str, sig: _Signature, args: tuple, kwargs: dict, numbers: bool) -> Optional[str]:
    """torch's message of parsing against its one plausible signature, or None."""
    args = _varargs(sig, args)
    n = len(args)
    if n > sig.max_pos:
        # (torch's: min_args counts every required parameter, keyword-only ones too (round's
        # "takes from 1 to 0"), and the "from" form is always plural)
        lo, hi = sig.min_args, sig.max_pos
        if lo != hi:
            return f"{name}() takes from {lo} to {hi} positional arguments but {n} were given"
        return (f"{name}() takes {hi} positional argument{'' if hi == 1 else 's'} but {n} "
                f"{'was' if n == 1 else 'were'} given")
    pos = 0
    for i, p in enumerate(sig.params):
        if not p.kw_only and pos < n:
            v = args[pos]
            pos += 1
            if not _accepts(p, v, numbers):
                if p.type == "tuple of ints" and isinstance(v, (tuple, list)):
                    return (f"{name}(): argument '{p.name}' (position {pos}) must be tuple of ints, but found "
                            f"element of type {type(v[0]).__name__} at pos 0")
                return f"{name}(): argument '{p.name}' (position {pos}) must be {p.type}, not {tp_name(v)}"
        elif p.name not in kwargs and not p.optional:
            missing = [f'"{q.name}"' for q in sig.params[i:] if not q.optional and q.name not in kwargs]
            # (torch's plural: "arguments" for one)
            return (f"{name}() missing {len(missing)} required positional argument{'s' if len(missing) == 1 else ''}"
                    f": {', '.join(missing)}")
        elif p.name in kwargs:
            v = kwargs[p.name]
            if not _accepts(p, v, numbers):
                return f"{name}(): argument '{p.name}' must be {p.type}, not {tp_name(v)}"
    unknown = [k for k in kwargs if k not in {p.name for p in sig.params}]
    if unknown:
        return f"{name}() got an unexpected keyword argument '{unknown[0]}'"
    return None


def _fits(sig: _Signature, args: tuple, kwargs: dict, numbers: bool) -> bool:
    """Whether the arguments bind to sig with every type accepted."""
    args = _varargs(sig, args)
    if len(args) > sig.max_pos:
        return False
    names = {p.name for p in sig.params}
    if any(k not in names for k in kwargs):
        return False
    pos = 0
    for p in sig.params:
        if not p.kw_only and pos < len(args):
            v = args[pos]
            pos += 1
        elif p.name in kwargs:
            v = kwargs[p.name]
        elif p.optional:
            continue
        else:
            return False
        if not _accepts(p, v, numbers):
            return False
    return True


@functools.lru_cache(maxsize=None)
def _signatures(name: str, texts: tuple[str, ...]) -> tuple[_Signature, ...]:
    sigs = tuple(_Signature(t) for t in texts)
    for s in sigs:
        for p in s.params:
            # (a factory's requires_grad: a TensorOptions keyword that takes None)
            if (name, p.name) in _NULLABLE_BARE or p.name == "requires_grad":
                p.nullable = True
            p.lone_int = (name, p.name) not in _NO_LONE_INT
    return sigs


def _typed(v: Any) -> Any:
    return (type(v), tuple(map(type, v))) if isinstance(v, (tuple, list)) else type(v)


def rejected(verdicts: dict, name: str, texts: tuple[str, ...], args: tuple, kwargs: dict) -> bool:
    """Whether torch's parser rejects the call before any work (checked
    before the call: jitgrad's code takes some arguments torch doesn't, such
    as keepdim=2, largest=None, a tuple dim of prod, giving a value where
    torch raises). That depends on the arguments' types alone (a sequence's:
    of its elements too): `verdicts` (the wrapper's) keeps each answer, under
    the argument types for a call of neither keywords nor sequences."""
    types = tuple(map(type, args))
    if any(issubclass(t, (tuple, list)) for t in types):
        types = tuple(map(_typed, args))
    key = (types, tuple((k, _typed(v)) for k, v in kwargs.items())) if kwargs else types
    known = verdicts.get(key)
    if known is None:
        if len(verdicts) > 4096:      # (a bound: code calling with ever new lengths of tuples)
            verdicts.clear()
        known = verdicts[key] = _rejected(name, texts, args, kwargs)
    return known


def _rejected(name: str, texts: tuple[str, ...], args: tuple, kwargs: dict) -> bool:
    numbers = name in _NUMBERS_AS_TENSORS
    if kwargs:
        kwargs = {_ALIASES.get(k, k): v for k, v in kwargs.items()}
    for s in _signatures(name, texts):
        if _fits(s, args, kwargs, numbers):
            return _unpack_error(name, s, args, kwargs) is not None
    return True


def _unmatched_keywords(sig: _Signature, kwargs: dict) -> list[str]:
    """The keywords torch's message calls incorrect for sig: it matches them
    against the signature's last len(kwargs) parameters (before `out`) as it
    reparses them from the printed text, where a parameter with a default
    never matches ("keepdim = False" is no "keepdim")."""
    params = sig.params
    start = max(0, len(params) - len(kwargs) - any(p.name == "out" for p in params))
    names = {p.name for p in params[start:] if not p.optional}
    return [k for k in kwargs if k not in names]


def message(name: str, texts: tuple[str, ...], hidden: bool, args: tuple, kwargs: dict) -> Optional[str]:
    """torch's TypeError message for a call no signature of `texts` takes,
    or None when one takes it (the failure was something else)."""
    numbers = name in _NUMBERS_AS_TENSORS
    kwargs = {_ALIASES.get(k, k): v for k, v in kwargs.items()}
    sigs = list(_signatures(name, texts))
    for s in sigs:
        if _fits(s, args, kwargs, numbers):
            return _unpack_error(name, s, args, kwargs)
    total = len(args) + len(kwargs)
    plausible = [s for s in sigs if s.min_args <= total <= s.max_args]
    if len(plausible) == 1 or (len(sigs) == 1 and not hidden):
        text = _specific(name, plausible[0] if plausible else sigs[0], args, kwargs, numbers)
        if text is not None:
            return text
    kwargs = dict(reversed(kwargs.items()))     # (torch's message lists the keywords last to first)
    head = f"{name}() received an invalid combination of arguments - "
    if len(sigs) == 1:
        s = sigs[0]
        got = _marked_desc(s, args, kwargs) if total == s.count else _arg_desc(args, kwargs)
        return head + f"got {got}, but expected {s.text}"
    lines = [head + f"got {_arg_desc(args, kwargs)}, but expected one of:\n"]
    for s in sigs:
        lines.append(f" * {s.text}\n")
        if total == s.count:
            bad = _unmatched_keywords(s, kwargs)
            if bad:
                lines.append("      didn't match because some of the keywords were incorrect: " + ", ".join(bad) + "\n")
            else:
                lines.append("      didn't match because some of the arguments have invalid types: "
                             f"{_marked_desc(s, args, kwargs)}\n")
    return "".join(lines)


def need_tensor(fname: str, v: Any, pname: str = "input", pos: int = 1) -> None:
    """torch's parser TypeError for a Tensor parameter given something else
    (F.gelu(1.0): "gelu(): argument 'input' (position 1) must be Tensor, not float")."""
    if not isinstance(v, Tensor):
        raise TypeError(f"{fname}(): argument '{pname}' (position {pos}) must be Tensor, not {tp_name(v)}")


def need_number(fname: str, v: Any, pname: str, pos: int) -> None:
    """torch's parser TypeError for a Number parameter given something else
    (a string, a tensor of several elements)."""
    if not isinstance(v, (bool, int, float, complex, np.number, np.bool_)) and \
            not (isinstance(v, Tensor) and v.numel() == 1):
        raise TypeError(f"{fname}(): argument '{pname}' (position {pos}) must be Number, not {tp_name(v)}")


def check_named(fname: str, params: tuple[tuple[str, str, Any], ...]) -> None:
    """Raise torch's TypeError for the first of `params` ((type, name, value))
    its parser rejects, for arguments a Python wrapper of torch's passes on
    as keywords (torch.unique's sorted=...): its message names no position."""
    for kind, pname, v in params:
        nullable = kind.endswith("?")
        p = _Param(f"{kind.rstrip('?')} {pname}" + (" = None" if nullable else ""), True)
        if not _accepts(p, v, False):
            raise TypeError(f"{fname}(): argument '{pname}' must be {p.type}, not {tp_name(v)}")


def check_positional(fname: str, params: tuple[tuple[str, str, Any], ...]) -> None:
    """Raise torch's TypeError for the first of `params` ((type as torch
    prints it, name, value), positions from 1) its parser rejects (for
    Python wrappers such as F.max_pool2d, which pass them on positionally;
    a type ending in "?" takes None too; "int[]" is a tuple of ints no lone
    int stands for)."""
    for pos, (kind, pname, v) in enumerate(params, 1):
        kind, nullable = kind.rstrip("?"), kind.endswith("?")      # ("Tensor?": None too)
        lone = kind != "int[]"      # (int[]: a tuple of ints no lone int stands for)
        kind = "tuple of ints" if kind == "int[]" else kind
        p = _Param(f"{kind} {pname}" + (" = None" if nullable else ""), False)
        p.lone_int = lone
        # (a Number takes a tensor of one element only: no verdict cache here, so its size may count)
        if not _accepts(p, v, False) or (kind in ("Number", "tuple of ints") and isinstance(v, Tensor)
                                         and v.numel() != 1):
            if kind == "tuple of ints" and isinstance(v, (tuple, list)):
                raise TypeError(f"{fname}(): argument '{pname}' (position {pos}) must be tuple of ints, but found "
                                f"element of type {type(v[0]).__name__} at pos 0")
            raise TypeError(f"{fname}(): argument '{pname}' (position {pos}) must be {kind}, not {tp_name(v)}")
        if kind == "tuple of ints" and isinstance(v, (tuple, list)):
            for i, e in enumerate(v):
                if not (isinstance(e, (bool, np.bool_)) or _int_elem(e)):
                    raise TypeError(f"{fname}(): argument '{pname}' failed to unpack the object at pos {i + 1} with "
                                    f'error "type must be tuple of ints,but got {type(e).__name__}"')


# torch's deprecated overloads its parser still takes (with a warning, once per
# process): name -> (method form, function form, the current ones printed after them)
_DEPRECATED = {
    "add": ("(Number alpha, Tensor other)", "(Tensor input, Number alpha, Tensor other, *, Tensor out = None)"),
    "sub": ("(Number alpha, Tensor other)", "(Tensor input, Number alpha, Tensor other, *, Tensor out = None)"),
}
_CURRENT = {"add": ("(Tensor other, *, Number alpha = 1)",
                    "(Tensor input, Tensor other, *, Number alpha = 1, Tensor out = None)")}
_CURRENT["sub"] = _CURRENT["add"]
_DEPRECATED["add_"] = _DEPRECATED["sub_"] = _DEPRECATED["add"]
_CURRENT["add_"] = _CURRENT["sub_"] = _CURRENT["add"]


def deprecated_inplace(name: str, other: Any, rest: tuple, kwargs: dict) -> tuple[Any, Any]:
    """x.add_(2, y): torch's deprecated (alpha, other) overload of an in-place
    method, as (other, alpha) after its warning; else torch's TypeError."""
    moved = _deprecated_form(name, True, (other, *rest), kwargs)
    if moved is None:
        n = 1 + len(rest)
        raise TypeError(f"{name}() takes 1 positional argument but {n} were given")
    return moved[0][0], moved[1]["alpha"]





def _deprecated_form(name: str, method: bool, given: tuple, kwargs: dict) -> Optional[tuple[tuple, dict]]:
    """The call in its current form (positional arguments after self, keywords)
    when it is one of torch's deprecated overloads (x.add(2, y): alpha first),
    after torch's warning; else None."""
    forms = _DEPRECATED.get(name)
    if forms is None or kwargs:
        return None
    text = forms[0] if method else forms[1]
    sig = _Signature(text)
    # (torch's Number takes no tensor of several elements: x.add(x, x) is no alpha)
    if not _fits(sig, given, {}, True) or isinstance(given[-2], Tensor):
        return None
    if WARN_ALWAYS["on"] or "deprecated overload" not in _WARNED:     # (one TORCH_WARN_ONCE site for all)
        _WARNED.add("deprecated overload")
        current = _CURRENT[name][0 if method else 1]
        warnings.warn(f"This overload of {name} is deprecated:\n\t{name}{text}\nConsider using one of the following "
                      f"signatures instead:\n\t{name}{current} (Triggered internally at "
                      "/__w/pytorch/pytorch/torch/csrc/utils/python_arg_parser.cpp:1841.)", UserWarning,
                      stacklevel=user_stacklevel())
    if method:
        alpha, other = given
        return (other,), {"alpha": alpha}
    inp, alpha, other = given
    return (inp, other), {"alpha": alpha}


def _wrap(fn: Callable, name: str, texts: tuple[str, ...], hidden: bool, method: bool) -> Callable:
    verdicts: dict = {}

    aliased = any(p.name in _ALIASES.values() for s in _signatures(name, texts) for p in s.params)

    @functools.wraps(fn)
    def checked(*args, **kwargs):
        given = args[1:] if method else args
        if kwargs and aliased and ("axis" in kwargs or "keepdims" in kwargs):
            # (torch's parser takes numpy's names of dim and keepdim wherever those are)
            kwargs = {(_ALIASES[k] if k in _ALIASES and _ALIASES[k] not in kwargs else k): v
                      for k, v in kwargs.items()}
        # (the common call, tensors and ints, is one look-up of its types)
        if (kwargs or verdicts.get(tuple(map(type, given))) is not False) and \
                rejected(verdicts, name, texts, given, kwargs):
            moved = _deprecated_form(name, method, given, kwargs)
            if moved is not None:
                return fn(*args[:1 if method else 0], *moved[0], **moved[1])
            text = message(name, texts, hidden, given, kwargs)
            if text is not None:
                raise TypeError(text)
        try:
            return fn(*args, **kwargs)
        except Exception:
            text = message(name, texts, hidden, given, kwargs)
            if text is None:
                raise
        raise TypeError(text)
    checked.__wrapped_arg_types__ = True        # type: ignore[attr-defined]
    return checked




def install_functions(namespace: dict, functions: dict[str, tuple[tuple[str, ...], bool]]) -> None:
    """Wrap the functions of `namespace` named in `functions` (no methods)."""
    for name, (texts, hidden) in functions.items():
        fn = namespace.get(name)
        if fn is not None:
            namespace[name] = _wrap(fn, name, texts, hidden, False)


def install(namespace: dict) -> None:
    """Wrap the functions of `namespace` (jitgrad's) and the Tensor methods
    named in FUNCTIONS / METHODS."""
    for name, (texts, hidden) in FUNCTIONS.items():
        fn = namespace.get(name)
        if fn is not None:
            namespace[name] = _wrap(fn, name, texts, hidden, False)
    for name in set(FUNCTIONS) | set(METHODS):
        if name in METHODS:
            texts, hidden = METHODS[name]
        else:
            forms = [_method_form(t) for t in FUNCTIONS[name][0]]
            texts, hidden = tuple(f for f in forms if f is not None), FUNCTIONS[name][1]
        fn = Tensor.__dict__.get(name)
        if fn is not None and texts and callable(fn):
            setattr(Tensor, name, _wrap(fn, name, texts, hidden, True))
