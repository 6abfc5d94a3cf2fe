"""torch.einsum from recorded ops: repeated subscripts (``ii``, ``bii->bi``)
are a gather of the diagonal, ``...`` stands for the broadcast leading dims,
a two-operand contraction is one (batched) matmul, anything else a
broadcasting product and a sum. Gradients of any order come by composition."""
from __future__ import annotations

import math
import string

import numpy as np

from . import functions as F
from ..tensors.construct import tensor
from ..tensors.tensor import Tensor

__all__ = ["einsum"]


def _t(x) -> Tensor:
    return x if isinstance(x, Tensor) else tensor(x)


def _expand_ellipsis(terms: list, rhs: str | None, ops: list, free: str) -> tuple:
    """Replace '...' by letters of `free` (one per broadcast dim, right-aligned)."""
    width = 0
    for i, (term, x) in enumerate(zip(terms, ops)):
        if "..." in term:
            width = max(width, x.ndim - (len(term) - 3))
        elif len(term) != x.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(term)}) does not match "
                               f"the number of dimensions ({x.ndim}) for operand {i} and no ellipsis was given")
    dots = free[:width]
    out = []
    for i, (term, x) in enumerate(zip(terms, ops)):
        if "..." in term:
            n = x.ndim - (len(term) - 3)
            if n < 0:
                raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(term) - 3}) is more "
                                   f"than the number of dimensions ({x.ndim}) for operand {i}")
            term = term.replace("...", dots[width - n:])
        out.append(term)
    if rhs is not None:
        rhs = rhs.replace("...", dots)
    return out, rhs, dots


def _take_diagonals(term: str, x: Tensor) -> tuple:
    """x with each repeated subscript of `term` reduced to its diagonal."""
    if len(set(term)) == len(term):
        return term, x
    unique = "".join(dict.fromkeys(term))
    for c in unique:
        sizes = {s for t, s in zip(term, x.shape) if t == c}
        if len(sizes) > 1:
            raise RuntimeError(f"einsum(): subscript {c} is repeated for operand 0 but the sizes don't match, "
                               f"{max(sizes)} != {min(sizes)}")
    pos = np.einsum(f"{term}->{unique}", np.arange(max(x.numel(), 1), dtype=np.int64).reshape(x.shape))
    return unique, F._gather_tensor(x, pos.ravel(), pos.shape)


def _align(term: str, x: Tensor, letters: list) -> Tensor:
    """x permuted into `letters` order with size-1 dims for letters it lacks."""
    order = sorted(range(len(term)), key=lambda i: letters.index(term[i]))
    y = F.permute(x, order) if x.ndim > 1 else x
    present = sorted(term, key=letters.index)
    return F.reshape(y, [y.shape[present.index(c)] if c in present else 1 for c in letters])


def _contract_pair(ta: str, a: Tensor, tb: str, b: Tensor, rhs: str) -> Tensor | None:
    """A two-operand einsum as one batched matmul, or None when the sizes
    broadcast (a size-1 dim against a larger one)."""
    size = {}
    for term, x in ((ta, a), (tb, b)):
        for c, s in zip(term, x.shape):
            if size.setdefault(c, s) != s:
                return None
    # Letters only one operand has and the output drops: summed first.
    drop_a = [i for i, c in enumerate(ta) if c not in tb and c not in rhs]
    drop_b = [i for i, c in enumerate(tb) if c not in ta and c not in rhs]
    if drop_a:
        a, ta = F.sum(a, tuple(drop_a)), "".join(c for i, c in enumerate(ta) if i not in drop_a)
    if drop_b:
        b, tb = F.sum(b, tuple(drop_b)), "".join(c for i, c in enumerate(tb) if i not in drop_b)
    batch = [c for c in ta if c in tb and c in rhs]
    summed = [c for c in ta if c in tb and c not in rhs]
    only_a = [c for c in ta if c not in tb]
    only_b = [c for c in tb if c not in ta]
    if not summed and not only_a and not only_b:
        return None     # an elementwise product: no matmul to do
    pa = F.permute(a, [ta.index(c) for c in batch + only_a + summed]) if a.ndim > 1 else a
    pb = F.permute(b, [tb.index(c) for c in batch + summed + only_b]) if b.ndim > 1 else b
    nb, na, ns, nn = (math.prod(size[c] for c in g) for g in (batch, only_a, summed, only_b))
    if ns == 1:     # torch multiplies over a size-1 contraction: each product as it is (-0.0 kept)
        prod = F.reshape(pa, (nb, na, 1)) * F.reshape(pb, (nb, 1, nn))
    else:
        prod = F.matmul(F.reshape(pa, (nb, na, ns)), F.reshape(pb, (nb, ns, nn)))
    got = batch + only_a + only_b
    out = F.reshape(prod, [size[c] for c in got])
    order = [got.index(c) for c in rhs]
    return F.permute(out, order) if len(order) > 1 and order != sorted(order) else out


def _invalid(i: int) -> RuntimeError:
    return RuntimeError(f"einsum(): invalid subscript given at index {i} in the equation string, subscripts must be "
                        "in [a-zA-Z]")


def _check_equation(equation: str, nops: int) -> None:
    """torch's parse of the equation: its characters, operand count and output subscripts."""
    arrow = equation.find("->")
    lhs_end = len(equation) if arrow < 0 else arrow
    op, i = 0, 0
    while i < lhs_end:
        c = equation[i]
        if c == ".":
            if equation[i:i + 3] != "..." or i + 3 > lhs_end:
                raise RuntimeError(f"einsum(): found '.' for operand {op} that is not part of any ellipsis")
            i += 3
            continue
        if c == ",":
            op += 1
        elif c != " " and not (c.isascii() and c.isalpha()):
            raise _invalid(i)
        i += 1
    if nops < op + 1:
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if nops > op + 1:
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    if arrow < 0:
        return
    seen, ellipsis, i = set(), False, arrow + 2
    lhs = set(equation[:lhs_end])
    while i < len(equation):
        c = equation[i]
        if c == ".":
            if ellipsis or equation[i:i + 3] != "...":
                raise RuntimeError("einsum(): found '.' for output but an ellipsis (...) was already found" if ellipsis
                                   else "einsum(): found '.' for output that is not part of any ellipsis (...)")
            ellipsis, i = True, i + 3
            continue
        if c != " ":
            if not (c.isascii() and c.isalpha()):
                raise _invalid(i)
            if c in seen:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in the output")
            if c not in lhs:
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the equation for any input "
                                   "operand")
            seen.add(c)
        i += 1


def _sublist_term(sublist) -> str:
    """One sublist of the sublist form ([0, 1], [..., 2]) as equation letters."""
    term = ""
    for s in sublist:
        if s is Ellipsis:
            term += "..."
            continue
        if not 0 <= s < 52:
            raise ValueError("einsum(): subscript in subscript list is not within the valid range [0, 52)")
        term += string.ascii_letters[s]
    return term


def _from_sublists(args: tuple) -> tuple:
    """einsum(op0, sublist0, op1, sublist1, ..., [sublist_out]) as (equation, operands)."""
    pairs, out = (args[:-1], args[-1]) if len(args) % 2 else (args, None)
    lhs = ",".join(_sublist_term(s) for s in pairs[1::2])
    return lhs + ("" if out is None else "->" + _sublist_term(out)), pairs[0::2]


def einsum(equation, *operands):
    """torch.einsum(equation, *operands) (or a list of operands), or the
    sublist form einsum(op0, sublist0, op1, sublist1, ..., [sublist_out])."""
    if not isinstance(equation, str):
        equation, operands = _from_sublists((equation,) + operands)
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    ops = [_t(o) for o in operands]
    _check_equation(equation, len(ops))
    eq = equation.replace(" ", "")
    lhs, arrow, rhs_given = eq.partition("->")
    terms = lhs.split(",")
    free = [c for c in string.ascii_letters if c not in eq]
    terms, rhs, dots = _expand_ellipsis(terms, rhs_given if arrow else None, ops, "".join(free))
    if rhs is None:    # implicit output: broadcast dims, then letters seen once, in alphabetical order
        joined = "".join(t for t in terms)
        rhs = dots + "".join(sorted(c for c in set(joined) if joined.count(c) == 1 and c not in dots))
    for term, x in zip(terms, ops):
        if len(term) != x.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(term)}) does not match "
                               f"the number of dimensions ({x.ndim}) for operand {terms.index(term)} and no "
                               "ellipsis was given")
    pairs = [_take_diagonals(term, x) for term, x in zip(terms, ops)]
    sizes: dict = {}
    for i, (term, x) in enumerate(pairs):
        for c, s in zip(term, x.shape):
            if sizes.setdefault(c, s) != s and s != 1 and sizes[c] != 1:
                if c in dots:   # (torch's wording, its missing space included; dims counted in the operand)
                    k = [e for e in term if e in dots].index(c)
                    raise RuntimeError(f"einsum(): dimension {k} covered by ellipsis in operand {i}has "
                                       f"size {s} which does not broadcast with previously seen ellipsis with size "
                                       f"{sizes[c]} for the respective dimension")
                raise RuntimeError(f"einsum(): subscript {c} has size {s} for operand {i} which does not broadcast "
                                   f"with previously seen size {sizes[c]}")
            sizes[c] = max(sizes[c], s)
    # The backward name torch's result shows: its last op.
    summed = any(c not in rhs for t, _ in pairs for c in t)
    name = ("SumBackward1" if summed else "PermuteBackward0") if len(pairs) == 1 else \
        ("ViewBackward0" if summed else "MulBackward0")
    if len(pairs) == 2 and len(set(rhs)) == len(rhs):
        out = _contract_pair(pairs[0][0], pairs[0][1], pairs[1][0], pairs[1][1], rhs)
        if out is not None:
            return F._named(out, name)
    letters = list(dict.fromkeys(rhs + "".join(t for t, _ in pairs)))
    prod = None
    for term, x in pairs:
        y = _align(term, x, letters)
        prod = y if prod is None else prod * y
    reduce = tuple(i for i, c in enumerate(letters) if c not in rhs)
    out = F.sum(prod, reduce) if reduce else prod
    if out.shape != tuple(sizes.get(c, 1) for c in rhs):     # a broadcast size-1 operand dim
        out = F.expand(out, tuple(sizes[c] for c in rhs))
    return F._named(out, name)
