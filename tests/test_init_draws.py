"""nn.init draws the random numbers torch draws (same generator stream, in
the tensor's dtype): seeded initialisations print torch's values."""
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
