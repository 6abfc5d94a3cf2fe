"""Module behaviours, nn.utils (clipping, rnn packing and packed RNNs,
fusion, stateless calls, parametrizations) and nn.init, as users write
them: each program in tests/nn_module_programs/ runs under torch and under
jitgrad bound as torch, and the transcripts (printed values, reprs, errors,
warnings) must be identical (conftest's `differential`). Inputs come from
NumPy's seeded generator."""
import os

import pytest

HERE = os.path.join(os.path.dirname(__file__), "nn_module_programs")
PROGRAMS = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_against_torch(name, differential):
    with open(os.path.join(HERE, name + ".py")) as f:
        differential(*f.read().split("# %%\n"))


def test_spectral_norm_parametrization():
    """sigma is the top singular value (power iteration from jitgrad's own u, v: torch's after convergence)."""
    import numpy as np

    import jitgrad
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    w = rng.normal(size=(3, 4))
    u, s, vt = np.linalg.svd(w, full_matrices=False)
    w = u @ np.diag([4.0, 1.0, 0.3]) @ vt      # a clear spectral gap: 16 iterations converge
    out = {}
    x_np = rng.normal(size=(2, 4))
    for lib in (torch, jitgrad):
        m = lib.nn.Linear(4, 3).double()
        with lib.no_grad():
            m.weight.copy_(lib.tensor(w))
            m.bias.fill_(0.1)
        m = lib.nn.utils.parametrizations.spectral_norm(m)
        weight = m.weight
        x = lib.tensor(x_np)
        (m(x) ** 2).sum().backward()
        out[lib.__name__] = (weight.detach().numpy(), m.parametrizations.weight.original.grad.numpy(),
                             sorted(m.state_dict()))
        m.eval()
        np.testing.assert_allclose(m.weight.detach().numpy(), weight.detach().numpy(), rtol=1e-10)
    np.testing.assert_allclose(out["jitgrad"][0], w / 4.0, rtol=1e-9)
    np.testing.assert_allclose(out["jitgrad"][0], out["torch"][0], rtol=1e-9)
    np.testing.assert_allclose(out["jitgrad"][1], out["torch"][1], rtol=1e-6, atol=1e-9)
    assert out["jitgrad"][2] == out["torch"][2]
    with pytest.raises(ValueError, match="Expected n_power_iterations to be positive"):
        jitgrad.nn.utils.parametrizations.spectral_norm(jitgrad.nn.Linear(2, 2), n_power_iterations=0)
