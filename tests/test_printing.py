"""Differential tests: jitgrad.tensors.printing.format_tensor must match torch's repr."""

import contextlib
import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from hypothesis import given, settings, strategies as st  # noqa: E402
from hypothesis.extra.numpy import array_shapes  # noqa: E402

from jitgrad.tensors.printing import format_tensor, get_printoptions, printoptions, set_printoptions

FLOAT_DTYPES = [np.float16, np.float32, np.float64]
INT_DTYPES = [np.int8, np.int16, np.int32, np.int64,
              np.uint8, np.uint16, np.uint32, np.uint64]
ALL_DTYPES = FLOAT_DTYPES + INT_DTYPES + [np.bool_]

# How the torch tensor gets its suffix, and the suffix we pass to format_tensor.
SUFFIXES = {
    "plain": (),
    "requires_grad": ("requires_grad=True",),
    "grad_fn": ("grad_fn=<MulBackward0>",),
}


def torch_repr(arr: np.ndarray, kind: str = "plain") -> str:
    tensor = torch.from_numpy(arr.copy())
    if kind == "requires_grad":
        tensor.requires_grad_()
    elif kind == "grad_fn":
        tensor = tensor.requires_grad_() * 1  # x * 1 keeps every value, -0 and nan
    return repr(tensor).replace("torch.", "jitgrad.")


def check(arr: np.ndarray, kind: str = "plain") -> None:
    expected = torch_repr(arr, kind)
    actual = format_tensor(arr, SUFFIXES[kind])
    assert actual == expected, f"{arr.dtype} {arr.shape}\n--- torch ---\n{expected}\n--- ours ---\n{actual}"


@contextlib.contextmanager
def both_printoptions(**options):
    """Apply the same print options to torch and jitgrad, then restore defaults."""
    torch.set_printoptions(**options)
    set_printoptions(**options)
    try:
        yield
    finally:
        torch.set_printoptions(profile="default")
        set_printoptions(profile="default")


def cast(values, dtype) -> np.ndarray:
    """Convert float test data to any dtype (ints are rounded and clipped)."""
    base = np.asarray(values, dtype=np.float64)
    if dtype is np.bool_:
        return np.asarray(base != 0)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        clean = np.nan_to_num(np.round(base), posinf=info.max, neginf=info.min)
        clipped = np.clip(clean, max(info.min, -2.0**62), min(info.max, 2.0**62))
        return np.asarray(clipped).astype(dtype)
    with np.errstate(over="ignore"):
        return base.astype(dtype)


rng = np.random.default_rng(0)
nan, inf = math.nan, math.inf
BASES = {
    # 0-d
    "scalar": 4.3,
    "scalar_int": 3.0,
    "scalar_zero": 0.0,
    "scalar_negzero": -0.0,
    "scalar_nan": nan,
    "scalar_inf": -inf,
    "scalar_tiny": 1e-5,
    "scalar_big": 1e10,
    "scalar_9digits": 123456789.0,
    "scalar_neg": -7.25,
    # 1-d, shapes (1,) and (3,)
    "one": [2.5],
    "three": [1.0, 2.0, 3.0],
    "mixed_signs": [1.5, -2.25, 3.0],
    "sci_ratio": [102.4, 1024.0, 0.1024],
    "zeros_signed": [0.0, -0.0, 0.0],
    "edge_1e-4": [1e-4, 0.05],  # ratio < 1000, so only the 1e-4 bound matters
    "below_1e-4": [9.99e-5, 0.05],
    "ratio_1000": [1.0, 1000.0],
    "ratio_1001": [1.0, 1001.0],
    "ratio_frac": [0.1, 100.0],
    "ratio_frac_over": [0.1, 100.1],
    "edge_1e8": [1e8, 1e6],  # ratio < 1000, so only the 1e8 bound matters
    "over_1e8": [1.00000001e8, 1e6],
    "nonfinite": [nan, inf, -inf, 1.5],
    "zero_nan": [0.0, nan],
    "int_nonfinite": [nan, -inf, 3.0, -40.0],
    "only_nonfinite": [nan, inf],
    "huge_tiny": [1e300, 1e-300, -5e-324],
    "magnitudes": [1e-12, 1e-3, 1.0, 1e3, 1e12, -1e20],
    "rounding": [0.00005, 0.99995, 9.99995, 2.5, 0.125],
    "negatives": [-1.0, -10.0, -100.0, -1000.0],
    # n-d
    "2x2": [[1.0, 2.0], [3.0, 4.0]],
    "2x3x4": np.arange(24.0).reshape(2, 3, 4) - 11.5,
    "2x2x2x2": np.arange(16.0).reshape(2, 2, 2, 2) * 0.37,
    "1x1x1": [[[5.0]]],
    "random_3x5": rng.standard_normal((3, 5)),
    "random_4x30": rng.standard_normal((4, 30)) * 1000,
    "random_2x3x40": rng.standard_normal((2, 3, 40)),
    # empty
    "empty": np.zeros(0),
    "empty_0x3": np.zeros((0, 3)),
    "empty_3x0x2": np.zeros((3, 0, 2)),
    # line wrapping
    "wrap_arange": np.arange(30.0) * 1.5,
    "wrap_linspace": np.linspace(-1, 1, 50),
    "wrap_ints": np.arange(100.0),
    "wrap_big": np.arange(25.0) * 1e5 + 0.5,
    # summarization (more than 1000 elements), and exactly 1000
    "long_2000": np.arange(2000.0) / 7,
    "square_40x40": np.arange(1600.0).reshape(40, 40) - 800,
    "cube_1000": np.arange(1000.0).reshape(10, 10, 10),
    "cube_1100": np.arange(1100.0).reshape(11, 10, 10) * 0.01,
    "rows_7x200": rng.standard_normal((7, 200)),
    "summary_width": np.concatenate([[1.0, 2.0, 3.0], np.full(1000, 123456.0), [4.0, 5.0, 6.0]]),
}


@pytest.mark.parametrize("name", BASES)
def test_matches_torch(name):
    for dtype in ALL_DTYPES:
        arr = cast(BASES[name], dtype)
        check(arr)
        if dtype in FLOAT_DTYPES:
            check(arr, "requires_grad")
            check(arr, "grad_fn")


@pytest.mark.parametrize("length", range(1, 25))
@pytest.mark.parametrize("kind", ["requires_grad", "grad_fn"])
def test_suffix_wrapping(length, kind):
    # Sweeps the last line's length across the point where suffixes move to a new line.
    for dtype in FLOAT_DTYPES:
        check(cast(np.arange(length) * 1.5 - 3, dtype), kind)
        check(cast(np.arange(length * 2).reshape(2, length) * 11.25, dtype), kind)


def test_brief_example():
    expected = "tensor(4.3000, dtype=jitgrad.float64, requires_grad=True)"
    assert format_tensor(np.array(4.3), ("requires_grad=True",)) == expected
    check(np.array(4.3), "requires_grad")


@pytest.mark.parametrize("linewidth", range(20, 100, 7))
def test_several_suffixes(linewidth):
    # edgeitems=0 adds "size=..." before "dtype=..." and the grad suffix.
    with both_printoptions(edgeitems=0, linewidth=linewidth):
        for dtype in (np.float16, np.float64):
            check(cast(np.arange(12.0).reshape(3, 4) * 3.25, dtype), "grad_fn")
            check(cast(np.arange(9.0), dtype), "requires_grad")


def test_unsupported_dtype():
    with pytest.raises(TypeError):
        format_tensor(np.zeros(2, dtype=np.complex64))


OPTIONS = [
    dict(precision=2),
    dict(precision=0),
    dict(precision=8),
    dict(sci_mode=True),
    dict(sci_mode=False),
    dict(precision=1, sci_mode=True),
    dict(linewidth=40),
    dict(linewidth=5),
    dict(linewidth=200),
    dict(threshold=5),
    dict(threshold=0),
    dict(threshold=5, edgeitems=1),
    dict(threshold=5, edgeitems=0),
    dict(edgeitems=0),
    dict(threshold=math.inf),
    dict(profile="short"),
    dict(profile="full"),
]
OPTION_BASES = ["scalar", "mixed_signs", "sci_ratio", "nonfinite", "magnitudes",
                "2x3x4", "2x2x2x2", "empty_0x3", "wrap_linspace", "long_2000",
                "square_40x40", "cube_1100", "huge_tiny"]


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_printoptions_match_torch(options):
    with both_printoptions(**options):
        for name in OPTION_BASES:
            for dtype in ALL_DTYPES:
                arr = cast(BASES[name], dtype)
                check(arr)
                if dtype in FLOAT_DTYPES:
                    check(arr, "grad_fn")


def test_sci_mode_resets_when_omitted():
    arr = np.array([1.5, 2.5])
    with both_printoptions(sci_mode=True):
        torch.set_printoptions(precision=3)
        set_printoptions(precision=3)
        check(arr)
        assert get_printoptions()["sci_mode"] is None


def test_printoptions_context_restores():
    before = get_printoptions()
    with printoptions(precision=1, linewidth=30, sci_mode=True):
        assert get_printoptions()["precision"] == 1
    assert get_printoptions() == before


# ---- property-based tests -------------------------------------------------

SPECIAL_FLOATS = [0.0, -0.0, nan, inf, -inf, 0.5, 1e-4, 9.999e-5, 1e8, 1.0000001e8,
                  1000.0, 0.001, 65504.0, 1e-8, 123.456, -2.5, 1e20]


@st.composite
def arrays(draw, max_dims=4, max_side=5):
    dtype = draw(st.sampled_from(ALL_DTYPES))
    shape = draw(array_shapes(min_dims=0, max_dims=max_dims, min_side=0, max_side=max_side))
    size = math.prod(shape)
    if dtype in FLOAT_DTYPES:
        element = st.one_of(
            st.integers(-1000, 1000),
            st.floats(-10, 10),
            st.sampled_from(SPECIAL_FLOATS),
            st.floats(width=np.dtype(dtype).itemsize * 8),
        )
        values = draw(st.lists(element, min_size=size, max_size=size))
        with np.errstate(over="ignore"):
            arr = np.array(values, dtype=np.float64).astype(dtype)
    elif dtype is np.bool_:
        arr = np.array(draw(st.lists(st.booleans(), min_size=size, max_size=size)), dtype=bool)
    else:
        info = np.iinfo(dtype)
        values = draw(st.lists(st.integers(int(info.min), int(info.max)),
                               min_size=size, max_size=size))
        arr = np.array(values, dtype=dtype)
    return arr.reshape(shape)


def suffix_kind(draw, arr):
    if arr.dtype.kind != "f":
        return "plain"
    return draw(st.sampled_from(sorted(SUFFIXES)))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_random_arrays_match_torch(data):
    arr = data.draw(arrays())
    check(arr, suffix_kind(data.draw, arr))


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_random_options_match_torch(data):
    options = data.draw(st.fixed_dictionaries({
        "precision": st.integers(0, 8),
        "threshold": st.sampled_from([0, 1, 5, 20, 1000]),
        "edgeitems": st.integers(0, 4),
        "linewidth": st.integers(1, 120),
        "sci_mode": st.sampled_from([None, True, False]),
    }))
    arr = data.draw(arrays(max_dims=3, max_side=8))
    with both_printoptions(**options):
        check(arr, suffix_kind(data.draw, arr))
