"""point_batches.same_structure keeps its verdict per pair of compiled
tapes: repeated vmap calls of torch.func's per-sample cross_entropy ask
again for each integer group. The kept verdicts are the computed ones, the
results stay the per-point ones, and a matmul's constant operand (which
could change) is never kept."""
import numpy as np

import jitgrad as jg
from jitgrad.replay import point_batches as PB


def _per_sample(rng):
    x = rng.normal(size=(12, 5)).astype(np.float32)
    y = rng.integers(0, 3, 12)
    model = jg.nn.Sequential(jg.nn.Linear(5, 6), jg.nn.ReLU(), jg.nn.Linear(6, 3))
    params = {k: v.detach() for k, v in model.named_parameters()}

    def loss(p, xi, yi):
        out = jg.func.functional_call(model, p, (xi.unsqueeze(0),))
        return jg.nn.functional.cross_entropy(out, yi.unsqueeze(0))
    g = jg.func.grad(loss)
    return jg.func.vmap(g, in_dims=(None, 0, 0)), g, params, jg.tensor(x), jg.tensor(y)


def test_same_structure_verdicts_kept_and_equal_to_computed(monkeypatch):
    computed = []
    real = PB._same_structure

    def counting(a, b):
        res = real(a, b)
        computed.append((a, b, res))
        return res
    monkeypatch.setattr(PB, "_same_structure", counting)
    vm, g, params, X, Y = _per_sample(np.random.default_rng(3))
    vm(params, X, Y)        # (records each group's tape; later calls run the groups together)
    first = vm(params, X, Y)
    n = len(computed)
    assert n > 1        # (several integer groups compared)
    for _ in range(2):
        again = vm(params, X, Y)
        for k in first:
            assert np.array_equal(first[k].numpy(), again[k].numpy())
    assert len(computed) == n       # (asked again, answered from the kept verdicts)
    for a, b, res in computed:
        assert PB.same_structure(a, b) is res is real(a, b)
    for b in range(12):
        point = g(params, X[b], Y[b])
        for k in first:
            assert np.array_equal(first[k][b].numpy(), point[k].numpy())


def test_tapes_with_a_constant_matmul_operand_are_not_kept(monkeypatch):
    asked = []
    real = PB._same_structure
    monkeypatch.setattr(PB, "_same_structure", lambda a, b: asked.append((a, b)) or real(a, b))
    w = jg.tensor(np.random.default_rng(0).normal(size=(3, 2)))

    def loss(xi, yi):
        return ((xi @ w).sum() - yi) ** 2      # (w: a constant operand the matmul record holds)
    vm = jg.func.vmap(jg.func.grad(loss), in_dims=(0, 0))
    x = jg.tensor(np.random.default_rng(1).normal(size=(6, 3)))
    y = jg.tensor(np.arange(6) % 2)        # (two integer groups: two tapes compared)
    r1 = [vm(x, y) for _ in range(3)][-1]
    assert asked
    assert not any(a in PB._SAME for a, _ in asked)
    with jg.no_grad():
        w.mul_(2.0)
    r2 = vm(x, y)
    want = [jg.func.grad(loss)(x[b], y[b]) for b in range(6)]
    assert np.array_equal(r2.numpy(), jg.stack(want).numpy())
    assert not np.array_equal(r1.numpy(), r2.numpy())
