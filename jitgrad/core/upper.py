"""Entry points of upper layers that a lower layer calls, set by the package
(`jitgrad/__init__.py`) so imports keep pointing down: `compile_hook` is
`jitgrad.compile` (the replay layer, above `nn`), which `nn.Module.compile`
calls. Read it through this module (`upper.compile_hook`), never import the
name: it is set after import."""
import threading
from typing import Any, Callable, Optional

compile_hook: Optional[Callable[..., Any]] = None
# replay.compiled_grad.vmap_jacobian (loaded on first use): vmap(jacrev(f))'s points at once, or None
vmap_jacobian: Optional[Callable[..., Any]] = None

# forward_ad.has_tangent (set by autograd.forward_ad): whether a tensor carries a tangent at
# the open dual level (an in-place op of a tensor with itself follows torch's tangent rule)
has_tangent: Optional[Callable[[Any], bool]] = None
# forward_ad's: a dual made by make_dual(p, t) was written in place (torch writes its new tangent into t)
dual_written: Optional[Callable[[Any, Any], None]] = None

# linalg.matrix_norm (set by jitgrad.linalg): Tensor.norm with a matrix order ('nuc', or 'fro'
# over more than two dims) is torch.linalg.matrix_norm's call
matrix_norm: Optional[Callable[..., Any]] = None

# Inside torch.func.vmap's calls (a count per thread): a recorded function's
# reads of values that come from its arguments are torch's vmap errors.
VMAP = threading.local()


def captured_by_grad_transform(t: Any) -> bool:
    """Whether an in-place write to t, now, mutates a tensor captured by the
    innermost torch.func grad transform (not one of its call's arguments,
    whose ids `transforms._transformed` keeps in VMAP.arguments): torch's
    "During a grad (vjp, jvp, grad, etc) transform ..." error. Inside vmap
    (depth) torch's vmap rules apply instead."""
    arguments = getattr(VMAP, "arguments", ())
    return bool(arguments) and not getattr(VMAP, "depth", 0) and id(t) not in arguments[-1]


def vmap_fallback_warning(op: str) -> bool:
    """Whether torch's "performance drop ... batching rule for aten::<op>"
    warning is due now: once per vmap call (jitgrad calls the function per
    point; torch's fallback loop warns once)."""
    warned = getattr(VMAP, "fallback_warned", None)
    if warned is None or op in warned:
        return False
    warned.add(op)
    return True
