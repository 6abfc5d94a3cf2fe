"""Session 8 (lead): a second backward through a freed graph raises where
torch's node saved an index or mask (IndexBackward0, GatherBackward0,
MaxBackward0, ...), and runs where torch's node saved nothing (slices,
views, composites renamed after the fact); star imports bind torch's
public namespaces only."""
import numpy as np
import pytest

import jitgrad

torch = pytest.importorskip("torch")

CASES = {
    "bool_mask_index": lambda t, x: x[x > 0],
    "int_index": lambda t, x: x[1],
    "list_index": lambda t, x: x[[0, 2]],
    "tensor_index": lambda t, x: x[t.tensor([3, 1])],
    "basic_slice": lambda t, x: x[1:3],
    "take": lambda t, x: x.take(t.tensor([0, 3])),
    "take_along_dim": lambda t, x: t.take_along_dim(x, t.tensor([3, 1])),
    "gather2d": lambda t, x: x.view(2, 2).gather(1, t.tensor([[1], [0]])),
    "index_select": lambda t, x: x.index_select(0, t.tensor([1, 2])),
    "masked_select": lambda t, x: x.masked_select(x > 0),
    "masked_fill": lambda t, x: x.masked_fill(x > 0, 1.0),
    "where": lambda t, x: t.where(x > 0, x, 0.0),
    "embedding": lambda t, x: t.nn.functional.embedding(t.tensor([0, 1]), x.view(2, 2)),
    "kthvalue": lambda t, x: x.kthvalue(2)[0],
    "median": lambda t, x: x.median(),
    "median_dim": lambda t, x: x.median(0)[0],
    "mode": lambda t, x: x.mode()[0],
    "cummax": lambda t, x: x.cummax(0)[0],
    "sort": lambda t, x: x.sort()[0],
    "topk": lambda t, x: x.topk(2)[0],
    "max_all": lambda t, x: x.max(),
    "max_dim": lambda t, x: x.view(2, 2).max(1)[0],
    "min_dim": lambda t, x: x.view(2, 2).min(1)[0],
    "index_put": lambda t, x: x.index_put((t.tensor([0]),), t.tensor([5.0])),
    "index_add": lambda t, x: t.zeros(4).index_add(0, t.tensor([1, 2]), x[:2]),
    "index_fill": lambda t, x: x.index_fill(0, t.tensor([1]), 2.0),
    "scatter": lambda t, x: x.scatter(0, t.tensor([1]), t.tensor([5.0])),
    "scatter_add": lambda t, x: x.scatter_add(0, t.tensor([1, 2]), x[:2]),
    "masked_scatter": lambda t, x: x.masked_scatter(x > 0, t.ones(4)),
    "put": lambda t, x: x.put(t.tensor([1]), t.tensor([9.0])),
    "fmax": lambda t, x: t.fmax(x, t.zeros(4)),
    "combinations": lambda t, x: t.combinations(x),
    "max_pool1d": lambda t, x: t.nn.functional.max_pool1d(x.view(1, 1, 4), 2),
    "max_pool2d": lambda t, x: t.nn.functional.max_pool2d(x.view(1, 1, 2, 2), 2),
    "adaptive_max_pool1d": lambda t, x: t.nn.functional.adaptive_max_pool1d(x.view(1, 1, 4), 2),
    "tril": lambda t, x: x.view(2, 2).tril(),
    "flip": lambda t, x: x.flip(0),
    "unbind": lambda t, x: x.unbind()[1],
    "repeat_interleave": lambda t, x: x.repeat_interleave(2),
    "diag_embed": lambda t, x: t.diag_embed(x),
    "rot90": lambda t, x: x.view(2, 2).rot90(),
    "slice_scatter": lambda t, x: t.slice_scatter(x, t.zeros(2), start=1, end=3),
}


def _twice(t, f):
    x = t.tensor([1.0, -2.0, 3.0, 0.5], requires_grad=True)
    y = f(t, x)
    y.sum().backward()
    try:
        y.sum().backward()
        outcome = "ran"
    except RuntimeError as e:
        assert "backward through the graph a second time" in str(e)
        outcome = "raised"
    return outcome, x.grad.tolist(), y.grad_fn.name()


@pytest.mark.parametrize("name", sorted(CASES))
def test_second_backward_through_a_freed_graph_as_torch(name):
    assert _twice(jitgrad, CASES[name]) == _twice(torch, CASES[name])


def test_retained_graph_then_freed():
    for t in (torch, jitgrad):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = x[t.tensor([1, 0])]
        y.sum().backward(retain_graph=True)
        y.sum().backward()
        with pytest.raises(RuntimeError, match="second time"):
            y.sum().backward()
        assert x.grad.tolist() == [2.0, 2.0]


def test_a_freed_index_node_off_the_second_path_is_no_error():
    for t in (torch, jitgrad):
        x = t.tensor([1.0, 2.0], requires_grad=True)
        y = x[t.tensor([1, 0])]
        z = x + 3       # (saves nothing: its second backward runs)
        (y.sum() + z.sum()).backward()
        z.sum().backward()
        assert x.grad.tolist() == [3.0, 3.0]


def test_combinations_next_functions_are_torch_s():
    def names(t):
        y = t.combinations(t.tensor([1.0, 2.0, 3.0], requires_grad=True), with_replacement=True)
        return [f.name() for f, _ in y.grad_fn.next_functions]
    assert names(jitgrad) == names(torch)


def test_star_import_binds_no_package_internals():
    import jitgrad.transforms  # noqa: F401  (binds jitgrad.captured_writes on the package)
    namespace: dict = {}
    exec("from jitgrad import *", namespace)
    for internal in ("core", "tensors", "functional", "autodiff", "captured_writes", "kernel_cache"):
        assert internal not in namespace
    assert {"nn", "optim", "linalg", "autograd", "tensor"} <= set(namespace)


LAYOUT_OPS = {
    "cumsum0": lambda t, x: x.cumsum(0), "cumsum1": lambda t, x: x.cumsum(1), "cumprod0": lambda t, x: x.cumprod(0),
    "logcumsumexp0": lambda t, x: x.logcumsumexp(0), "logcumsumexp_last": lambda t, x: x.logcumsumexp(-1),
    "log_softmax": lambda t, x: x.log_softmax(-1), "softmax": lambda t, x: x.softmax(0),
    "roll": lambda t, x: x.roll(1, 0), "masked_fill": lambda t, x: x.masked_fill(x > 3, 0.0),
    "layer_norm": lambda t, x: t.nn.functional.layer_norm(x, x.shape[-1:]),
    "index_select": lambda t, x: x.index_select(1, t.tensor([1, 0])), "cummax": lambda t, x: x.cummax(0)[0],
    "add": lambda t, x: x + 1, "mul": lambda t, x: x * x, "relu": lambda t, x: x.relu(), "flip": lambda t, x: x.flip(0),
    "where": lambda t, x: t.where(x > 3, x, 0.0), "sum_keepdim": lambda t, x: x.sum(0, keepdim=True),
    "clone": lambda t, x: x.clone(), "clone_contiguous": lambda t, x: x.clone(memory_format=t.contiguous_format),
    "clone_expanded": lambda t, x: x[:1].expand(3, *x.shape[1:]).clone(), "clone_strided": lambda t, x: x[::2].clone(),
}


@pytest.mark.parametrize("name", sorted(LAYOUT_OPS))
@pytest.mark.parametrize("layout", ["transposed", "permuted"])
def test_result_layout_of_a_non_contiguous_input_is_torch_s(name, layout):
    """torch's scans, gathers and normalizations write a contiguous result
    whatever the input's layout (a transposed input's view(-1) works after
    them); elementwise ops keep the layout (view(-1) raises as torch)."""
    def run(t):
        base = t.arange(24.0).reshape(2, 3, 4)
        x = (base[0].t() if layout == "transposed" else base.permute(2, 0, 1)).requires_grad_()
        y = LAYOUT_OPS[name](t, x)
        try:
            y.view(-1)
            viewed = "ok"
        except RuntimeError as e:
            viewed = str(e)
        return tuple(y.stride()), y.is_contiguous(), viewed
    assert run(jitgrad) == run(torch)


MAX_MIN_CALLS = {
    "max_other_keyword": lambda t, x, y: t.max(x, other=y),
    "min_other_keyword": lambda t, x, y: t.min(x, other=y),
    "max_positional": lambda t, x, y: t.max(x, y),
    "method_other_keyword": lambda t, x, y: x.max(other=y),
    "method_min_positional": lambda t, x, y: x.min(y),
    "max_dim": lambda t, x, y: x.max(0).values,
    "min_all": lambda t, x, y: x.min(),
}


@pytest.mark.parametrize("name", sorted(MAX_MIN_CALLS))
def test_max_and_min_with_other_as_torch(name):
    """torch.max(x, other=y) is maximum(x, y) (jitgrad ignored the keyword:
    the max of x alone); min takes it too."""
    def run(t):
        x = t.tensor([1.0, 5.0, 2.0], requires_grad=True)
        y = t.tensor([3.0, 2.0, 2.0], requires_grad=True)
        out = MAX_MIN_CALLS[name](t, x, y)
        out.sum().backward()
        return out.tolist(), x.grad.tolist(), y.grad.tolist() if y.grad is not None else None
    assert run(jitgrad) == run(torch)


def test_max_with_dim_and_other_is_torch_s_type_error():
    for t in (torch, jitgrad):
        with pytest.raises(TypeError, match="max\\(\\) received an invalid combination of arguments"):
            t.max(t.ones(2), 0, other=t.ones(2))


def test_hermitian_pinv_and_rank_read_the_lower_triangle_as_torch():
    """hermitian=True: torch reads A's lower triangle (eigh); jitgrad used
    the whole (non-symmetric) matrix: a silently different pinv / rank."""
    def run(t):
        a = t.tensor([[2.0, 5.0], [1.0, 3.0]], dtype=t.float64)
        b = t.tensor([[2.0, 1.0], [1.0, 3.0]], dtype=t.float64, requires_grad=True)
        p = t.linalg.pinv(b, hermitian=True)
        p.sum().backward()
        return (t.linalg.pinv(a, hermitian=True).tolist(), p.tolist(), b.grad.tolist(),
                int(t.linalg.matrix_rank(t.tensor([[1.0, 7.0], [1.0, 1.0]], dtype=t.float64), hermitian=True)))
    got, want = run(jitgrad), run(torch)
    assert got[3] == want[3]
    for g, w in zip(got[:3], want[:3]):
        assert torch.allclose(torch.tensor(g, dtype=torch.float64), torch.tensor(w, dtype=torch.float64), rtol=1e-12)
    for t in (torch, jitgrad):
        with pytest.raises(RuntimeError, match="linalg.eigh: A must be batches of square matrices"):
            t.linalg.pinv(t.ones(2, 3), hermitian=True)


def _kth_case(t, v, k, dim):
    x = t.tensor(v, dtype=t.float64, requires_grad=True)
    out = x.kthvalue(k, dim)
    out.values.sum().backward()
    return out.indices.tolist(), x.grad.tolist()


KTH_TIES = [([3.0, 1.0, 2.0, 3.0, 1.0, 5.0, 4.0, 1.0], 2), ([2.0, 2.0, 2.0, 2.0, 0.0, 0.0, 0.0, 0.0], 2),
            ([2.0, 2.0, 2.0, 2.0, 0.0, 0.0, 0.0, 0.0], 4), ([1.0, 1.0, 3.0], 2), ([2.0, 2.0, 2.0], 2),
            ([1.0, float("nan"), 1.0, float("nan")], 3), ([0.0, 1.0, 0.0, 1.0, 0.0], 3)]


@pytest.mark.parametrize("values, k", KTH_TIES)
def test_kthvalue_picks_torch_s_index_among_ties(values, k):
    """torch's CPU kthvalue selects by its quick select: among equal values
    another index than the stable sort's first (jitgrad's before: 45% of
    random tied rows differed, and the gradient went to another element)."""
    assert _kth_case(jitgrad, [values, values[::-1]], k, 1) == _kth_case(torch, [values, values[::-1]], k, 1)


def test_compiled_kthvalue_replays_torch_s_pick_among_ties():
    f = jitgrad.compile(lambda x: x.kthvalue(2, 1).values.sum() * 2)
    for v in ([[1.0, 2.0, 3.0], [4.0, 0.0, 5.0]], [[1.0, 1.0, 3.0], [2.0, 2.0, 2.0]], [[0.0, 0.0, 1.0], [3.0, 1.0, 1.0]]):
        x = jitgrad.tensor(v, dtype=jitgrad.float64, requires_grad=True)
        f(x).backward()
        t = torch.tensor(v, dtype=torch.float64, requires_grad=True)
        (t.kthvalue(2, 1).values.sum() * 2).backward()
        assert x.grad.tolist() == t.grad.tolist()
    assert f.tape_for(x) is not None       # (replayed, not run eagerly)


TOPK_CASES = [([3.0, 1.0, 2.0, 3.0, 1.0, 5.0, 4.0], 3), ([3.0, 1.0, 2.0, 3.0, 1.0, 5.0, 4.0], 5),
              ([1.0, 1.0, 1.0, 1.0], 2), ([2.0, 0.0, 2.0, 0.0, float("nan"), float("nan")], 3),
              ([float(i % 3) for i in range(200)], 2), ([float(i % 7) for i in range(40)], 30)]


@pytest.mark.parametrize("values, k", TOPK_CASES)
@pytest.mark.parametrize("largest", [True, False])
@pytest.mark.parametrize("sorted_", [True, False])
def test_topk_indices_among_ties_and_unsorted_as_torch(values, k, largest, sorted_):
    """torch's topk picks among equal values by libstdc++'s partial_sort /
    nth_element (torch_topk.py) and, sorted=False, leaves their order;
    jitgrad took the stable order (other indices, gradients elsewhere)."""
    def run(t):
        x = t.tensor([values, values[::-1]], dtype=t.float64, requires_grad=True)
        out = x.topk(k, 1, largest, sorted_)
        (out.values * t.arange(1.0, 1.0 + 2 * k, dtype=t.float64).reshape(2, k)).nansum().backward()
        return out.indices.tolist(), x.grad.tolist()
    assert run(jitgrad) == run(torch)


def test_compiled_topk_replays_torch_s_order_among_ties():
    """A replay recomputes topk's picks by torch's order (replay_select._topk_row)."""
    def fn(m, a):
        return a.topk(3, largest=True, sorted=False).values.sum() + a.topk(2, largest=False).values.sum() * 2
    f = jitgrad.compile(lambda a: fn(jitgrad, a))
    rng = np.random.default_rng(0)
    for _ in range(40):
        v = rng.integers(0, 3, 9).astype(float)
        a = jitgrad.tensor(v, requires_grad=True)
        f(a).backward()
        t = torch.tensor(v, requires_grad=True)
        fn(torch, t).backward()
        assert a.grad.tolist() == t.grad.tolist()
    assert f.tape_for(a) is not None
