"""Regressions the users3 programs (tests/users3_programs/) found, checked
against torch on more inputs: tril / triu keep their input's dtype (a causal
mask `torch.tril(torch.ones(T, T, dtype=torch.bool))` stays bool)."""
import numpy as np
import pytest

import jitgrad

torch = pytest.importorskip("torch")

DTYPES = ["bool", "uint8", "int32", "int64", "float32", "float64"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["tril", "triu"])
def test_tril_triu_keep_the_dtype(name, dtype):
    a = np.random.default_rng(0).integers(0, 3, size=(2, 3, 4))
    for diagonal in (-1, 0, 2):
        want = getattr(torch, name)(torch.tensor(a).to(getattr(torch, dtype)), diagonal)
        got = getattr(jitgrad, name)(jitgrad.tensor(a).to(getattr(jitgrad, dtype)), diagonal)
        assert str(got.dtype).split(".")[-1] == str(want.dtype).split(".")[-1]
        np.testing.assert_array_equal(got.numpy(), want.numpy())
        for lib, t in ((torch, want), (jitgrad, got)):      # the in-place forms too
            x = lib.tensor(a).to(getattr(lib, dtype))
            getattr(x, name + "_")(diagonal)
            assert x.dtype == t.dtype
            np.testing.assert_array_equal(x.numpy(), want.numpy())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("bounds", [dict(), dict(std=0.5, a=-0.2, b=0.2), dict(mean=1.0, std=2.0, a=0.0, b=0.5),
                                    dict(a=-0.5, b=3.0), dict(mean=0.1, std=0.02, a=-0.04, b=0.04)])
@pytest.mark.filterwarnings("ignore:mean is more than 2 std")
def test_trunc_normal_draws_torchs_numbers(bounds, dtype):
    """torch 2.13's trunc_normal_: rejection of normal draws (more than 0.3 of
    the mass inside [a, b]) or uniform proposals against the density; the same
    numbers after the same seed, and the generator left in the same state."""
    out = []
    for lib in (torch, jitgrad):
        lib.manual_seed(0)
        t = lib.nn.init.trunc_normal_(lib.empty(3, 7, dtype=getattr(lib, dtype)), **bounds)
        g = lib.Generator().manual_seed(4)
        u = lib.nn.init.trunc_normal_(lib.empty(6, dtype=getattr(lib, dtype)), generator=g, **bounds)
        out.append((t.numpy(), u.numpy(), lib.rand(2).numpy()))
    for got, want in zip(out[1], out[0]):
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)
