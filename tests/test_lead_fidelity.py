"""Lead fixes of this session, each against torch: nn.init draws the random
numbers torch draws (in the tensor's dtype); a large result written in place
through detach() is re-homed, as small ones are."""
import pytest

from _fidelity import LIBS


@pytest.mark.parametrize("shape", [(4, 6), (6, 4), (3, 3), (2, 3, 4), (5, 16)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_orthogonal_matches_torch(shape, dtype):
    out = []
    for L in LIBS:
        L.manual_seed(0)
        w = L.nn.init.orthogonal_(L.empty(*shape, dtype=getattr(L, dtype)), gain=1.5)
        out.append(repr(w).replace("jitgrad.", "torch."))
    assert out[1] == out[0]


def test_large_result_written_through_detach_then_used():
    """A large result written in place through its detach() alias, then used
    by a new op: torch differentiates the new op (it saved the written value);
    jitgrad's handle used to stay stale and raise the in-place error."""
    grads = []
    for L in LIBS:
        x = L.ones(5000, requires_grad=True)
        y = x * 2
        z = y.detach()
        z.mul_(3)
        (y * y).sum().backward()
        grads.append(x.grad.sum().item())
    assert grads[1] == grads[0]


def test_large_result_written_through_detach_stale_reader_raises():
    """An op recorded before the write still raises torch's error."""
    msgs = []
    for L in LIBS:
        x = L.ones(5000, requires_grad=True)
        y = x * 2
        w = (y * y).sum()
        y.detach().mul_(3)
        try:
            w.backward()
        except RuntimeError as e:
            msgs.append(str(e).split(";")[0].replace("jitgrad", "torch"))
    assert len(msgs) == 2 and msgs[0] == msgs[1], msgs


@pytest.mark.parametrize("name,kw", [("hardsigmoid", {}), ("leaky_relu", {}), ("leaky_relu", {"negative_slope": 0.2}),
                                     ("hardswish", {}), ("relu6", {})])
@pytest.mark.parametrize("n", [0, 8, 300])
def test_float32_activation_values_are_torchs_bits(name, kw, n):
    """float32 attributes (slopes) are cast to float32 first, and hardsigmoid
    is (x + 3) / 6, as torch's kernels: the values are torch's bits, 0-d or not."""
    import numpy as np
    x = (np.random.default_rng(3).normal(size=max(n, 200)) * 3).astype(np.float32)
    out = []
    for L in LIBS:
        f = getattr(L.nn.functional, name)
        if n == 0:
            vals = [f(L.tensor(float(v), dtype=L.float32), **kw).item() for v in x]
        else:
            vals = f(L.tensor(x[:n]), **kw).tolist()
        out.append(vals)
    assert out[1] == out[0]
