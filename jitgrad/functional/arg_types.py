"""torch's TypeErrors for arguments of the wrong type (its python_arg_parser).

A function given an argument no overload takes fails in torch before any
work, with one of two messages: when a single overload is plausible by the
number of arguments, "add(): argument 'other' (position 2) must be Tensor,
not str" (no position for a keyword argument); else "sum() received an
invalid combination of arguments - got (Tensor, dim=str), but expected one
of:" with every overload, and under the overloads whose argument count
matches (the bare `*` counts as one, an empty `()` as one), "didn't match
because some of the arguments have invalid types: (!str!)".

The wrappers (`install`) check nothing on a call that succeeds: only when
jitgrad's own code raised are the arguments checked against torch's
signatures, and torch's message replaces the error when one is wrong
(else the original error stands). Signatures are torch 2.13's, as its
messages print them.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Optional

import numpy as np

from ..core import dtypes as D
from ..tensors.tensor import Tensor

_STD_VAR = ("(Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False, *, Tensor out = None)",
            "(Tensor input, tuple of ints dim = None, *, Number correction = None, bool keepdim = False, "
            "Tensor out = None)",
            "(Tensor input, bool unbiased = True)")
_STD_VAR_MEAN = ("(Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False)",
                 "(Tensor input, tuple of ints dim = None, *, Number correction = None, bool keepdim = False)",
                 "(Tensor input, bool unbiased = True)")
_ALL_ANY = ("(Tensor input, *, Tensor out = None)",
            "(Tensor input, tuple of ints dim = None, bool keepdim = False, *, Tensor out = None)",
            "(Tensor input, int dim, bool keepdim = False, *, Tensor out = None)")
# (a creation function's keywords between `out` and requires_grad)
_OPTS = ("torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, "
         "bool pin_memory = False, ")
_MEDIAN = ("(Tensor input)", "(Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)")
# name -> (the function's signatures as torch prints them, whether torch has hidden
# overloads too (deprecated, Dimname): then a lone signature that doesn't fit the
# argument count gives the "invalid combination" message, not "takes N positional")
FUNCTIONS: dict[str, tuple[tuple[str, ...], bool]] = {
    "add": (("(Tensor input, Tensor other, *, Number alpha = 1, Tensor out = None)",), True),
    "sub": (("(Tensor input, Tensor other, *, Number alpha = 1, Tensor out = None)",), True),
    "mul": (("(Tensor input, Tensor other, *, Tensor out = None)",), False),
    "div": (("(Tensor input, Tensor other, *, Tensor out = None)",
             "(Tensor input, Tensor other, *, str rounding_mode, Tensor out = None)",
             "(Tensor input, Number other, *, str rounding_mode)"), False),
    "sum": (("(Tensor input, *, torch.dtype dtype = None)",
             "(Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None, "
             "Tensor out = None)"), True),
    "mean": (("(Tensor input, *, torch.dtype dtype = None, Tensor out = None)",
              "(Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None, "
              "Tensor out = None)"), True),
    "prod": (("(Tensor input, *, torch.dtype dtype = None)",
              "(Tensor input, int dim, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)"),
             True),
    "clamp": (("(Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)",
               "(Tensor input, Number min = None, Number max = None, *, Tensor out = None)"), False),
    "matmul": (("(Tensor input, Tensor other, *, Tensor out = None)",), False),
    "mm": (("(Tensor input, Tensor mat2, *, Tensor out = None)",
            "(Tensor input, Tensor mat2, torch.dtype out_dtype, *, Tensor out = None)"), False),
    "pow": (("(Tensor input, Tensor exponent, *, Tensor out = None)",
             "(Number self, Tensor exponent, *, Tensor out = None)",
             "(Tensor input, Number exponent, *, Tensor out = None)"), False),
    "max": (("(Tensor input, *, Tensor out = None)", "(Tensor input, Tensor other, *, Tensor out = None)",
             "(Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)"), True),
    "min": (("(Tensor input, *, Tensor out = None)", "(Tensor input, Tensor other, *, Tensor out = None)",
             "(Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)"), True),
    "where": (("(Tensor condition)", "(Tensor condition, Tensor input, Tensor other, *, Tensor out = None)",
               "(Tensor condition, Number self, Tensor other)", "(Tensor condition, Tensor input, Number other)",
               "(Tensor condition, Number self, Number other)"), False),
    "squeeze": (("(Tensor input)", "(Tensor input, int dim)", "(Tensor input, tuple of ints dim)"), True),
    "cat": (("(tuple of Tensors tensors, int dim = 0, *, Tensor out = None)",), False),
    "stack": (("(tuple of Tensors tensors, int dim = 0, *, Tensor out = None)",), False),
    "transpose": (("(Tensor input, int dim0, int dim1)",), False),
    "unsqueeze": (("(Tensor input, int dim)",), False),
    "softmax": (("(Tensor input, int dim, torch.dtype dtype = None)",), False),
    "log_softmax": (("(Tensor input, int dim, torch.dtype dtype = None, *, Tensor out = None)",), False),
    "argmax": (("(Tensor input, int dim = None, bool keepdim = False, *, Tensor out = None)",), False),
    "argmin": (("(Tensor input, int dim = None, bool keepdim = False, *, Tensor out = None)",), False),
    "cumsum": (("(Tensor input, int dim, *, torch.dtype dtype = None, Tensor out = None)",), False),
    "cumprod": (("(Tensor input, int dim, *, torch.dtype dtype = None, Tensor out = None)",), False),
    "flatten": (("(Tensor input, int start_dim = 0, int end_dim = -1)",), False),
    "topk": (("(Tensor input, int k, int dim = -1, bool largest = True, bool sorted = True, *, "
              "tuple of Tensors out = None)",), False),
    "reshape": (("(Tensor input, tuple of ints shape)",), False),
    "chunk": (("(Tensor input, int chunks, int dim = 0)",), False),
    "gather": (("(Tensor input, int dim, Tensor index, *, bool sparse_grad = False, Tensor out = None)",), True),
    "index_select": (("(Tensor input, int dim, Tensor index, *, Tensor out = None)",), True),
    "scatter": (("(Tensor input, int dim, Tensor index, Tensor src, *, Tensor out = None)",
                 "(Tensor input, int dim, Tensor index, Tensor src, *, str reduce, Tensor out = None)",
                 "(Tensor input, int dim, Tensor index, Number value, *, Tensor out = None)",
                 "(Tensor input, int dim, Tensor index, Number value, *, str reduce, Tensor out = None)"), True),
    "masked_fill": (("(Tensor input, Tensor mask, Tensor value)", "(Tensor input, Tensor mask, Number value)"),
                    True),
    "all": (_ALL_ANY, True),
    "any": (_ALL_ANY, True),
    "nansum": (("(Tensor input, tuple of ints dim = None, bool keepdim = False, *, torch.dtype dtype = None, "
                "Tensor out = None)",), False),
    "nanmean": (("(Tensor input, tuple of ints dim = None, bool keepdim = False, *, torch.dtype dtype = None, "
                 "Tensor out = None)",), False),
    "aminmax": (("(Tensor input, *, int dim = None, bool keepdim = False, tuple of Tensors out = None)",), False),
    "var_mean": (_STD_VAR_MEAN, True),
    "std_mean": (_STD_VAR_MEAN, True),
    "cummax": (("(Tensor input, int dim, *, tuple of Tensors out = None)",), True),
    "cummin": (("(Tensor input, int dim, *, tuple of Tensors out = None)",), True),
    "logcumsumexp": (("(Tensor input, int dim, *, Tensor out = None)",), True),
    "flip": (("(Tensor input, tuple of ints dims)",), False),
    "select": (("(Tensor input, int dim, int index)",), True),
    "tril": (("(Tensor input, int diagonal = 0, *, Tensor out = None)",), False),
    "triu": (("(Tensor input, int diagonal = 0, *, Tensor out = None)",), False),
    "swapdims": (("(Tensor input, int dim0, int dim1)",), False),
    "swapaxes": (("(Tensor input, int axis0, int axis1)",), False),
    "round": (("(Tensor input, *, Tensor out = None)", "(Tensor input, *, int decimals, Tensor out = None)"), False),
    "isclose": (("(Tensor input, Tensor other, float rtol = 1e-05, float atol = 1e-08, bool equal_nan = False)",),
                False),
    "equal": (("(Tensor input, Tensor other)",), False),
    "diag": (("(Tensor input, int diagonal = 0, *, Tensor out = None)",), False),
    "diagonal": (("(Tensor input, int offset = 0, int dim1 = 0, int dim2 = 1)",), True),
    "unbind": (("(Tensor input, int dim = 0)",), True),
    "renorm": (("(Tensor input, Number p, int dim, Number maxnorm, *, Tensor out = None)",), False),
    "arange": (tuple(t.replace("OUT, ", _OPTS) for t in (
        "(Number end, *, Tensor out = None, OUT, bool requires_grad = False)",
        "(Number start, Number end, *, OUT, bool requires_grad = False)",
        "(Number start, Number end, Number step = 1, *, Tensor out = None, OUT, bool requires_grad = False)")),
        False),
    "eye": (("(int n, *, Tensor out = None, " + _OPTS + "bool requires_grad = False)",
             "(int n, int m, *, Tensor out = None, " + _OPTS + "bool requires_grad = False)"), False),
    "randperm": (("(int n, *, torch.Generator generator, Tensor out = None, " + _OPTS + "bool requires_grad = False)",
                  "(int n, *, Tensor out = None, " + _OPTS + "bool requires_grad = False)"), False),
    "linspace": (tuple(f"({a} start, {b} end, int steps, *, Tensor out = None, " + _OPTS + "bool requires_grad = False)"
                       for a, b in (("Tensor", "Tensor"), ("Number", "Tensor"), ("Tensor", "Number"),
                                    ("Number", "Number"))), False),
    "hstack": (("(tuple of Tensors tensors, *, Tensor out = None)",), False),
    "vstack": (("(tuple of Tensors tensors, *, Tensor out = None)",), False),
    "dstack": (("(tuple of Tensors tensors, *, Tensor out = None)",), False),
    "column_stack": (("(tuple of Tensors tensors, *, Tensor out = None)",), False),
    "std": (_STD_VAR, True),
    "var": (_STD_VAR, True),
    "amax": (("(Tensor input, tuple of ints dim = None, bool keepdim = False, *, Tensor out = None)",), False),
    "amin": (("(Tensor input, tuple of ints dim = None, bool keepdim = False, *, Tensor out = None)",), False),
    "logsumexp": (("(Tensor input, tuple of ints dim, bool keepdim = False, *, Tensor out = None)",), True),
    "median": (_MEDIAN, True),
    "nanmedian": (_MEDIAN, True),
    "kthvalue": (("(Tensor input, int k, int dim = -1, bool keepdim = False, *, tuple of Tensors out = None)",),
                 True),
    "mode": (("(Tensor input, int dim = -1, bool keepdim = False, *, tuple of Tensors out = None)",), True),
    "sort": (("(Tensor input, *, bool stable, int dim = -1, bool descending = False, tuple of Tensors out = None)",
              "(Tensor input, int dim = -1, bool descending = False, *, tuple of Tensors out = None)"), True),
    "argsort": (("(Tensor input, *, bool stable, int dim = -1, bool descending = False, Tensor out = None)",
                 "(Tensor input, int dim = -1, bool descending = False)"), True),
    "permute": (("(Tensor input, tuple of ints dims)",), False),
}
# methods whose signatures are not the functions' without `input` and `out`
METHODS: dict[str, tuple[tuple[str, ...], bool]] = {
    "mm": (("(Tensor mat2)",), False),
    "view": (("(torch.dtype dtype)", "(tuple of ints size)"), False),
    "reshape": (("(tuple of ints shape)",), False),
    "expand": (("(tuple of ints size, *, bool implicit = False)",), False),
    "repeat": (("(tuple of ints repeats)",), False),
    "permute": (("(tuple of ints dims)",), False),
}
# functions whose Tensor `other` also takes a Python number (torch's numbers-as-tensors)
_NUMBERS_AS_TENSORS = frozenset(("add", "sub", "mul", "div"))
# parameters that take None though torch prints them without "= None" (int[1]? dim)
_NULLABLE_BARE = {("sum", "dim"), ("mean", "dim"), ("std", "dim"), ("var", "dim"), ("std_mean", "dim"),
                  ("var_mean", "dim")}
# tuple-of-ints parameters of no fixed size (int[], not int[1]): a lone int is no
# tuple there (torch.flip(x, 0) fails; x.flip(0) is the varargs form)
_NO_LONE_INT = {("flip", "dims")}
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
        return isinstance(v, Tensor) or (numbers and p.name == "other" and isinstance(v, (bool, int, float, complex)))
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


def _arg_desc(args: tuple, kwargs: dict) -> str:
    parts = [type(a).__name__ + ", " for a in args] + [f"{k}={type(v).__name__}, " for k, v in kwargs.items()]
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
        ok = p is not None and _shown_match(p.type, v)
        key = "" if i < len(args) else f"{list(kwargs)[i - len(args)]}="
        if isinstance(v, (tuple, list)):
            inner = ", ".join(type(e).__name__ for e in v)
            shown = f"tuple of ({inner}{',' if len(v) == 1 else ''})" if isinstance(v, tuple) else f"list of [{inner}]"
        else:
            shown = type(v).__name__
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
        lo, hi = sig.min_args - sum(p.kw_only and not p.optional for p in sig.params), sig.max_pos
        span = f"{hi}" if lo == hi else f"from {lo} to {hi}"
        return (f"{name}() takes {span} positional argument{'' if hi == 1 else 's'} but {n} "
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
                return f"{name}(): argument '{p.name}' (position {pos}) must be {p.type}, not {type(v).__name__}"
        elif p.name not in kwargs and not p.optional:
            missing = [f'"{q.name}"' for q in sig.params[i:] if not q.optional and q.name not in kwargs]
            # (torch's plural: "arguments" for one)
            return (f"{name}() missing {len(missing)} required positional argument{'s' if len(missing) == 1 else ''}"
                    f": {', '.join(missing)}")
        elif p.name in kwargs:
            v = kwargs[p.name]
            if not _accepts(p, v, numbers):
                return f"{name}(): argument '{p.name}' must be {p.type}, not {type(v).__name__}"
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
            if (name, p.name) in _NULLABLE_BARE:
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
        if not _accepts(p, v, False):
            if kind == "tuple of ints" and isinstance(v, (tuple, list)):
                raise TypeError(f"{fname}(): argument '{pname}' (position {pos}) must be tuple of ints, but found "
                                f"element of type {type(v[0]).__name__} at pos 0")
            raise TypeError(f"{fname}(): argument '{pname}' (position {pos}) must be {kind}, not {type(v).__name__}")
        if kind == "tuple of ints" and isinstance(v, (tuple, list)):
            for i, e in enumerate(v):
                if not (isinstance(e, (bool, np.bool_)) or _int_elem(e)):
                    raise TypeError(f"{fname}(): argument '{pname}' failed to unpack the object at pos {i + 1} with "
                                    f'error "type must be tuple of ints,but got {type(e).__name__}"')


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


_CONV = ("(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, tuple of ints padding = 0, "
         "tuple of ints dilation = 1, int groups = 1)",
         "(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, str padding = \"valid\", "
         "tuple of ints dilation = 1, int groups = 1)")
# torch.nn.functional's functions that are torch's C functions (their arguments
# meet its parser as given): jitgrad's Python ones int() a 1.5 stride
NN_FUNCTIONS: dict[str, tuple[tuple[str, ...], bool]] = {
    "conv1d": (_CONV, False),
    "conv2d": (_CONV, False),
    "conv3d": (_CONV, False),
    "avg_pool2d": (("(Tensor input, tuple of ints kernel_size, tuple of ints stride = None, tuple of ints padding = 0, "
                    "bool ceil_mode = False, bool count_include_pad = True, int divisor_override = None)",), False),
    "one_hot": (("(Tensor input, int num_classes = -1)",), False),
}


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
