"""Known fidelity gaps (known15): calls torch rejects for an argument of the
wrong type (keepdim=2, largest=None, a tuple dim where torch takes one int,
torch.max(x, None)...) that jitgrad took and answered, and torch's messages
for wrong argument types of more functions. Each call is run under both;
the outcome (ok, or the exception's type and message) must be torch's."""
import pytest

import jitgrad

torch = pytest.importorskip("torch")


def _env(lib):
    return dict(torch=lib, F=lib.nn.functional, x=lib.arange(24.).reshape(2, 3, 4),
                i=lib.zeros(2, 3, 4, dtype=lib.int64), i1=lib.tensor([0, 1]), m=lib.ones(3, 3),
                im=lib.ones(1, 2, 5, 5), t=lib.tensor([0, 1, 2]), w=lib.ones(3, 2, 3, 3))


def _outcome(call, lib):
    """('ok', '') or (error type, message)."""
    try:
        eval(call, _env(lib))     # noqa: S307 (the calls are this file's literals)
        return "ok", ""
    except Exception as e:      # noqa: BLE001 (the error is the compared outcome)
        return type(e).__name__, str(e)


# calls torch rejects that jitgrad accepted (a value where torch raises)
SILENT = [
    "x.sum(keepdim='a')", "x.sum(1, keepdim=2)", "x.sum(1, keepdim=None)", "x.sum(True)",
    "x.sum(dim=None, keepdim=1.5)", "x.sum(0, 1)", "torch.sum(x, keepdim=2)",
    "x.mean(dim=(0, 1), keepdim=2)", "torch.mean(x, (0, 1), keepdim=2)",
    "x.prod(dim=(0, 1))", "torch.prod(x, (0, 1))", "x.prod(None)", "x.prod(1, keepdim=2)", "x.prod(1, keepdim='a')",
    "x.std(unbiased=True, correction=1)", "x.var(unbiased=True, correction=1)", "x.std(1, keepdim=2)",
    "x.var(1, keepdim=2)", "x.var(2, unbiased=2)", "x.std(1, 1)",
    "x.max(1, keepdim=2)", "x.max(None)", "x.max(1, 2)", "torch.max(x, None)", "torch.max(x, 1, keepdim=2)",
    "x.min(1, keepdim=2)", "torch.min(x, None)",
    "x.amax(1, keepdim=2)", "x.argmax(1, keepdim=2)",
    "x.median(dim=(0,))", "x.median(1, keepdim=2)", "x.median(None)",
    "x.logsumexp(1, keepdim=2)", "x.logsumexp(None)", "x.cumsum(dim=True)",
    "x.sort(1, stable=True)", "torch.sort(x, 1, stable=True)", "x.sort(descending=2)", "x.argsort(descending=2)",
    "x.topk(2, largest=None)", "x.topk(2, sorted=2)",
    "x.kthvalue(1.0)", "torch.kthvalue(x, 1.0)", "x.kthvalue(1, keepdim=2)",
    "x.reshape(True, 24)", "x.transpose(True, 1)", "x.squeeze(None)", "x.unsqueeze(True)",
    "x.softmax(None)", "x.softmax((0,))", "x.log_softmax(None)", "x.repeat(1, 1, 1.0)",
    "F.softmax(x, (0,))", "F.log_softmax(x, (0,))", "F.max_pool2d(im, 2.0)", "F.max_pool2d(im, 2, 1.0)",
    "F.max_pool2d(im, 2, padding=0.0)", "F.max_pool2d(im, 2, dilation=1.0)", "F.max_pool2d(im, True)",
    "F.max_pool2d(im, 2.0, return_indices=True)", "F.max_pool1d(im[0], 2.0)", "F.max_pool2d(im, (2, 2.0))",
    "F.dropout(x, 0.5, training=None)", "F.dropout(x, 0.5, training='a')", "F.dropout(x, 0.5, 1)",
    "torch.zeros(True)", "torch.ones(True)", "torch.empty(True)", "torch.full((2,), None)",
    "x.all(1, keepdim=2)", "x.any(1, keepdim=2)", "x.nansum(1, keepdim=2)", "x.nanmean(1, keepdim=2)",
    "x.aminmax(dim=1, keepdim=2)", "torch.var_mean(x, 1, keepdim=2)", "x.cummin(True)", "x.flip(None)",
    "x.flip(True)", "torch.flip(m, 0)", "x.select(0, 0.0)", "x.tril(1.0)", "torch.tril(m, 1.0)", "x.swapdims(True, 1)",
    "x.round(decimals=1.0)", "x.renorm(2, 0.0, 1)", "x.isclose(x, equal_nan=2)", "x.equal(1.0)", "torch.diag(m, 1.0)",
    "F.cross_entropy(m, t, ignore_index=1.0)", "F.cross_entropy(m, t, ignore_index=None)", "torch.split(m, [1.0, 2])",
    "torch.split(m, (1, 2.0))", "F.layer_norm(x, 4)", "F.layer_norm(x, (4.0,))", "F.nll_loss(m, t, ignore_index=1.5)",
    "F.batch_norm(x, None, None, training=None)", "F.dropout2d(im, 0.5, training=None)",
    "F.alpha_dropout(x, 0.5, training=None)", "F.feature_alpha_dropout(im, 0.5, training=1)",
    "F.conv2d(im, w, stride=1.5)", "F.conv2d(im, w, stride=(1, 1.0))", "F.conv1d(im[0], w[0], stride=1.5)",
    "F.one_hot(i1, 1.5)", "F.one_hot(i1, num_classes=1.5)", "F.avg_pool2d(im, 2.0)", "F.avg_pool2d(im, kernel_size=2.0)",
    "F.avg_pool2d(im, 2, ceil_mode=1)", "torch.eye(2, None)", "torch.randperm(2.0)", "torch.hstack(m)",
    "x.norm(2, 1, keepdim=2)", "x.norm(keepdim=2)", "x.norm('fro', (0, 1), keepdim=2)", "x.norm(1, keepdim=None)",
    "torch.norm(x, 2, 1, 1)", "torch.vstack(x)", "torch.randint(10.5, (2,))", "F.unfold(im, 2.0)", "F.unfold(im, 2, stride=(1, 1.0))",
    "x.tile(1.0)", "x.tile(True)", "x.roll(True)", "x.roll(0, True)", "x.narrow(0, 0, 1.0)", "x.narrow(0, 0.0, 1)",
    "x.diff(True)", "x.diff(0, 1.0)", "x.repeat_interleave(1.0)", "x.repeat_interleave(0, True)", "x.rot90(1.0)",
    "x.triu_(1.0)", "x.tril_(True)", "x.sum_to_size(True)", "x.histc(True)", "x.nan_to_num('a')",
    "x.nan_to_num((0,), 1)", "x.movedim(0, True)", "x.movedim((0,), 1)", "x.moveaxis((0,), 1)",
]
# calls both reject, with torch's message now
MESSAGES = [
    "x.sum(dim=(0.5,))", "x.sum((0, 1.0))", "x.mean(1, True, 3)", "x.var(dim=(0.0,))", "x.amax(dim=(0.0,))",
    "x.amax((0.0,))", "x.amax((0, 1.0))", "x.reshape((2.0, 12))", "x.reshape((2, 12.0))",
    "torch.reshape(x, (2.0, 12))", "x.permute((0.0, 1, 2))", "x.permute(0, 1, 2.0)",
    "x.chunk(2.0)", "x.chunk(2, 1.0)", "x.chunk(None)", "torch.chunk(x, 2.0)",
    "x.gather(1.0, i)", "x.gather(None, i)", "x.gather(1, None)", "torch.gather(x, 1.0, i)",
    "x.index_select(1.0, i1)", "x.index_select(None, i1)", "torch.index_select(x, 1.0, i1)",
    "x.scatter(1.0, i, 0.0)", "x.scatter(1, i, None)", "x.scatter(1, i, 'a')", "torch.scatter(x, 1.0, i, 0.0)",
    "x.masked_fill(x > 0, 'a')", "x.masked_fill(x > 0, None)", "torch.masked_fill(x, x > 0, 'a')",
    "x.kthvalue(1, None)", "x.sort(None)", "x.unsqueeze(1.0)",
    "F.softmax(x, 1.0)", "F.log_softmax(x, 1.0)", "F.max_pool2d(im, None)", "F.max_pool2d(im, 'a')",
    "F.max_pool2d(im, (2.0, 2))", "F.linear(m, 1.0)", "F.linear(m, m, 1.0)", "F.linear(m, None)",
    "F.linear(m, m, 'a')", "F.linear(1.0, m)", "torch.full((2,), 'a')", "torch.full((2,), [1])",
    "torch.full((2.0,), 1.0)", "torch.zeros([True])", "torch.zeros((2.0,))", "torch.randn(-1)", "torch.randn(2.0)",
    "torch.randn(None)", "torch.randn('a')", "torch.randn((2, -1))", "torch.randn(2, 2.0)", "torch.rand((2.0,))",
    "torch.rand((2, -1))", "x.std(unbiased=None)", "x.var(unbiased='a')", "x.std(unbiased=1, correction=1, keepdim=3)",
    "x.all(dim=1.0)", "x.any(dim=(0.0,))", "x.nansum(1.0)", "x.aminmax(dim=1.0)", "torch.std_mean(x, 1.0)",
    "x.cummax(1.0)", "x.cummax(None)", "x.logcumsumexp(1.0)", "x.flip(1.0)", "x.select(0.0, 0)", "x.select(0, None)",
    "x.diagonal(0.0)", "x.diagonal(0, 0.0, 1)", "x.triu(None)", "x.unbind(1.0)", "x.unbind(None)",
    "x.swapaxes(0, 1.0)", "torch.triu(m, None)", "torch.flip(m, 1.0)",
    "F.cross_entropy(m, None)", "F.cross_entropy(m, t, weight=1.0)", "F.cross_entropy(m, t, label_smoothing='a')",
    "F.cross_entropy(m, t, label_smoothing=None)", "x.split(2.0)", "x.split(None)", "torch.split(x, 2.0)",
    "x.split([1, 1], 1.0)", "x.argsort(stable=None)", "torch.add('a', x)", "torch.arange('a')", "torch.arange(None)", "torch.arange(0, 10, 2, dtype='a')",
    "torch.linspace(0, 1, 2.0)", "torch.linspace(0, 1, None)", "torch.linspace(0, 1)", "torch.linspace('a', 1, 2)",
    "torch.eye(2.0)", "torch.eye(None)", "torch.eye(2, 3.0)", "torch.flip(x, torch.tensor(0))", "x.all((0, 0))", "F.conv2d(im, w, groups=1.0)", "F.conv2d(im, w, None, None)",
]
# calls torch accepts: the checks must not reject them
ACCEPTED = [
    "x.sum(1, True)", "x.sum(dim=())", "x.sum(1, dtype=None)", "x.mean(1, True)",
    "x.std(None)", "x.std(dim=None, correction=0)", "x.std(0, True, True)", "x.std(True)", "x.var(unbiased=False)",
    "x.std(1, correction=1.5, keepdim=True)", "x.amax(())", "x.amax(None)", "x.median(dim=1)", "x.median()",
    "x.transpose(0, torch.tensor(1))", "x.sort(stable=True)", "x.sort(1, True)", "x.argsort(stable=True, dim=1)",
    "x.topk(2, 1, False, False)", "x.kthvalue(1, 1, True)", "x.max(1, True)", "x.max(x)", "torch.max(x, 1, True)",
    "x.view(2, 12)", "x.view((2, 12))", "x.reshape([2, -1])", "x.permute(2, 1, 0)", "x.repeat(1, 2, 1)",
    "x.chunk(2, dim=1)", "x.gather(1, i, sparse_grad=False)", "x.index_select(0, i1)", "x.scatter(1, i, 0.5)",
    "x.scatter(1, i, x, reduce='add')", "x.masked_fill(x > 0, 1)", "x.masked_fill(x > 0, torch.tensor(2.0))",
    "x.logsumexp((0, 1), True)", "F.softmax(x, 1)", "F.softmax(x, -1, dtype=torch.float64)",
    "F.log_softmax(x, dim=0)", "F.max_pool2d(im, 2)", "F.max_pool2d(im, (2, 2), stride=None, padding=(1, 0))",
    "F.max_pool2d(im, 2, return_indices=True)", "F.dropout(x, 0.5, False)", "F.dropout(x, 0.0, True, False)",
    "F.linear(m, m)", "F.linear(m, m, None)", "torch.zeros(2, True)", "torch.zeros((2, True))",
    "torch.full((2,), torch.tensor(1.0))", "torch.full((2,), 1 + 2j)", "torch.randn(2, 3)",
    "x.all()", "x.all(1)", "x.all(dim=None)", "x.nansum((0, 1))", "x.nanmean(1, True)",
    "x.aminmax(dim=1)", "torch.var_mean(x, 1)", "torch.std_mean(x, (0, 1), correction=0)", "x.cummin(1)", "x.flip(0)",
    "x.flip(0, 1)", "x.flip((0, 1))", "torch.flip(m, [0])", "x.select(0, -1)", "x.tril()", "x.triu(1)",
    "x.swapdims(0, 1)", "x.swapaxes(0, 2)", "x.round()", "x.round(decimals=2)", "x.renorm(2, 0, 1.0)",
    "x.isclose(x, 1e-3, 1e-3, True)", "x.equal(x)", "torch.diag(m, -1)", "x.diagonal(0, 1, 2)", "x.unbind()",
    "x.logcumsumexp(1)", "x.view(24)", "x.permute(0, 1, 2)", "x.cummax(dim=-1)",
    "F.cross_entropy(m, t, ignore_index=0, label_smoothing=0)", "F.cross_entropy(m, t, torch.ones(3))",
    "F.nll_loss(m, t, ignore_index=1)", "torch.split(m, [1, 2])", "x.split((1, True, 1), 1)", "x.split(1, dim=2)",
    "F.layer_norm(x, (4,))", "F.layer_norm(x, [3, 4])", "F.layer_norm(x, x.shape[1:])",
    "F.batch_norm(x, None, None, training=True)", "F.dropout2d(im, 0.5, training=False)",
    "F.alpha_dropout(x, 0.5)", "F.alpha_dropout(x, 0.2, True)", "F.conv2d(im, w, None, 1, 'same')",
    "F.conv2d(im, w, stride=(1, 2), padding=1)", "F.conv1d(im[0, :, 0], w[:, :, 0], None, 1, 0, 1, 1)", "F.one_hot(i1, 3)",
    "F.one_hot(i1, num_classes=-1)", "torch.arange(5)", "torch.arange(0, 5, 0.5)", "torch.arange(1.0, 3)",
    "torch.arange(torch.tensor(3))", "torch.arange(5, dtype=torch.float32, requires_grad=True)",
    "torch.arange(start=1, end=4)", "torch.eye(2, 3, dtype=torch.float64)", "torch.eye(3, m=2)", "torch.randperm(4)",
    "torch.randperm(3, generator=torch.Generator().manual_seed(1))", "torch.linspace(0, 1, 5)",
    "torch.linspace(torch.tensor(0.0), 1, 5)", "torch.hstack([m, m])", "torch.vstack((m, m))",
    "torch.randint(10, (2,))", "torch.randint(2, 10, (2,))", "F.unfold(im, 2)", "F.unfold(im, (2, 3), 1, 0, 1)",
    "x.tile(2)", "x.tile((1, 2))", "x.tile(2, 1)", "x.roll(1)", "x.roll((1, 2), (0, 1))", "x.roll(1, 0)",
    "x.narrow(0, 0, 1)", "x.narrow(1, torch.tensor(1), 2)", "x.diff()", "x.diff(1, 0)", "x.repeat_interleave(2)",
    "x.repeat_interleave(torch.tensor([1, 2]), 0)", "x.repeat_interleave(2, dim=1)", "x.rot90(1, (1, 2))",
    "x.triu_(1)", "x.tril_()", "x.sum_to_size(1, 3, 1)", "x.sum_to_size((3, 4))", "x.histc(4, 0, 10)",
    "x.nan_to_num(0.0, 1.0, -1.0)", "x.nan_to_num(posinf=1)", "x.movedim(0, 1)", "x.movedim((0, 1), (1, 0))",
    "x.moveaxis(0, -1)", "torch.add(2.0, x)", "torch.sub(2, x)", "torch.mul(True, x)", "torch.add(2.0, 3.0)",
    "torch.div(2, x, rounding_mode='floor')", "torch.clamp(x, torch.tensor(0.0), 1.0)", "torch.pow(2, x)",
    "torch.where(x > 0, 2.0, x)", "x.norm(2, 1, True)", "x.norm(keepdim=True)", "torch.norm(x, 'fro', (0, 1), False)", "torch.sort(x, stable=None)", "torch.max(x, torch.tensor(1.0))", "torch.sub(x, 1, alpha=0.5)", "torch.linspace(0, 1, steps=3, dtype=torch.float64)", "x.sum(torch.tensor(1))", "x.sum(torch.tensor([1]))", "x.amax(torch.tensor(1))",
    "x.sum(axis=1, keepdims=True)", "x.mean(axis=(0, 1), keepdims=True)", "x.amax(axis=1, keepdims=True)",
    "x.max(axis=1, keepdims=True)", "torch.sum(x, axis=0)", "x.any((0, 1), True)", "x.all([0, 2])", "F.avg_pool2d(im, 2, None, 0, True, False, 1)", "F.avg_pool2d(im, (2, 2), stride=1)", "x.softmax(-1)", "x.cumsum(dim=1)", "x.prod(1, True)",
]


@pytest.mark.parametrize("call", SILENT + MESSAGES + ACCEPTED)
def test_outcome_is_torchs(call):
    assert _outcome(call, jitgrad) == _outcome(call, torch)


def test_var_warning_points_at_the_caller():
    """The degrees-of-freedom warning names the user's line through the wrapper."""
    x = jitgrad.ones(3, 4)
    for call in (lambda: x.std(dim=0, correction=5), lambda: jitgrad.var(x, 0, correction=5),
                 lambda: jitgrad.var_mean(x, 0, correction=5)):
        with pytest.warns(UserWarning, match="degrees of freedom") as got:
            call()
        assert got[0].filename == __file__


def test_lists_are_what_they_say():
    """SILENT and MESSAGES calls raise in torch, ACCEPTED ones don't."""
    assert all(_outcome(c, torch)[0] != "ok" for c in SILENT + MESSAGES)
    assert all(_outcome(c, torch)[0] == "ok" for c in ACCEPTED)
