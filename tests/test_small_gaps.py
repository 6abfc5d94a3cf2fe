"""Small API gaps, against torch: size= keywords of creation functions,
set_default_device("cpu"), type(t) printing <class 'jitgrad.Tensor'>."""
import pytest

import jitgrad

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("fn", ["zeros", "ones", "empty", "randn", "rand"])
@pytest.mark.parametrize("size", [(2, 3), [4], (0,), ()])
def test_size_keyword(fn, size):
    got = getattr(jitgrad, fn)(size=size, dtype=jitgrad.float64, requires_grad=True)
    want = getattr(torch, fn)(size=size, dtype=torch.float64, requires_grad=True)
    assert tuple(got.shape) == tuple(want.shape) and got.requires_grad and got.dtype is jitgrad.float64
    if fn in ("zeros", "ones"):
        assert got.tolist() == want.tolist()


def test_full_with_keywords():
    got = jitgrad.full(size=(2,), fill_value=1.5)
    want = torch.full(size=(2,), fill_value=1.5)
    assert repr(got) == repr(want)


def test_default_device():
    jitgrad.set_default_device("cpu")
    jitgrad.set_default_device(jitgrad.device("cpu"))
    jitgrad.set_default_device(None)
    assert str(jitgrad.get_default_device()) == str(torch.get_default_device()) == "cpu"
    with pytest.raises(RuntimeError, match="CPU only"):
        jitgrad.set_default_device("cuda")


def test_tensor_class_prints_as_torch():
    assert str(type(jitgrad.tensor(1.0))).replace("jitgrad", "torch") == str(type(torch.tensor(1.0)))
    assert jitgrad.Tensor.__module__ == "jitgrad" and jitgrad.Tensor.__name__ == "Tensor"


def test_top_level_vmap():
    got = jitgrad.vmap(lambda r: r.sum() * 2)(jitgrad.tensor([[1.0, 2.0], [3.0, 4.0]]))
    want = torch.vmap(lambda r: r.sum() * 2)(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert repr(got) == repr(want)
