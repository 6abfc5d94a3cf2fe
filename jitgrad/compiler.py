"""torch.compiler for code written against torch.compile: `compile` is
jitgrad.compile; the dynamo controls are pass-throughs or no-ops, which is
right for jitgrad.compile: it records by running the function's Python and
guards what would change, so a function left uncompiled (`disable`) or
treated as one opaque call (`allow_in_graph`) computes the same values as a
recorded one. is_compiling() is True while jitgrad.compile records, as
torch's is while dynamo traces."""
from __future__ import annotations

import contextlib
import functools
from typing import Any, Callable, TypeVar

from .replay.compiled_grad import compile
from .tensors import tensor as _TT

__all__ = ["compile", "reset", "disable", "is_compiling", "is_dynamo_compiling", "is_exporting", "allow_in_graph",
           "assume_constant_result", "set_stance", "list_backends", "cudagraph_mark_step_begin",
           "nested_compile_region", "substitute_in_graph"]

_F = TypeVar("_F", bound=Callable)


def reset() -> None:
    """torch's clears dynamo's caches; jitgrad.compile's caches live on each
    compiled function (dropped with it), so there is nothing global to clear."""


def disable(fn: Any = None, recursive: bool = True, *, reason: str | None = None) -> Any:
    """`fn` unchanged (or, without fn, a decorator returning its argument): a
    disabled function runs its Python eagerly in torch; under jitgrad.compile
    it is recorded and guarded like the rest, with the same values."""
    if fn is None:
        return functools.partial(disable, recursive=recursive, reason=reason)
    return fn


def is_compiling() -> bool:
    """Whether jitgrad.compile is recording on this thread (torch: dynamo tracing)."""
    hook = _TT._guard_hook
    return hook is not None and bool(hook.recording())


def is_dynamo_compiling() -> bool:
    return is_compiling()


def is_exporting() -> bool:
    """Always False: jitgrad has no torch.export."""
    return False


def allow_in_graph(fn: _F) -> _F:
    """`fn` unchanged: jitgrad.compile records whatever fn computes."""
    return fn


def assume_constant_result(fn: _F) -> _F:
    """`fn`, marked as torch marks it: jitgrad.compile guards fn's Python-level result instead of assuming it constant."""
    fn._dynamo_marked_constant = True  # type: ignore[attr-defined]
    return fn


def nested_compile_region(fn: Any = None, **options: Any) -> Any:
    """`fn` unchanged (or a decorator): jitgrad.compile records the region with its caller."""
    if fn is None:
        return lambda f: f
    return fn


def substitute_in_graph(original_fn: Callable, *, can_constant_fold_through: bool = False,
                        skip_signature_check: bool = False) -> Callable[[_F], _F]:
    """A decorator returning the polyfill it decorates (what torch's returns to eager callers)."""
    return lambda polyfill: polyfill


class _Stance(contextlib.ContextDecorator):
    def __enter__(self) -> "_Stance":
        return self

    def __exit__(self, *exc: Any) -> None:
        return None


def set_stance(stance: str = "default", *, skip_guard_eval_unsafe: bool = False,
               force_backend: Any = None) -> _Stance:
    """Accepted and without effect (jitgrad.compile has one stance); usable as a
    call, a context manager or a decorator, as torch's."""
    return _Stance()


def list_backends(exclude_tags: Any = ("debug", "experimental")) -> list[str]:
    """jitgrad.compile has one backend (Numba replay); torch's backend names are accepted and ignored."""
    return ["jitgrad"]


def cudagraph_mark_step_begin() -> None:
    """No CUDA graphs here: nothing to mark."""
