"""torch.save / torch.load of views: saved with their base, they load as
views of it again (torch saves storages), values, strides and contiguity
as torch's; a file whose view does not fit its storage is rejected."""
import io
import pickle

import numpy as np
import pytest
import torch as T

import jitgrad
from jitgrad.tensors.tensor import _rebuild_view


def _round_trip(lib, weights_only):
    t = lib.arange(12.0)
    obj = {"t": t, "v": t[2:5], "w": t.reshape(3, 4).T, "s": t[::3], "x": lib.ones(2, 3, dtype=lib.float64),
           "p": lib.tensor([1.0, 2.0], requires_grad=True), "z": lib.tensor(2.5)}
    buf = io.BytesIO()
    lib.save(obj, buf)
    buf.seek(0)
    d = lib.load(buf, weights_only=weights_only)
    d["v"][0] = 99.0
    d["s"][1] = -1.0
    return {k: (v.detach().numpy().tolist(), tuple(v.stride()), v.is_contiguous(), v.requires_grad, str(v.dtype))
            for k, v in d.items()}


@pytest.mark.parametrize("weights_only", [True, False])
def test_views_load_as_views_of_their_base(weights_only):
    got = _round_trip(jitgrad, weights_only)
    want = _round_trip(T, weights_only)
    assert {k: (a, s, c, r, d.replace("jitgrad", "torch")) for k, (a, s, c, r, d) in got.items()} == want


class _File:
    def __init__(self, args):
        self.args = args

    def __reduce__(self):
        return (_rebuild_view, self.args)


@pytest.mark.parametrize("args", [(np.zeros(4), 10 ** 6, (4,), (8,)), (np.zeros(4), 0, (4,), (-8,)),
                                  (np.zeros(4), 24, (4,), (8,)), (np.zeros(4), 0, (2, 2), (8, 10 ** 9)),
                                  (np.zeros(4), 0, (-1,), (8,))])
def test_a_view_outside_its_storage_is_rejected(args):
    buf = io.BytesIO(pickle.dumps(_File(args + ("float64", False))))
    with pytest.raises(pickle.UnpicklingError, match="does not fit its storage"):
        jitgrad.load(buf)
