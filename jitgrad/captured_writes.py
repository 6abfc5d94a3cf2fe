"""torch.func's refusal of in-place writes to captured tensors.

Inside a grad transform's call (grad, vjp, jvp, jacrev, jacfwd, hessian)
torch raises "During a grad (vjp, jvp, grad, etc) transform, the function
provided attempted to call in-place operation (aten::add_.Tensor) that would
mutate a captured Tensor ..." when the function writes in place into a tensor
made outside the transform and not passed to it (a closed-over or global
tensor, a module's buffer), or into a view of one. jitgrad tells such a
tensor by reachability: the tensors the function can reach through its
closure, defaults, the globals its code names and the attributes of the
objects those hold (modules, bound methods, partials), found once per call
at its first in-place write. `tape.write_hook` (called before every in-place
write) checks each write while a grad transform's call runs.
"""
import dis
import functools
import inspect
import sys
import types
from typing import Optional

from .core import tape as T
from .core import upper
from .tensors.tensor import Tensor

MSG = ("During a grad (vjp, jvp, grad, etc) transform, the function provided attempted to call in-place operation "
       "({op}) that would mutate a captured Tensor. This is not supported; please rewrite the function being "
       "transformed to explicitly accept the mutated Tensor(s) as inputs.")

_MAX_DEPTH = 8
_MAX_ITEMS = 4096       # (larger containers are data, not the function's state)


class Call:
    """One grad transform's call of `func` with `arguments` (ids of the
    tensors passed): its captured tensors' ids, found on first need."""

    def __init__(self, func, arguments):
        self.func = func
        self.arguments = arguments
        self._captured = None
        self.chained = None     # a write hook that was set before (replay's journal): still called
        self.depth = 0          # vmap depth at the call (a deeper vmap's writes follow vmap's rules)

    def captures(self, t) -> bool:
        if self._captured is None:
            self._captured = reachable_tensors(self.func) - self.arguments
        return id(t) in self._captured


def reachable_tensors(func) -> set:
    """Ids of the tensors `func` can reach without being passed them."""
    found, seen = set(), set()
    todo = [(func, 0)]
    while todo:
        obj, depth = todo.pop()
        if id(obj) in seen or depth > _MAX_DEPTH:
            continue
        seen.add(id(obj))
        if isinstance(obj, Tensor):
            found.add(id(obj))
            continue
        todo.extend((child, depth + 1) for child in _children(obj))
    return found


def _children(obj):
    if isinstance(obj, (str, bytes, int, float, complex, bool, type, types.ModuleType)) or obj is None:
        return ()
    if isinstance(obj, (list, tuple, set, frozenset)):
        return obj if len(obj) <= _MAX_ITEMS else ()
    if isinstance(obj, dict):
        return list(obj.values()) if len(obj) <= _MAX_ITEMS else ()
    if isinstance(obj, types.FunctionType):
        return _function_children(obj)
    if isinstance(obj, types.MethodType):
        return (obj.__self__, obj.__func__)
    if isinstance(obj, functools.partial):
        return (obj.func, obj.args, obj.keywords)
    d = getattr(obj, "__dict__", None)
    return list(d.values()) if isinstance(d, dict) else ()


def _function_children(fn):
    out = [c.cell_contents for c in fn.__closure__ or () if _filled(c)]
    out += list(fn.__defaults__ or ()) + list((fn.__kwdefaults__ or {}).values())
    g = fn.__globals__
    codes = [fn.__code__]
    while codes:
        code = codes.pop()
        out += [g[n] for n in code.co_names if n in g]
        codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    return out


def _filled(cell):
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True


# ----- the check ----------------------------------------------------------------

def enter(call: Call) -> None:
    """A grad transform's call begins (innermost last): writes are checked
    until it ends (a hook that was set, replay's journal, still runs)."""
    state = upper.VMAP
    calls = getattr(state, "grad_calls", ())
    prev = T.write_hook
    call.chained = (calls[-1].chained if calls else None) if prev is _check else prev
    call.depth = getattr(state, "depth", 0)
    state.grad_calls = calls + (call,)
    T.write_hook = _check     # type: ignore[assignment]


def leave(call: Call) -> None:
    state = upper.VMAP
    state.grad_calls = state.grad_calls[:-1]
    if T.write_hook is _check and not state.grad_calls:
        T.write_hook = call.chained


def _check(t):
    calls = getattr(upper.VMAP, "grad_calls", ())
    if not calls:
        return
    call = calls[-1]
    if call.chained is not None:
        call.chained(t)
    # (a vmap inside this call: torch's vmap rules apply there instead)
    if getattr(upper.VMAP, "depth", 0) > call.depth:
        return
    if any(call.captures(s) for s in _storages(t)):
        raise RuntimeError(MSG.format(op=_torch_op_name()))


def _storages(t):
    """t and the tensors whose storage a write to t writes (a view's root,
    the tensor of an `x.data`)."""
    yield t
    view = t._view
    if view is not None and view.root is not None:
        yield view.root
    d = t.__dict__
    of = d.get("_data_of")
    if of is not None and of() is not None:
        yield of()
    if d.get("_writes_to") is not None:
        yield d["_writes_to"]


# torch's overload names of the in-place ops whose argument may be a number or a tensor:
# method -> position of that argument (self at 0)
_SCALAR_OR_TENSOR = {"fill_": 1, "masked_fill_": 2, "lerp_": 2, "pow_": 1}
_AUGMENTED = {"+=": "add_", "-=": "sub_", "*=": "mul_", "/=": "div_", "**=": "pow_"}
_DUNDERS = {"__iadd__": "add_", "__isub__": "sub_", "__imul__": "mul_", "__itruediv__": "div_", "__ipow__": "pow_",
            "__setitem__": None}


def _torch_op_name() -> str:
    """aten::<op> of the in-place call the user made: the method or operator
    at the user's frame's current instruction, its overload from the
    arguments the outermost jitgrad frame got."""
    frame: Optional[types.FrameType] = sys._getframe(1)
    entry = None
    while frame is not None:
        if frame.f_globals.get("__name__", "").startswith("jitgrad"):
            entry = frame
        elif entry is not None:
            break
        frame = frame.f_back
    if frame is None or entry is None:
        return "aten::copy_"
    name = _called_name(frame)
    code = entry.f_code
    args = [entry.f_locals.get(n) for n in code.co_varnames[:code.co_argcount]]
    if code.co_flags & inspect.CO_VARARGS:
        args += list(entry.f_locals.get(code.co_varnames[code.co_argcount + code.co_kwonlyargcount], ()))
    if name is None:        # x[key] = v
        key = args[1] if len(args) > 1 else None
        keys = key if isinstance(key, tuple) else (key,)
        advanced = any(isinstance(k, (Tensor, list)) for k in keys)
        return "aten::index_put_" if advanced else "aten::copy_"
    if not name.endswith("_"):
        name += "_"         # (functional forms with inplace=True: relu -> relu_)
    if name in ("add_", "sub_", "mul_", "div_"):
        mode = name == "div_" and entry.f_locals.get("rounding_mode") is not None
        return f"aten::{name}.Tensor{'_mode' if mode else ''}"
    at = _SCALAR_OR_TENSOR.get(name)
    if at is not None:
        return f"aten::{name}.{'Tensor' if len(args) > at and isinstance(args[at], Tensor) else 'Scalar'}"
    if name == "scatter_":
        return "aten::scatter_.src" if len(args) > 3 and isinstance(args[3], Tensor) else "aten::scatter_.value"
    return f"aten::{name}"


def _called_name(frame):
    """The method or augmented operator the frame is running (None: a
    subscript store, or not found): the line's instructions run on a model
    of the value stack that tags the values LOAD_METHOD / LOAD_ATTR push."""
    code, at = frame.f_code, frame.f_lasti
    ins = list(dis.get_instructions(code))
    start, target = 0, None
    for i, x in enumerate(ins):
        if x.offset > at:      # (f_lasti may point into the instruction's inline caches)
            break
        target = x.offset
        if x.starts_line is not None:
            start = i
    at = target
    stack: list = []
    for x in ins[start:]:
        op = x.opname
        if x.offset == at:
            if op == "STORE_SUBSCR":
                return None
            if op == "BINARY_OP":
                return _AUGMENTED.get(x.argrepr)
            if op in ("CALL", "PRECALL"):
                tags = [v for v in stack[-(x.arg + 2):-x.arg or None] if v is not None]
                return _DUNDERS.get(tags[-1], tags[-1]) if tags else None
            return None
        if op == "LOAD_METHOD":
            stack[-1:] = [x.argval, None]
        elif op == "LOAD_ATTR":
            stack[-1:] = [x.argval]
        elif op == "CALL":
            del stack[len(stack) - x.arg - 2:]
            stack.append(None)
        elif op not in ("PRECALL", "KW_NAMES", "CACHE", "NOP", "RESUME"):
            try:
                effect = dis.stack_effect(x.opcode, x.arg, jump=False) if x.opcode >= dis.HAVE_ARGUMENT \
                    else dis.stack_effect(x.opcode)
            except ValueError:
                return None
            if effect < 0:
                del stack[len(stack) + effect:]
            else:
                stack.extend([None] * effect)
    return None
