"""Sorting and selection under jitgrad.compile replay their picks.

sort / argsort / topk / kthvalue, max / min with a dim, argmax / argmin and
median / nanmedian record a `select_order` record (the op table's no-gradient
entry, functional/selection.py) before the gather of the picks: each replay
recomputes the order in Numba and rewrites the gather's index map, so a
function whose order changes between calls replays (one recording) and
gives eager jitgrad's bits: values, indices and gradients, with ties, nan,
signed zeros and infinities. Compared with torch where torch's picks are
defined (stable sorts, first maximum). Indices read as Python indices
still guard (never a stale value); `unique` still runs eagerly.
"""
import warnings

import numpy as np
import pytest
import torch

import jitgrad as jg
from jitgrad.core import kernels as K
from jitgrad.func import value_and_grad as jg_value_and_grad

NAN, INF = float("nan"), float("inf")


def same(a, b):
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True) and \
        np.array_equal(np.signbit(a), np.signbit(b))


def _calls(special):
    """(3, 5) inputs whose order changes from call to call: ties, and with
    `special` nan, infinities and signed zeros."""
    rng = np.random.default_rng(17)
    out = []
    for k in range(6):
        v = rng.integers(-3, 4, (3, 5)).astype(np.float64) + (rng.random((3, 5)) < 0.3) * 0.5
        if special:
            if k % 2:
                v[1, rng.integers(5)] = NAN
            if k % 3 == 1:
                v[0, 0], v[0, 3] = -0.0, 0.0
            if k % 3 == 2:
                v[2, 1], v[2, 4] = INF, -INF
            if k == 5:
                v[1, :] = NAN
        out.append(v)
    return out


# name -> fn(lib, x): what users write. Each returns a float tensor and uses the picks' values and indices.
OPS = {
    "sort": lambda lib, x: lib.sort(x, dim=1).values * 2.0,
    "sort_desc_dim0": lambda lib, x: lib.sort(x, dim=0, descending=True)[0] + 1.0,
    "sort_stable": lambda lib, x: lib.sort(x, stable=True).values * 3.0,
    "sort_indices_arith": lambda lib, x: x * lib.sort(x, dim=1).indices.to(x.dtype),
    "argsort": lambda lib, x: x * lib.argsort(x, dim=1, descending=True).to(x.dtype),
    "topk": lambda lib, x: lib.topk(x, 2, dim=1).values * 2.0,
    "topk_smallest_flat": lambda lib, x: lib.topk(x.reshape(-1), 3, largest=False).values.sum(),
    "kthvalue": lambda lib, x: lib.kthvalue(x, 2, dim=1).values * 2.0,
    "kthvalue_keepdim": lambda lib, x: x - lib.kthvalue(x, 3, dim=0, keepdim=True)[0],
    "max_dim": lambda lib, x: lib.max(x, dim=1).values * 2.0,
    "max_dim_indices": lambda lib, x: x.max(dim=0).values + x.max(dim=0).indices.to(x.dtype),
    "min_dim_keepdim": lambda lib, x: x - x.min(dim=1, keepdim=True).values,
    "argmax": lambda lib, x: x * lib.argmax(x).to(x.dtype),
    "argmin_dim": lambda lib, x: x * lib.argmin(x, dim=1, keepdim=True).to(x.dtype),
    "median_dim": lambda lib, x: lib.median(x, dim=1).values * 2.0,
    "median_all": lambda lib, x: x * lib.median(x),
    "nanmedian_dim": lambda lib, x: lib.nanmedian(x, dim=0, keepdim=True).values + x,
    "nanmedian_all": lambda lib, x: x.nanmedian() * x,
}
# Where torch's picks are the same as eager jitgrad's (stable sorts, first max/min): compared with torch.
TORCH_SAME = {"sort_stable", "max_dim", "min_dim_keepdim", "argmax", "argmin_dim", "median_dim", "nanmedian_dim",
              "sort_desc_dim0", "sort", "argsort", "median_all", "nanmedian_all"}
# median() of all elements spreads the gradient over tied medians (as torch): a call with ties runs
# eagerly (a guard on "no ties" keeps the pick's tape for the others).
SPLITS_TIES = {"median_all", "nanmedian_all"}


def _run(lib, fn, v, dtype):
    x = lib.tensor(v, dtype=getattr(lib, dtype), requires_grad=True)
    out = fn(lib, x)
    out.sum().backward()
    return out.detach().numpy(), x.grad.numpy()


@pytest.mark.parametrize("special", [False, True], ids=["ties", "nan_inf_zeros"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", sorted(OPS))
def test_picks_replay_bit_for_bit(name, dtype, special):
    fn = OPS[name]
    with warnings.catch_warnings():
        if name not in SPLITS_TIES:
            warnings.filterwarnings("error", message="jitgrad.compile")     # no eager fallback
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        cf = jg.compile(lambda x: fn(jg, x))
        for v in _calls(special):
            want, want_g = _run(jg, fn, v, dtype)
            got, got_g = _run(jg, lambda lib, x: cf(x), v, dtype)
            assert same(got, want) and same(got_g, want_g), (v, got, want)
            if name in TORCH_SAME:
                ref, ref_g = _run(torch, fn, v, dtype)
                tol = 1e-6 if dtype == "float32" else 1e-12
                assert np.allclose(got, ref, rtol=tol, atol=tol, equal_nan=True), (v, got, ref)
                assert np.allclose(got_g, ref_g, rtol=tol, atol=tol, equal_nan=True), (v, got_g, ref_g)
    if name in SPLITS_TIES:
        return
    assert cf.records == 1 and cf.eager_calls == 0 and cf.replays == len(_calls(special)) - 1, cf.report()
    e = cf.tapes[0]
    assert K.SELECT_ORDER in set(e.rec[:, 0].tolist())      # a recorded pick, not guards
    assert e.guards[0].size == 0
    assert e.stats()["host_forward_records"] == 0


def test_indices_returned_replay():
    cf = jg.compile(lambda x: jg.sort(x, descending=True))
    for v in _calls(True):
        x = jg.tensor(v)
        want = jg.sort(x, descending=True)
        got = cf(x.clone().requires_grad_())
        assert same(got.values.detach().numpy(), want.values.numpy())
        assert got.indices.dtype is jg.int64 and same(got.indices.numpy(), want.indices.numpy())
        tv = torch.sort(torch.tensor(v), descending=True, stable=True)
        assert same(got.values.detach().numpy(), tv.values.numpy()) and same(got.indices.numpy(), tv.indices.numpy())


def test_each_call_keeps_its_own_picks():
    """A call's graph keeps its picks when later calls pick differently
    (each replay has its own index maps): retained graphs backward correctly."""
    cf = jg.compile(lambda x: (jg.topk(x, 2).values * jg.tensor([3.0, 1.0])).sum())
    xs = [jg.tensor(v, requires_grad=True) for v in ([1.0, 5.0, 3.0, 2.0], [4.0, 0.0, 1.0, 9.0], [2.0, 2.0, 7.0, 0.0])]
    outs = [cf(x) for x in xs]
    for x, out in zip(reversed(xs), reversed(outs)):
        out.backward()
    for x in xs:
        xe = x.detach().clone().requires_grad_()
        (jg.topk(xe, 2).values * jg.tensor([3.0, 1.0])).sum().backward()
        assert same(x.grad.numpy(), xe.grad.numpy())
    assert cf.replays == 2


def test_value_and_grad_and_batch():
    def f(x):
        s = jg.sort(x).values
        return (s * jg.arange(4.0, dtype=jg.float64)).sum() + x.max(dim=0).values * 2.0
    vg = jg.compile(jg_value_and_grad(f))
    X = np.array([[3.0, 1.0, 2.0, 0.5], [0.0, -1.0, 4.0, 4.0], [NAN, 1.0, 2.0, 3.0], [-0.0, 0.0, 0.0, -0.0]])
    for row in X:
        v, g = vg(jg.tensor(row))
        wv, wg = jg_value_and_grad(f)(jg.tensor(row))
        assert same(v.numpy(), wv.numpy()) and same(g.numpy(), wg.numpy())
    assert vg.cf.records == 1 and vg.cf.replays == len(X) - 1
    vb, gb = vg.batch(jg.tensor(X))
    for k, row in enumerate(X):
        wv, wg = jg_value_and_grad(f)(jg.tensor(row))
        assert same(vb.numpy()[k], wv.numpy()) and same(gb.numpy()[k], wg.numpy())
    cf = jg.compile(f)
    assert same(cf.batch(jg.tensor(X)).numpy(), [f(jg.tensor(r)).item() for r in X])


def test_indices_used_as_python_indices_are_never_stale():
    """An argmax read as an index (not arithmetic) guards on its value."""
    def fn(x, y):
        i = jg.argmax(x)
        return y[i] * 2.0 + x.sum()
    cf = jg.compile(fn)
    y = jg.tensor([10.0, 20.0, 30.0], requires_grad=True)
    for v in ([1.0, 5.0, 2.0], [7.0, 0.0, 1.0], [0.0, 1.0, 9.0], [3.0, 3.0, 3.0]):
        x = jg.tensor(v, requires_grad=True)
        assert same(cf(x, y).detach().numpy(), fn(x, y).detach().numpy())


def test_unique_runs_eagerly_never_stale():
    fn = lambda x: x.sum() * jg.unique(x).to(x.dtype).sum()    # noqa: E731
    cf = jg.compile(fn)
    with pytest.warns(RuntimeWarning, match="runs eagerly.*unique"):
        for v in ([1.0, 1.0, 2.0], [3.0, 4.0, 5.0], [0.0, 0.0, 0.0]):
            x = jg.tensor(v, requires_grad=True)
            assert same(cf(x).detach().numpy(), fn(x).detach().numpy())
    assert cf.eager_calls == 3


def test_eager_descending_sort_puts_nan_first_as_torch():
    v = [1.0, NAN, 3.0, INF, NAN, 3.0, -0.0, 0.0]
    for desc in (False, True):
        got = jg.sort(jg.tensor(v), descending=desc)
        want = torch.sort(torch.tensor(v), descending=desc, stable=True)
        assert same(got.values.numpy(), want.values.numpy()) and same(got.indices.numpy(), want.indices.numpy())
    got = jg.topk(jg.tensor(v), 3)
    want = torch.topk(torch.tensor(v), 3)
    assert same(got.values.numpy(), want.values.numpy()) and same(got.indices.numpy(), want.indices.numpy())


def test_a_saved_tape_with_picks_recomputes_them(tmp_path):
    # (crafted select_order layouts: tests/test_users8_compile_tapes.py)
    cf = jg.compile(lambda x: jg.sort(x).values * 2.0)
    cf(jg.tensor([2.0, 1.0], requires_grad=True))
    cf.tapes[0].save(str(tmp_path / "t.npz"))
    loaded = jg.load_tape(str(tmp_path / "t.npz"))
    for v in ([3.0, -1.0], [1.0, 2.0], [np.nan, 0.5]):
        a, b = jg.tensor(v, requires_grad=True), torch.tensor(v, requires_grad=True)
        got, want = loaded(a), torch.sort(b).values * 2.0
        (got * jg.tensor([1.0, 3.0])).sum().backward()
        (want * torch.tensor([1.0, 3.0])).sum().backward()
        assert same(got.detach().numpy(), want.detach().numpy()) and same(a.grad.numpy(), b.grad.numpy())


def test_disable_jit_runs_the_same():
    """NUMBA_DISABLE_JIT=1 gives the same replayed picks."""
    import os
    import subprocess
    import sys
    code = ("import jitgrad as jg\n"
            "f = lambda x: (jg.sort(x, descending=True).values * jg.arange(4.)).sum() + x.median() + x.max(0)[0]\n"
            "cf = jg.compile(f)\n"
            "out = []\n"
            "for v in ([3., 1., 2., 0.], [0., 7., 5., 4.], [0., float('nan'), 5., 5.], [-0., 0., 1., -1.]):\n"
            "    x = jg.tensor(v, requires_grad=True); y = cf(x); y.backward()\n"
            "    out += [y.item()] + x.grad.tolist()\n"
            "print(repr(out), cf.replays)\n")
    res = []
    for disable in ("0", "1"):
        env = dict(os.environ, NUMBA_DISABLE_JIT=disable)
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                           cwd=os.path.dirname(os.path.dirname(jg.__file__)))
        assert p.returncode == 0, p.stderr
        res.append(p.stdout)
    # (the second call replays with new picks; the third's nan records again (median's guard on where
    # nans are); the fourth's median ties -0.0 with 0.0: it runs eagerly, splitting the gradient as torch)
    assert res[0] == res[1] and res[0].strip().endswith(" 1")


def test_returned_named_pairs_replay_never_frozen():
    """A function returning torch.return_types (max(dim), topk) or a named
    tuple: the items are replayed, the type kept (it was a frozen constant)."""
    import collections
    Pair = collections.namedtuple("Pair", "lo hi")
    for fn in (lambda x: x.max(dim=1), lambda x: jg.topk(x, 2), lambda x: Pair(x.min(dim=0).values, x * 2.0)):
        cf = jg.compile(fn)
        for v in _calls(False)[:3]:
            x = jg.tensor(v, requires_grad=True)
            got, want = cf(x), fn(x)
            assert type(got) is type(want) and repr(got)[:20] == repr(want)[:20]
            for g, w in zip(got, want):
                assert same(g.detach().numpy(), w.detach().numpy())
        assert cf.replays == 2


def test_create_graph_through_replayed_picks():
    """Second derivatives through a replayed sort (its gather's per-call index map)."""
    def f(x):
        return (jg.sort(x, descending=True).values ** 3 * jg.arange(4.0, dtype=jg.float64)).sum()
    cf = jg.compile(f)
    for v in ([3.0, 1.0, 2.0, 0.5], [0.1, 4.0, -1.0, 2.0], [2.0, 2.0, 1.0, 9.0]):
        res = []
        for fn in (f, cf):
            x = jg.tensor(v, dtype=jg.float64, requires_grad=True)
            y = fn(x)
            g, = jg.autograd.grad(y, x, create_graph=True)
            h, = jg.autograd.grad(g.sum(), x)
            res.append((y.item(), g.detach().numpy(), h.numpy()))
        assert res[0][0] == res[1][0] and same(res[0][1], res[1][1]) and same(res[0][2], res[1][2])
        xt = torch.tensor(v, dtype=torch.float64, requires_grad=True)
        gt, = torch.autograd.grad((torch.sort(xt, descending=True, stable=True).values ** 3
                                   * torch.arange(4.0, dtype=torch.float64)).sum(), xt, create_graph=True)
        ht, = torch.autograd.grad(gt.sum(), xt)
        assert np.allclose(res[1][1], gt.detach().numpy()) and np.allclose(res[1][2], ht.numpy())
    assert cf.replays == 2


def test_median_ties_take_torch_s_split_gradient_under_compile():
    """median() of all elements splits its gradient among tied values (as
    torch): a tape recorded without ties guards on "no ties", so a call with
    ties never replays the single-pick gradient."""
    f = jg.compile(lambda x: x.median() * x.sum())
    for values in ([1.0, 2.0, 3.0], [2.0, 2.0, 3.0], [1.0, 5.0, 3.0], [2.0, 2.0, 3.0], [4.0, 4.0, 4.0]):
        x = jg.tensor(values, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            f(x).backward()
        xt = torch.tensor(values, requires_grad=True)
        (xt.median() * xt.sum()).backward()
        np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), rtol=1e-6)
