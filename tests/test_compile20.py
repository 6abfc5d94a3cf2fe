"""jitgrad.compile of functions that re-recorded on nearly every new input or
ran eagerly every call: a gather by an argsort, x[idx] by an argmax(dim),
masked_select / x[mask] (the count guarded, the positions replayed), amax
over several dims, cummax / cummin, renorm, `.data` reads; and replays whose
sign of zero differed from eager mode's (xlogy's zero upstream). Every call
is compared bit for bit with eager jitgrad (values and gradients) and with
torch; recordings and replays are counted."""
import warnings

import numpy as np
import pytest

import jitgrad as jg

torch = pytest.importorskip("torch")


def _bits(u, v):
    u, v = np.asarray(u), np.asarray(v)
    return u.dtype == v.dtype and u.shape == v.shape and np.array_equal(
        np.atleast_1d(u).view(np.uint8), np.atleast_1d(v).view(np.uint8))


def _run(m, f, a):
    x = m.tensor(a, requires_grad=True)
    y = f(m, x)
    y.backward()
    return y.detach().numpy(), x.grad.numpy()


def _compare(cf, f, a):
    x = jg.tensor(a, requires_grad=True)
    y = cf(x)
    y.backward()
    want, want_g = _run(jg, f, a)
    assert _bits(y.detach().numpy(), want) and _bits(x.grad.numpy(), want_g), (a, y, want, x.grad, want_g)
    ref, ref_g = _run(torch, f, a)
    tol = 1e-5 if a.dtype == np.float32 else 1e-12
    np.testing.assert_allclose(want, ref, rtol=tol, atol=tol)
    np.testing.assert_allclose(want_g, ref_g, rtol=tol, atol=tol)


def _signs(rng, shape, positives):
    """Values of `shape` with exactly `positives` of them > 0 (a mask's count
    stays, its positions move)."""
    n = int(np.prod(shape))
    s = np.where(rng.permutation(n) < positives, 1.0, -1.0)
    return (s * (rng.random(n) + 0.1)).reshape(shape)


CASES = {
    "gather_argsort": (lambda m, x: (x.gather(-1, x.argsort(-1)) * m.arange(5.0)).sum(), (3, 5)),
    "gather_other": (lambda m, x: ((x * 3).gather(0, x.sort(0, descending=True).indices) ** 2).sum(), (4, 3)),
    "index_argmax_rows": (lambda m, x: (x[x.argmax(1)] * m.arange(4.0)).sum(), (4, 4)),
    "index_arange_argmax": (lambda m, x: (x[m.arange(4), x.argmax(1)] ** 2).sum(), (4, 5)),
    "index_cols_argmin": (lambda m, x: (x[:, x.argmin(0)] * m.arange(5.0)).sum(), (4, 5)),
    "amax_two_dims": (lambda m, x: (x.amax(dim=(0, 1)) * m.arange(4.0)).sum(), (2, 3, 4)),
    "amin_outer_dims": (lambda m, x: (x.amin(dim=(0, 2), keepdim=True) ** 2).sum(), (3, 2, 4)),
    "softmax_two_dims": (lambda m, x: (x.softmax(-1) * x.amax(dim=(1, 2), keepdim=True)).sum(), (2, 3, 3)),
    "cummax": (lambda m, x: (x.cummax(-1).values * m.arange(6.0)).sum() + (x.cummax(-1).indices.to(x.dtype) * x).sum(), (3, 6)),
    "cummin": (lambda m, x: (x.cummin(0)[0] ** 2).sum(), (5, 2)),
    "mode": (lambda m, x: ((x * 2).round().mode(0).values * x[0]).sum() + (x.round().mode(-1)[1].to(x.dtype) * x[:, 0]).sum(), (6, 3)),
    "index_argmax_0d": (lambda m, x: (x * 2)[x.argmax()] * x[x.argmin()].exp(), (5,)),
    "index_argmax_0d_rows": (lambda m, x: (x[x.sum(1).argmax()] * m.arange(3.0)).sum(), (4, 3)),
    "index_argmax_0d_transposed": (lambda m, x: (x.T[x.sum(0).argmin()] * m.arange(4.0)).sum(), (4, 3)),
    "embedding_bag_max": (lambda m, x: (m.nn.functional.embedding_bag(
        m.tensor([0, 2, 2, 1, 3, 0, 4]), x, m.tensor([0, 3, 4]), mode="max") * m.arange(3.0)).sum(), (5, 3)),
    "renorm": (lambda m, x: (x.renorm(2, 0, 1.5) * m.arange(4.0)).sum(), (3, 4)),
    "data": (lambda m, x: (x * x.data.exp()).sum() + x.data.sum(), (2, 3)),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(CASES))
def test_new_inputs_replay(name, dtype):
    f, shape = CASES[name]
    cf = jg.compile(lambda x: f(jg, x))
    rng = np.random.default_rng(5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # (no "runs eagerly" / "recorded again" warning)
        for _ in range(8):
            _compare(cf, f, rng.normal(size=shape).astype(dtype))
    assert cf.records == 1 and cf.replays == 7 and cf.eager_calls == 0, cf.report()


MASKED = {
    "masked_select": (lambda m, x: (x.masked_select(x > 0) * m.arange(3.0)).sum(), (2, 4), 3),
    "masked_select_broadcast": (lambda m, x: (x * 2).masked_select(x[0] < 0).pow(2).sum(), (3, 4), 2),
    "bool_index": (lambda m, x: (x[x > 0] ** 2 * m.arange(4.0)).sum(), (2, 3), 4),
    "bool_index_rows": (lambda m, x: (x[x[:, 0] > 0] * m.arange(3.0)).sum(), (4, 3), 2),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(MASKED))
def test_masks_replay_while_the_count_stays(name, dtype):
    f, shape, positives = MASKED[name]
    cf = jg.compile(lambda x: f(jg, x))
    rng = np.random.default_rng(11)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(6):
            a = _signs(rng, shape, positives)
            if name == "masked_select_broadcast":
                a[0] = -a[0] if (a[0] < 0).sum() != positives else a[0]
                a[0, :] = np.where(np.arange(shape[1]) < positives, -1, 1)[rng.permutation(shape[1])] * np.abs(a[0])
            if name == "bool_index_rows":
                a[:, 0] = np.where(rng.permutation(shape[0]) < positives, 1, -1) * np.abs(a[:, 0])
            _compare(cf, f, a.astype(dtype))
    assert cf.records == 1 and cf.replays == 5 and cf.eager_calls == 0, cf.report()


def test_a_new_count_records_again():
    f = lambda m, x: (m.masked_select(x, x > 0.5) ** 2).sum() + (x[x < 0] * 3).sum()     # noqa: E731
    cf = jg.compile(lambda x: f(jg, x))
    for a in ([1.0, -2.0, 3.0], [-1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [-1.0, -2.0, -3.0], [2.0, -1.0, 4.0]):
        _compare(cf, f, np.array(a))
    assert cf.records == 3 and cf.replays == 2, cf.report()       # (counts (2, 1), (3, 0), (0, 3); (2, 1) replays)


def test_cummax_ties_and_nan_follow_eager():
    f = CASES["cummax"][0]
    cf = jg.compile(lambda x: f(jg, x))
    rows = [[1.0, 1.0, 0.5, 2.0, 2.0, -1.0], [np.nan, 1.0, 2.0, np.nan, 0.0, 3.0], [0.0, -0.0, 0.0, 1.0, 1.0, 1.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for a in (np.array(rows), np.array(rows[::-1]), np.random.default_rng(2).normal(size=(3, 6))):
            x = jg.tensor(a, requires_grad=True)
            y = cf(x)
            y.backward()
            want, want_g = _run(jg, f, a)
            ref, ref_g = _run(torch, f, a)
            assert _bits(y.detach().numpy(), want) and _bits(x.grad.numpy(), want_g)
            assert _bits(want_g, ref_g) and np.allclose(want, ref, equal_nan=True)
    assert cf.records == 1 and cf.replays == 2, cf.report()


def test_embedding_bag_max_module_replays_after_weight_updates():
    outs = []
    for m in (jg, torch):
        m.manual_seed(0)
        bag = m.nn.EmbeddingBag(6, 3, mode="max").double()
        with m.no_grad():
            bag.weight.copy_(m.tensor(np.random.default_rng(4).normal(size=(6, 3))))
        idx, offsets = m.tensor([1, 5, 5, 0, 2, 3, 4, 1]), m.tensor([0, 2, 5])
        fn = jg.compile(lambda: bag(idx, offsets)) if m is jg else (lambda: bag(idx, offsets))
        for _ in range(3):
            bag.weight.grad = None
            y = fn()
            (y * m.arange(3.0, dtype=m.float64)).sum().backward()
            outs.append((y.detach().numpy().copy(), bag.weight.grad.numpy().copy()))
            with m.no_grad():       # (an SGD step: torch.optim's first step imports for a second)
                bag.weight -= 0.7 * bag.weight.grad
        if m is jg:
            assert fn.records == 1 and fn.replays == 2, fn.report()
    for (a, ga), (b, gb) in zip(outs[:3], outs[3:]):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(ga, gb, rtol=1e-12, atol=1e-12)


def test_mode_ties_and_zeros_follow_eager_and_torch():
    f = lambda m, x: (x.mode(-1).values * m.arange(3.0)).sum() + (x.mode(-1).indices.to(x.dtype) * x[:, 1]).sum()  # noqa
    cf = jg.compile(lambda x: f(jg, x))
    rows = [[1.0, 2.0, 1.0, 2.0, 3.0, 0.5], [-0.0, 0.0, 1.0, 1.0, 5.0, 5.0], [4.0, 4.0, 4.0, 2.0, 2.0, 2.0]]
    for a in (rows, rows[::-1], [r[::-1] for r in rows]):
        a = np.array(a)
        _compare(cf, f, a)
        assert _bits(f(jg, jg.tensor(a)).numpy(), f(torch, torch.tensor(a)).numpy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = np.array(rows)
        a[0, 0] = np.nan        # (nan: guarded, that call records again)
        x = jg.tensor(a, requires_grad=True)
        try:
            want = f(jg, jg.tensor(a)).numpy()
        except IndexError:
            with pytest.raises(IndexError):
                cf(x)
        else:
            assert _bits(cf(x).detach().numpy(), want)
    assert cf.records == 2 and cf.replays == 2, cf.report()


def test_an_index_computed_from_the_picks_stays_guarded():
    # (integer arithmetic on the indices reads them: guards; out of range: eager's error)
    for f in (lambda m, x: (x.gather(-1, 2 - x.argsort(-1)) * m.arange(3.0)).sum(),
              lambda m, x: x.gather(-1, x.argsort(-1) + 1).sum()):
        cf = jg.compile(lambda x: f(jg, x))
        for a in ([[1.0, 3.0, 2.0]], [[3.0, 1.0, 2.0]], [[2.0, 1.0, 3.0]]):
            a = np.array(a)
            try:
                want = f(jg, jg.tensor(a, requires_grad=True))
            except RuntimeError as e:
                with pytest.raises(RuntimeError, match=str(e)):
                    cf(jg.tensor(a, requires_grad=True))
                with pytest.raises(RuntimeError, match=str(e)):
                    f(torch, torch.tensor(a, requires_grad=True))
                continue
            _compare(cf, f, a)
            assert _bits(want.detach().numpy(), f(torch, torch.tensor(a)).numpy())


def test_data_write_and_returned_data_stay_eager():
    def write(x):
        y = x * 2
        y.data.add_(1.0)        # (writes y's storage: eager mode's value)
        return y.sum()

    def returned(x):
        return x.data

    for fn in (write, returned):
        cf = jg.compile(fn)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for a in ([1.0, 2.0], [3.0, -1.0]):
                got, want = cf(jg.tensor(a, requires_grad=True)), fn(jg.tensor(a, requires_grad=True))
                assert _bits(got.detach().numpy(), want.detach().numpy())
        assert cf.eager_calls >= 1 and cf.replays == 0, cf.report()


def _write_after_detach(m, x):
    y = x * 2
    d = y.detach()
    y.mul_(3)       # (d shares y's storage: it sees the write)
    return (x * d).sum()


def _write_after_data(m, x):
    y = x * 2
    d = y.data
    y[0] = 7.0
    return (x * d).sum()


def _write_view_after_detach(m, x):
    y = x * 2
    v = y[1:]
    d = y.detach()
    v.mul_(2)
    return (x * d).sum()


def _write_after_select(m, x):
    y = x * 2
    v = y[x.argmax()]       # (a view of y)
    y.mul_(2)
    return v * 1


def _write_into_select(m, x):
    y = x * 2
    v = y[x.argmin()]
    v.mul_(5)       # (writes y)
    return y.sum()


@pytest.mark.parametrize("f", [_write_after_detach, _write_after_data, _write_view_after_detach, _write_after_select,
                               _write_into_select])
def test_a_write_after_detach_or_data_is_seen(f):
    """The recorded detach() / .data is a copy; eager's shares the storage, so
    a later write to the source shows in it: such a call runs eagerly (the
    replay returned the value before the write)."""
    cf = jg.compile(lambda x: f(jg, x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for a in ([1.0, 2.0, 3.0], [3.0, -4.0, 0.5]):
            a = np.array(a)
            _compare(cf, f, a)
    assert cf.replays == 0, cf.report()


def test_saved_tape_with_index_mask_and_cummax_picks(tmp_path):
    def f(x):
        return ((x.gather(-1, x.argsort(-1)) * x.cummax(-1).values).sum() + x[x > 0].sum()
                + x[jg.arange(2), x.argmax(1)].sum())
    cf = jg.compile(f)
    cf(jg.tensor([[1.0, -2.0, 3.0], [0.5, 2.0, -1.0]], requires_grad=True))
    cf.tapes[0].save(str(tmp_path / "t.npz"))
    loaded = jg.load_tape(str(tmp_path / "t.npz"))
    for a in ([[3.0, 1.0, -2.0], [-1.0, 0.5, 2.0]], [[-2.0, 4.0, 3.0], [2.0, -1.0, 0.25]]):
        x, x2 = jg.tensor(a, requires_grad=True), jg.tensor(a, requires_grad=True)
        got, want = loaded(x), f(x2)
        got.backward()
        want.backward()
        assert _bits(got.detach().numpy(), want.detach().numpy()) and _bits(x.grad.numpy(), x2.grad.numpy())


def test_a_crafted_index_position_is_refused(tmp_path):
    cf = jg.compile(lambda x: x.gather(-1, x.argsort(-1)).sum())
    cf(jg.tensor([[1.0, -2.0, 3.0]], requires_grad=True))
    cf.tapes[0].save(str(tmp_path / "t.npz"))
    with np.load(str(tmp_path / "t.npz")) as z:
        arrays = dict(z)
    rec = arrays["rec"].reshape(-1, 7) if "rec" in arrays else None
    assert rec is not None, list(arrays)
    from jitgrad.core import kernels as K
    from jitgrad.core import replay_select as RS
    rows = [int(r) for r in np.flatnonzero(rec[:, 0] == K.SELECT_ORDER)]
    meta = arrays["meta"]
    r = [r for r in rows if meta[rec[r, 5] + 3] == RS.SEL_INDEX][0]
    m = int(rec[r, 5])
    meta = meta.copy()
    meta[m + K.SEL_HEADER + 3 + 3] = 7       # (an index position past the index's 3 elements)
    arrays["meta"] = meta
    np.savez(str(tmp_path / "bad.npz"), **arrays)
    with pytest.raises(ValueError):
        jg.load_tape(str(tmp_path / "bad.npz"))


def test_xlogy_zero_upstream_keeps_torchs_sign_in_replays():
    """fuzz_compile seed 662479: xlogy(x, 1.0)'s log(y) is 0: torch's gradient
    xlogy(g, y) is +0.0 for g = -0.0, where the replay's scalar reverse
    multiplied g * 0 (-0.0)."""
    def f(m, x):
        v = m.xlogy(x, 1.0)
        return (v * v) ** 0
    cf = jg.compile(lambda x: f(jg, x))
    for a in (-1.594, 1.594, -0.219, -1.594, 0.0, -0.0):
        _compare(cf, f, np.float64(a))
        x, t = jg.tensor(a, requires_grad=True, dtype=jg.float64), torch.tensor(a, requires_grad=True, dtype=torch.float64)
        cf(x).backward()
        f(torch, t).backward()
        assert _bits(x.grad.numpy(), t.grad.numpy())
    assert cf.records == 1 and cf.replays == 11, cf.report()
    vg = jg.compile(jg.func.value_and_grad(lambda x: f(jg, x)))
    for a in (-1.594, 0.5, -0.25):
        _, g = vg(jg.tensor(a, dtype=jg.float64))
        assert _bits(g.numpy(), np.float64(0.0))


def test_amax_moving_onto_a_negative_zero_is_not_replayed_as_plus_zero():
    """fuzz_compile seed 670987: amax's replay is a weighted sum, +0.0 for a
    -0.0 extreme; the guard was x's truthiness, which a -0.0 becoming the max
    (a zero elsewhere before) passed: now the pick itself is guarded nonzero."""
    def f(m, y):
        v = y.amax(0)
        return (v * 0.5 + y) * 0.5 + y
    cf = jg.compile(lambda y: f(jg, y))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for a in ([1.728, 0.0, 0.467], [-1.728, -0.0, -0.467], [2.0, 0.0, -1.0], [0.5, 3.0, 0.0]):
            a = np.array(a)
            x = jg.tensor(a, requires_grad=True)
            y = cf(x)
            want = f(jg, jg.tensor(a, requires_grad=True))
            assert _bits(y.detach().numpy(), want.detach().numpy())
            assert _bits(want.detach().numpy(), f(torch, torch.tensor(a)).numpy())
    assert cf.replays >= 1, cf.report()


@pytest.mark.parametrize("how", ["where", "nansum"])
def test_float32_sum_of_a_where_with_a_constant_first(how):
    """fuzz_compile seed 668271: the sum of where(c, 0.0, gelu(x)) (float32)
    took its dtype from its first element, a constant the where placed
    (float64): the replay summed in float64, an ulp off on new inputs."""
    def f(m, x):
        c = m.arange(4) == 0
        g = m.nn.functional.gelu(x)
        if how == "where":
            return m.where(c, m.tensor(0.0), g).sum(-1)
        return m.where(c, m.tensor(float("nan")), g).nanmean(-1)
    cf = jg.compile(lambda x: f(jg, x))
    rng = np.random.default_rng(8)
    for a in [np.array([0.69, 0.25, -1.386, -1.5], np.float32)] + [rng.normal(size=4).astype(np.float32) for _ in range(7)]:
        x = jg.tensor(a, requires_grad=True)
        y = cf(x)
        y.backward()
        x2 = jg.tensor(a, requires_grad=True)
        want = f(jg, x2)
        want.backward()
        assert _bits(y.detach().numpy(), want.detach().numpy()) and _bits(x.grad.numpy(), x2.grad.numpy())
        np.testing.assert_allclose(want.detach().numpy(), f(torch, torch.tensor(a)).numpy(), rtol=1e-5)
    assert cf.records == 1 and cf.replays == 7, cf.report()


def test_a_write_through_a_detached_tensor_raises_only_where_eager_raises():
    """fuzz_compile seed 723726: the recording's detach() was a copy, so a
    write through it left the source unchanged in the recording, whose branch
    then raised where the eager call doesn't; it shares the array now."""
    def f(m, x, y):
        v = x * 1
        v.detach().zero_()
        w = (v + 0.5).clamp_(min=0)
        if w[0] > 0:
            return w.sqrt()
        return w * y        # (a shape error: never reached in eager mode)
    cf = jg.compile(lambda x, y: f(jg, x, y))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for a in ([2.0, 1.0, 0.5], [-2.0, -1.5, -0.5]):
            got = cf(jg.tensor(a, requires_grad=True), jg.tensor([1.0, 2.0, 3.0, 4.0]))
            want = f(jg, jg.tensor(a, requires_grad=True), jg.tensor([1.0, 2.0, 3.0, 4.0]))
            ref = f(torch, torch.tensor(a, requires_grad=True), torch.tensor([1.0, 2.0, 3.0, 4.0]))
            assert _bits(got.detach().numpy(), want.detach().numpy())
            assert np.allclose(want.detach().numpy(), ref.detach().numpy())
