"""Tensor.register_post_accumulate_grad_hook: a hook called with a leaf
after backward has accumulated its .grad (autodiff.engine calls them), as
torch's optimizer-in-backward idiom uses it."""
from __future__ import annotations

import itertools
from typing import Callable

from ..tensors.tensor import Tensor

_ids = itertools.count()


class _Handle:
    """torch.utils.hooks.RemovableHandle of one post-accumulate hook."""

    def __init__(self, hooks: dict, key: int):
        self._hooks, self.id = hooks, key

    def remove(self) -> None:
        self._hooks.pop(self.id, None)

    def __enter__(self) -> "_Handle":
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def register_post_accumulate_grad_hook(self: Tensor, hook: Callable[[Tensor], None]) -> _Handle:
    if self._name is not None:
        raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
    if not self._rg:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if self._post_acc_hooks is None:
        self._post_acc_hooks = {}
    key = next(_ids)
    self._post_acc_hooks[key] = hook
    return _Handle(self._post_acc_hooks, key)


Tensor._post_acc_hooks = None
Tensor.register_post_accumulate_grad_hook = register_post_accumulate_grad_hook
