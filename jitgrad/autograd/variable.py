"""torch.autograd.Variable, from old tutorials: ``Variable(t, requires_grad=True)``
is a new leaf sharing t's data (t.detach().requires_grad_()), and every
tensor is an instance of Variable."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..tensors.tensor import Tensor


class _VariableMeta(type):
    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor)


class Variable(metaclass=_VariableMeta):
    def __new__(cls, data: Tensor | None = None, requires_grad: bool = False, volatile: bool = False) -> Tensor:
        if data is None:
            return Tensor._wrap(np.zeros(0, np.float32))
        if not isinstance(data, Tensor):
            raise TypeError("Variable data has to be a tensor, but got " + type(data).__name__)
        return data.detach().requires_grad_(requires_grad)
