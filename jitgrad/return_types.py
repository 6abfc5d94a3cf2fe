"""torch.return_types: the classes of the named-tuple results
(`isinstance(x.max(0), torch.return_types.max)`, `print(torch.return_types.sort)`).

The result classes live beside their functions and get one subclass per kind
(`core.return_types.named`); this module hands out that subclass, so it is
the very class of the results (`type(x.sort()) is torch.return_types.sort`).
"""
from __future__ import annotations

import importlib

from .core import return_types as _rt

_LINALG = ("qr", "svd", "linalg_svd", "linalg_eigh", "linalg_qr", "linalg_lu", "linalg_lu_factor",
           "linalg_lu_factor_ex", "lu_unpack", "triangular_solve", "linalg_lstsq", "linalg_inv_ex",
           "linalg_cholesky_ex", "linalg_solve_ex", "linalg_ldl_factor", "linalg_ldl_factor_ex", "geqrf")

# kind -> (module under jitgrad, result class) of the functions returning it
_WHERE: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("max", "min"), ("functional.extremes", "_ValuesIndices")),
    **dict.fromkeys(("sort", "topk", "kthvalue", "mode", "median", "nanmedian", "cummax", "cummin"),
                    ("functional.sorting", "_Pair")),
    **dict.fromkeys(("histogram", "histogramdd"), ("functional.histograms", "_Histogram")),
    **dict.fromkeys(("slogdet", "linalg_slogdet"), ("linalg.decompositions", "SlogdetResult")),
    **dict.fromkeys(_LINALG, ("linalg.common", "_Result")),
    "aminmax": ("functional.breadth_scatter", "_MinMax"),
    "frexp": ("functional.real_numbers", "_Frexp"),
}


def __getattr__(name: str) -> type:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module '{__name__}' has no attribute '{name}'")
    base = getattr(importlib.import_module(f"{__package__}.{where[0]}"), where[1])
    cls = _rt.named(base, name)      # (a class renamed for its one kind is its own)
    globals()[name] = cls
    return cls


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
