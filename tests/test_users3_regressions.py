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
