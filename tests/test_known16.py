"""Known fidelity gaps (known16): calls torch rejects that jitgrad answered
(x.unique(1.0), x.to(0, 1.0), x.type(1), F.interpolate(im, size=2.0),
x.split(True), x.renorm(0, 0, 1.0)...), calls torch takes that jitgrad
refused (x.squeeze(0, True), x.add(0, 1.0), requires_grad=None,
x.norm(p=None)...), and torch's messages. Each call is run under both; the
outcome (ok, or the exception's type and message) must be torch's."""
import warnings

import pytest

import jitgrad

torch = pytest.importorskip("torch")


def _env(lib):
    return dict(torch=lib, F=lib.nn.functional, nn=lib.nn, x=lib.arange(24.).reshape(2, 3, 4),
                i1=lib.tensor([0, 1]), m=lib.ones(3, 3), im=lib.ones(1, 2, 5, 5), u=lib.ones(1, 1, 3), w=lib.ones(3, 2, 3, 3),
                li=lib.arange(4))


def _outcome(call, lib):
    """('ok', '') or (error type, message); under warn-always, so that a
    warn-once warning a call trips stays due for other tests (torch's too)."""
    always = lib.is_warn_always_enabled()
    lib.set_warn_always(True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            eval(call, _env(lib))     # noqa: S307 (the calls are this file's literals)
        return "ok", ""
    except Exception as e:      # noqa: BLE001 (the error is the compared outcome)
        return type(e).__name__, str(e)
    finally:
        lib.set_warn_always(always)


# calls torch rejects that jitgrad accepted (a value where torch raises)
SILENT = [
    "x.unique(1.0)", "x.unique(None)", "x.unique(1)", "x.unique(True, 1)", "x.unique(return_counts=None)",
    "x.unique(1.0, dim=0)", "x.unique(dim=True)", "torch.unique(x, 1.0)",
    "x.unique_consecutive(None)", "x.unique_consecutive(True, 1)", "x.unique_consecutive(return_counts=1)",
    "torch.unique_consecutive(x, None)",
    "x.to(0, 1.0)", "x.to('cpu', 1)", "x.to(torch.float64, 1)", "x.to(foo=1)", "x.to(torch.float64, copy=1)",
    "x.to(x, 1)", "x.to('cpu', 'a')", "x.to(dtype=1)", "x.to(device=1.0)",
    "x.type(1)", "x.type(int)", "x.type(float)", "x.type(torch.nn.Linear)", "x.type(torch.float64, 1)",
    "x.type(torch.float64, non_blocking=1)", "x.type(dtype=1)",
    "F.interpolate(im, size=2.0)", "F.interpolate(im, size=2.0, mode='bilinear')", "F.interpolate(im[0], size=2.0)",
    "F.interpolate(im, size=True)", "F.interpolate(im, size='a')", "F.interpolate(im, size=2.0, mode='nearest-exact')",
    "F.interpolate(im, size=2.0, mode='area')", "F.interpolate(im, size=2.0, mode='bilinear', antialias=True)",
    "F.interpolate(im[None], size=2.0, mode='trilinear')",
    "F.adaptive_avg_pool2d(im, 2.0)", "F.adaptive_max_pool2d(im, 2.0)", "F.adaptive_avg_pool1d(im[0], 2.0)",
    "F.adaptive_max_pool1d(im[0], 2.0)", "F.adaptive_avg_pool3d(im, 2.0)", "F.adaptive_avg_pool2d(im, (2, 2.0))",
    "F.adaptive_avg_pool2d(im, None)", "F.adaptive_avg_pool2d(im, True)", "F.adaptive_max_pool2d(im, (True, 2))",
    "F.adaptive_max_pool1d(im[0], (2.0,))", "F.adaptive_avg_pool2d(im[0, 0], (2, 3))",
    "x.split(True)", "x.split(False)", "x.split(1, True)", "torch.split(x, True)", "x.split(torch.tensor([1, 1]))",
    "x.renorm(0, 0, 1.0)", "x.renorm(-1, 0, 1.0)", "x.renorm(2, 0, -1.0)", "x.renorm(2, 5, -1.0)",
    "x.renorm(2, 0, -1e20)", "x.renorm(float('nan'), 0, 1)", "torch.ones(3).renorm(2, 0, 1)",
    "x.add(x, alpha=True)", "x.sub(x, alpha=True)", "x.add(1, alpha=True)", "x.add_(x, alpha=True)",
    "torch.add(x, x, alpha=True)", "li.add(li, alpha=1.5)", "x.norm('fro', (0, 1, 2))",
]
# calls both reject, with torch's message now
MESSAGES = [
    "x.unique(dim=0.0)", "x.unique(True, True, True, 0.0)", "x.unique_consecutive(dim=1.0)",
    "x.type(torch.float64, foo=1)", "x.count_nonzero(1.0)", "x.count_nonzero(True)", "x.count_nonzero(5)",
    "torch.count_nonzero(x, 0, 1)", "x.add(x, x)", "x.add(x, 1)", "x.add(x, alpha=1.5j)", "x.add_(x, 2)",
    "x.norm('nuc')", "x.norm(p='a')", "x[0].norm('a')", "x.norm('a', (0, 1))",
    "torch.linalg.matrix_norm(torch.ones(3), 'a')", "torch.linalg.matrix_norm(m, 3, dim=(0,))",
    "x.split(torch.tensor([1.0, 1]))", "F.adaptive_avg_pool2d(im, 'a')", "F.adaptive_max_pool2d(im, [2, 2.0])",
]
# calls torch accepts: the checks must not reject them
ACCEPTED = [
    "x.squeeze(0, True)", "u.squeeze(0, 1)", "x.count_nonzero(0, True)", "x.count_nonzero(0, 2)",
    "x.count_nonzero(-1)", "x.add(0, 1.0)", "x.add(2, x)", "torch.add(x, 1, 2)", "torch.add(x, 2, x)",
    "x.sub(2, x)", "torch.sub(x, 2, x)", "x.add_(2, x)", "x.sub_(2, x)", "(x > 0).add(x > 0, alpha=True)",
    "torch.ones(2, requires_grad=None)", "torch.zeros(2, requires_grad=None)", "torch.randn(2, requires_grad=None)",
    "torch.full((2,), 1.0, requires_grad=None)", "torch.arange(3.0, requires_grad=None)",
    "torch.empty(2, requires_grad=None)", "torch.ones_like(x, requires_grad=None)", "torch.eye(2, requires_grad=None)",
    "torch.linspace(0, 1, 3, requires_grad=None)", "torch.rand(2, requires_grad=None)",
    "torch.zeros_like(x, requires_grad=None)", "torch.full_like(x, 2.0, requires_grad=None)",
    "x.norm(p=None)", "x.norm(None)", "x.norm(None, 1)", "torch.norm(x, None)", "x.norm('nuc', (1, 2))",
    "x[0].norm('nuc')", "x.norm('fro', 1)", "x.norm('fro', (0, 1))", "x.unique_consecutive(dim=0)",
    "x.unique(dim=1)", "x.to(None)", "x.to()", "x.to('cpu', torch.float64, False, True)", "x.to(float)",
    "x.to(dtype=int)", "x.to(torch.device('cpu'))", "x.to(torch.float16, True, True)", "x.to(li)",
    "x.to(memory_format=torch.contiguous_format)", "x.type(torch.DoubleTensor)", "x.type(torch.Tensor)",
    "x.type(torch.float64, True)", "x.type()", "x.type('torch.IntTensor')", "x.split(torch.tensor(1))",
    "x.split([1, 1])", "F.interpolate(im, size=3)", "F.interpolate(im, size=torch.tensor(3))",
    "F.interpolate(im, size=3, mode='area')", "F.adaptive_avg_pool2d(im, (2, None))",
    "F.adaptive_avg_pool2d(im, (None, None))", "F.adaptive_max_pool2d(im, 2, 1)", "F.adaptive_avg_pool2d(im, 3)",
    "nn.AdaptiveAvgPool2d((2, None))(im)", "x.renorm(float('inf'), 0, 1)", "x.renorm(2, 0, torch.tensor(1.0))",
]


# from the sweep of wrong arguments to common functions: calls torch rejects that jitgrad answered
SWEEP_SILENT = [
    "m.clone(1)", "m.clone(None)", "m.contiguous(1)", "m.numpy(None)", "x.norm(dim=(0, 1.0))", "x.new_zeros()",
    "x.new_ones()", "x.new_tensor((1, 2), 0)", "x.copy_(1, 1.0)", "torch.vstack((2, 1.5))", "torch.meshgrid(1.0)",
    "torch.meshgrid(-1)", "torch.bernoulli(1.0)", "torch.broadcast_tensors(1.0)", "torch.broadcast_tensors((2, 1.5))",
    "torch.broadcast_tensors(x, 1.5)", "torch.cartesian_prod((2, 1.5))", "torch.allclose(x, 1.5)",
    "F.gelu(1.0)", "F.silu(1.0)", "F.leaky_relu(1.0)", "F.elu(1.0)", "F.softplus(1.0)", "F.softmax(1.0)",
    "F.log_softmax(1.0)", "F.softmin(1.0)", "F.hardtanh(1.0)", "F.relu6(1.0)", "F.logsigmoid(1.0)",
    "F.hardswish(1.0)", "F.hardsigmoid(1.0)", "F.celu(1.0)", "F.selu(1.0)", "F.group_norm(m, True)",
    "F.kl_div(m, 1.0)", "F.kl_div(m, i1, 1.0)", "F.cosine_similarity(m, 1.0)", "F.avg_pool1d(m, 1.0)",
    "F.avg_pool1d(m, True)", "F.hinge_embedding_loss(m, 1.0)", "F.soft_margin_loss(m, True)",
    "F.poisson_nll_loss(m, 1.0)", "F.poisson_nll_loss(m, m, 1.0)", "F.softmin(m, True)", "F.rrelu(m, 1.0)",
    "F.rrelu(m, m, 1.0)", "F.threshold(m, m, 1.0)", "x.new_zeros(-1)", "x.new_ones(2, -1)",
]
# calls both reject, where jitgrad's exception type (or message) was not torch's
SWEEP_TYPES = [
    "x.to(1.0).dtype", "x.to(True).dtype", "x.expand_as(1.0)", "x.view_as(None)", "x.reshape_as('a')", "x.type_as(True)",
    "x.take(1.0)", "x.masked_scatter(1, 1.0)", "torch.zeros_like(1.0)", "torch.ones_like(None)", "torch.empty_like('a')",
    "torch.full_like([x, x], 1.0)", "torch.randn_like(-1)", "torch.rand_like((2, 1.5))", "torch.cdist(x, 1.5)",
    "torch.multinomial([x, x], 1.0)", "F.prelu(m, 1.0)", "F.pairwise_distance(m, True)", "F.glu(m, True)", "F.glu(1.0)",
    "F.tanhshrink(1.0)", "F.normalize(None)", "F.pixel_shuffle(m, 1.0)", "F.pixel_shuffle(im, 2.5)",
    "F.grid_sample(m, None)", "F.triplet_margin_loss(m, m, 1.0)", "F.dropout(1.0)",
    "F.scaled_dot_product_attention(m, m, 1.0)", "F.selu(m, m, m, m)", "F.selu(m, m, reduction='foo')",
    "F.mish(m, m, 1.0)", "F.hardswish(m, m, m)", "F.relu6(m, m, m)", "F.hardtanh(m, m, m, m, m, m, m, m, m, m)",
    "F.gelu(m, 1.0)", "F.leaky_relu(m, 'a')", "F.elu(m, 'a')", "F.softplus(m, m, 1.0)", "F.avg_pool1d(m, m, 1.0)",
    "torch.ones(2, 3).scatter(1, torch.tensor([[0]]), torch.ones(2))",
    "torch.ones(2, 3).scatter(1, torch.tensor([[0]]), torch.ones(()))",
    "torch.ones(2, 3).scatter_add(1, torch.tensor([[0]]), torch.ones(1, 1, 1))",
    "torch.cross(torch.ones(2, 3), torch.ones(2, 4))", "torch.cross(torch.ones(2, 3), torch.ones(3, 3))",
    "torch.linalg.cross(torch.ones(2, 3), torch.ones(3, 3))",
    "F.conv2d(torch.ones(1, 3, 5, 5), torch.ones(4, 3, 3, 3), torch.ones(3))",
    "F.conv1d(torch.ones(1, 3, 5), torch.ones(4, 3, 3), torch.ones(4, 1))",
]
SWEEP_ACCEPTED = [
    "m.clone(memory_format=torch.contiguous_format)", "m.contiguous()", "m.numpy(force=True)", "x.new_zeros(2, 3)",
    "x.new_ones((2,))", "x.new_tensor([1, 2])", "x.copy_(x, True)", "torch.vstack((m, m))", "torch.meshgrid(i1, i1, indexing='ij')",
    "torch.meshgrid([i1, i1], indexing='xy')", "torch.broadcast_tensors(x, m[0, :1])", "torch.cartesian_prod(i1, i1)",
    "torch.allclose(x, x)", "F.gelu(m, approximate='tanh')", "F.softmin(m, 1)", "F.rrelu(m, 0.1, 0.2)",
    "F.threshold(m, 0.5, 2.0)", "F.threshold(m, torch.tensor(0.5), 2.0)", "F.kl_div(m.log(), m, reduction='sum')",
    "F.group_norm(torch.ones(2, 4, 3), 2)", "F.avg_pool1d(m[None], 2)", "F.poisson_nll_loss(m, m, False, True)",
    "x.norm(dim=(0, 1))", "x.norm(2, [0, 2], True)", "F.gelu(m, approximate='tanh')", "F.selu(m, True)",
    "F.relu6(m, True)", "F.leaky_relu(m, torch.tensor(0.1))", "F.avg_pool1d(m[None], torch.tensor(2))",
    "x.expand_as(x)", "x.type_as(i1)", "torch.zeros_like(x)", "F.glu(torch.ones(2, 4))", "F.tanhshrink(m)",
    "F.pixel_shuffle(torch.ones(1, 4, 2, 2), 2)", "torch.cross(torch.ones(2, 3), torch.ones(1, 3))",
    "F.conv2d(torch.ones(1, 3, 5, 5), torch.ones(4, 3, 3, 3), torch.ones(4))", "F.hardtanh(m, -0.5, 0.5)",
]


@pytest.mark.parametrize("call", SILENT + MESSAGES + ACCEPTED + SWEEP_SILENT + SWEEP_TYPES + SWEEP_ACCEPTED)
def test_outcome_is_torchs(call):
    assert _outcome(call, jitgrad) == _outcome(call, torch)


def test_lists_are_what_they_say():
    """SILENT and MESSAGES calls raise in torch, ACCEPTED ones don't."""
    assert all(_outcome(c, torch)[0] != "ok" for c in SILENT + MESSAGES + SWEEP_SILENT
               + [c for c in SWEEP_TYPES if not c.endswith(".dtype")])
    assert all(_outcome(c, torch)[0] == "ok" for c in ACCEPTED + SWEEP_ACCEPTED)


def test_values_of_calls_torch_takes(differential):
    """The calls jitgrad refused give torch's values, gradients and warnings
    (the deprecated add / sub overloads warn at the user's line)."""
    differential(
        """
        x = torch.arange(24.).reshape(2, 3, 4).requires_grad_()
        u = torch.ones(1, 1, 3)
        print(u.squeeze(0, True).shape, x.count_nonzero(0, True), x.count_nonzero(-1))
        y = x.add(2, x * 1.5)
        z = x.sub(0.5, x)
        print(y[0, 0], z[0, 0], torch.add(x, 3, x)[1, 2])
        (y.sum() + z.sum()).backward()
        print(x.grad[0])
        """,
        """
        w = torch.zeros(4)
        w.add_(2, torch.ones(4))
        w.sub_(0.5, torch.ones(4))
        print(w)
        print(torch.ones(2, requires_grad=None).requires_grad, torch.arange(3.0, requires_grad=None))
        """,
        """
        x = torch.tensor([[3.0, 4.0], [1.0, 2.0]], requires_grad=True)
        n = x.norm(p=None)
        n.backward()
        print(n, x.grad, x.norm(None, 1), x.norm('nuc'), torch.ones(2, 3, 3).norm('nuc', (1, 2), True))
        """,
        """
        x = torch.tensor([[1, 1, 2], [1, 1, 2], [3, 3, 3], [1, 1, 2]])
        print(torch.unique_consecutive(x, return_inverse=True, return_counts=True, dim=0))
        print(x.unique_consecutive(return_counts=True, dim=-1))
        print(x.to(float).dtype, x.to(dtype=bool).dtype, x.type(torch.Tensor).dtype)
        print(x.to(1.0).dtype, x.to(2.5, True).dtype, x.to(True).dtype, x.to(False))
        print([p.shape for p in torch.arange(6.).split(torch.tensor(4))])
        """,
    )


def test_fmax_fmin_save_their_operands(differential):
    """torch's FmaxBackward0 / FminBackward0 save both operands: writing one in
    place after the call is the version-counter error at backward (a constant
    operand, a non-leaf one, a broadcast one; create_graph too), and nothing
    when backward does not reach the node or the write comes after it."""
    differential(
        """
        for fn in ("fmax", "fmin"):
            for swap in (False, True):
                x = torch.tensor([1.0, 5.0], requires_grad=True)
                c = torch.tensor([3.0, 2.0])
                y = getattr(torch, fn)(c, x) if swap else getattr(torch, fn)(x, c)
                c.add_(1)
                try:
                    y.sum().backward()
                    print(x.grad)
                except RuntimeError as e:
                    print(fn, swap, e)
        """,
        """
        x = torch.tensor([1.0, 5.0], requires_grad=True)
        h = x * 2
        y = torch.fmax(h, torch.tensor([3.0, 2.0]))
        h.add_(1)
        try:
            y.sum().backward()
        except RuntimeError as e:
            print(e)
        x = torch.ones(2, 3, requires_grad=True)
        c = torch.tensor([0.5, 2.0, 1.0])
        y = x.fmax(c)
        z = x * 3
        c.mul_(2)
        print(torch.autograd.grad(z.sum(), x))
        try:
            torch.autograd.grad(y.sum(), x, create_graph=True)
        except RuntimeError as e:
            print(e)
        """,
        """
        x = torch.tensor([1.0, float('nan')], requires_grad=True)
        c = torch.tensor([3.0, 2.0])
        y = torch.fmin(x, c)
        y.sum().backward()
        c.add_(1)
        print(x.grad, y)
        """,
    )


def test_index_put_into_expanded_view(differential):
    """x[idx] = v / index_put_ on an expanded tensor (no autograd): torch's
    deprecation warning(s) at the user's line, and the write lands in the
    shared elements of the base (accumulate adds every duplicate)."""
    differential(
        """
        e = torch.ones(1, 3).expand(2, 3)
        e[torch.tensor([0]), torch.tensor([1])] = 5.0
        print(e)
        b = torch.ones(3)
        e = b.expand(2, 3)
        e.index_put_((torch.tensor([0]), torch.tensor([1])), torch.tensor(7.0))
        print(e, b)
        e.index_put_((torch.tensor([1]),), torch.tensor(2.0))
        print(b)
        """,
        """
        b = torch.ones(3)
        e = b.expand(2, 3)
        e[torch.tensor([True, False])] = 3.0
        e[torch.tensor([True, False]), 1] = 5.0
        print(b)
        e[torch.tensor([[True, False, True], [False, False, False]])] = torch.tensor(2.0)
        e[:, torch.tensor([0])] = torch.tensor([[4.0], [6.0]])
        print(b)
        e.index_put_((torch.tensor([0, 1]), torch.tensor([1, 1])), torch.tensor([7.0, 8.0]), accumulate=True)
        print(e, b)
        """,
        """
        b = torch.ones(3)
        e = b.expand(2, 3)
        try:
            e.index_put_((torch.tensor([0]),), torch.ones(2))
        except RuntimeError as err:
            print(err)
        """,
    )


LOAD_DATA = {
    "empty": "b''", "text": "b'hello world'", "zeros": "bytes(16)", "zip_prefix": "b'PK\\x03\\x04garbage'",
    "truncated_protocol4": "pickle.dumps({'a': 1}, protocol=4)[:5]",
}
# (weights-only: torch's unpickler stops at protocol 4's FRAME; jitgrad reads plain pickles otherwise)
WEIGHTS_ONLY_DATA = {"protocol4_class": "pickle.dumps(zipfile.ZipInfo, protocol=4)"}


@pytest.mark.parametrize("name, weights_only", [(n, w) for n in sorted(LOAD_DATA) for w in (None, False)]
                         + [(n, None) for n in WEIGHTS_ONLY_DATA])
def test_load_of_bytes_that_are_no_checkpoint(differential, name, weights_only):
    """torch.load of bytes that are not a checkpoint: torch's errors (its
    weights-only unpickler's "Unsupported operand", KeyError, EOFError; a zip
    archive's miniz error), where jitgrad gave pickle's messages."""
    differential(f"""
        import io, pickle, zipfile
        data = {LOAD_DATA.get(name) or WEIGHTS_ONLY_DATA[name]}
        try:
            torch.load(io.BytesIO(data), weights_only={weights_only})
        except Exception as e:
            print(type(e).__module__, type(e).__name__, repr(str(e)))
        """)


def test_load_still_reads_what_save_wrote(differential):
    """The checks above leave jitgrad's own files alone (and their refusal of
    unsafe globals)."""
    differential("""
        import io
        buf = io.BytesIO()
        torch.save({'w': torch.arange(3.), 'n': 2, 's': 'a', 'l': [1.5, None]}, buf)
        buf.seek(0)
        print(torch.load(buf))
        buf = io.BytesIO()
        torch.save(torch.nn.Linear(2, 2), buf)
        buf.seek(0)
        try:
            torch.load(buf)
        except Exception as e:
            print(type(e).__name__, str(e)[:60])
        """)


def test_forward_mode_jacobian_keeps_the_graph(differential):
    """jacobian(strategy='forward-mode', vectorize=True) of inputs that require
    grad: rows whose tangent depends on them carry torch's graph (grad_fn,
    and the gradient through the Jacobian); forward-over-reverse Hessians'
    nonzero rows too (a bilinear function's constant blocks)."""
    differential(
        """
        import warnings
        warnings.simplefilter("ignore")
        AF = torch.autograd.functional
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = torch.tensor([1.0, 3.0])
        J = AF.jacobian(lambda t: t.sin() * t, x, strategy='forward-mode', vectorize=True)
        print(J)
        J.sum().backward()
        print(x.grad)
        x.grad = None
        for f, i in ((lambda a, b: a * b.exp(), (x, y)), (lambda a: (a, a * a), x), (lambda a: a + 1, x),
                     (lambda a: (a * a).sum(), x), (lambda a: a * a, x[:1]), (lambda a: a[0] * a, x)):
            print(AF.jacobian(f, i, strategy='forward-mode', vectorize=True))
        """,
        """
        import warnings
        warnings.simplefilter("ignore")
        AF = torch.autograd.functional
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = torch.tensor([1.0, 3.0])
        for f, i in ((lambda a: (a * a).sum(), x), (lambda a: (a * 2).sum(), x),
                     (lambda a, b: (a * b).sum(), (x, x)), (lambda a, b: (a * b).sum(), (x, y)),
                     (lambda a, b: (a * b).sum(), (y, y)), (lambda a, b: (a * b * b).sum(), (x, y))):
            print(AF.hessian(f, i, outer_jacobian_strategy='forward-mode', vectorize=True))
        H = AF.hessian(lambda a: (a * a).sum(), x, outer_jacobian_strategy='forward-mode', vectorize=True)
        H.sum().backward()
        print(x.grad)
        """,
    )


def test_cross_warning_points_at_the_caller(differential):
    """torch.cross without dim warns at the user's line through the argument checks."""
    differential("""
        a = torch.ones(2, 3)
        b = torch.cross(a, a)
        c = a.cross(a)
        print(b, c)
        """)


# the parser's messages for functions whose signatures it now checks (comparison and
# binary ops, products): "takes from 1 to 0 positional arguments", "missing 1 required"...
SIGNATURE_MESSAGES = [
    "x.eq(1, 1.0)", "x.lt(x, x, x, x)", "x.ge((1, 2), 0)", "torch.eq(x, 'a')", "x.fmod(0, 1, 2)", "x.remainder(x, x)",
    "torch.remainder(2, 'a')", "x.cross(foo=1)", "x.dot(foo=1)", "x.dot(x, x, x, x)", "x.outer(1, 1.0)",
    "x.bmm(foo=1)", "x.maximum(foo=1)", "x.minimum(x, x)", "torch.mv(m, 'a')", "x.lerp(0, 1, 2, 3, 4)",
    "x.floor_divide(x, x)", "x.clamp_min('a')", "torch.xlogy(x, 'a')", "m.round(1)", "x.tril(1, 1.0)",
]
# shape / dim errors whose message or type was not torch's (from a sweep of failing calls)
SIGNATURE_MESSAGES += [
    "m.float(1)", "m.double(foo=1)", "m.long(None)", "x.expand_as(foo=1)", "x.view_as()", "x.type_as(x, x)",
    "torch.ones(()).select(1)", "x.select(1.0)", "x.index_select(0)", "x.gather(0)", "x.index_select(3, torch.tensor([[0]]))",
    "F.linear(torch.ones(()), torch.ones(()))", "nn.Linear(3, 4)(torch.ones(()))", "F.linear(m, torch.ones(4, 3, 1))",
    "torch.addmm(m, torch.ones(3), torch.ones(4))", "torch.addmm(m, m, torch.ones(3))", "torch.addr(m, m, torch.ones(3))",
    "torch.lerp(torch.ones(2, 3), torch.ones(3, 2), 0.5)", "torch.lerp(torch.ones(5, 2), torch.ones(4, 1, 3), 0.5)",
    "torch.lerp(torch.ones(2, 3), torch.ones(2, 3), torch.ones(3, 2))", "torch.ones(3).float_power_(2)",
    "torch.ones(2, 3).float_power_(torch.ones(3, 2))", "torch.ones(()).unbind(1)", "torch.ones(()).cummax(1)",
    "torch.ones(()).cummin(2)", "F.cross_entropy(torch.ones(2), torch.zeros(3).long())",
    "F.nll_loss(torch.ones(2), torch.zeros(2).long())", "F.conv1d(torch.ones(2, 3), torch.ones(4, 5))",
    "F.conv2d(im, torch.ones(4, 3))",
]
# ... and calls torch rejects that jitgrad answered (pools of empty non-batch dims, soft_margin_loss
# of a target broadcasting beyond the input)
SIGNATURE_MESSAGES += [
    "F.max_pool1d(torch.ones(0, 3), 2)", "F.max_pool1d(torch.ones(2, 0), 2)", "F.max_pool2d(torch.ones(0, 3, 3), 2)",
    "F.max_pool2d(torch.ones(3, 0, 3), 2)", "F.avg_pool1d(torch.ones(0, 3), 2)", "F.avg_pool2d(torch.ones(0, 3, 3), 2)",
    "F.max_pool1d(torch.ones(2, 0, 3), 2)", "F.soft_margin_loss(torch.ones(3), torch.ones(2, 3))",
    "F.soft_margin_loss(torch.ones(2, 3, 1, 1), torch.ones(3))", "F.conv1d(torch.ones(2), torch.ones(3))",
    "F.conv_transpose2d(torch.ones(2, 3), torch.ones(4, 5))", "torch.bitwise_and(m, torch.ones(3, 2))",
    "m.bitwise_and_(torch.ones(4))", "nn.LSTM(3, 4)(torch.ones(0, 3))", "nn.GRU(3, 4, batch_first=True)(torch.ones(0, 3))",
    "torch.ones(0, 3).mode(0)",
]
# dtypes torch's kernels refuse (jitgrad answered)
SIGNATURE_MESSAGES += [
    "F.nll_loss(torch.ones(2, 3).long(), torch.tensor([0, 1]))", "F.nll_loss(torch.ones(2, 3, 4).int(), torch.zeros(2, 4).long())",
    "F.dropout(torch.ones(3).long(), 0.5)", "F.dropout(torch.ones(3).bool(), 0.5)",
    "nn.BatchNorm1d(3)(torch.ones(2, 3).double())", "nn.BatchNorm1d(3).eval()(torch.ones(2, 3).double())",
    "nn.LayerNorm(3)(torch.ones(2, 3).double())", "F.group_norm(torch.ones(2, 4).double(), 2, torch.ones(4))",
    "torch.multinomial(torch.ones(3).long(), 1)", "torch.linspace(0, 1, 3, dtype=torch.bool)",
    "F.smooth_l1_loss(torch.ones(3).long(), torch.ones(3).long())", "F.huber_loss(torch.ones(3).long(), torch.ones(3))",
    "F.batch_norm(torch.ones(2, 3).long(), torch.ones(3), torch.ones(3))", "F.layer_norm(torch.ones(2, 3).long(), (3,))",
    "F.layer_norm(torch.ones(2, 3).long(), (3,), torch.ones(3))", "F.group_norm(torch.ones(2, 4).long(), 2)",
    "F.conv2d(im.double(), w[:, :2], torch.ones(3))", "F.conv2d(im, w[:, :2], torch.ones(3).double())",
    "nn.Conv2d(1, 1, 2)(torch.ones(1, 1, 3, 3).double())", "torch.normal(torch.ones(3), -torch.ones(3))",
    "torch.normal(0.0, -1.5, (2,))", "torch.normal(0.0, -1.0, (2,))",
    "x.put(torch.tensor([1, 0], dtype=torch.uint8), torch.ones(2))", "x.put_(torch.tensor([1, 0]).int(), torch.ones(2))",
    "F.embedding(torch.tensor([1, 0], dtype=torch.uint8), m)", "F.embedding(torch.tensor([1, 0]).short(), m)",
    "x.masked_select(foo=1)", "x.masked_select()", "x.take(foo=1)", "x.take()", "torch.take(x, 1)", "x.fill_(1, 1.0)",
    "x.fill_((1, 2), 0)", "x.fill_(foo=1)", "x.fill_('a')", "x.fill_(None)",
]
SIGNATURE_ACCEPTED = [
    "x.eq(1)", "x.eq(x)", "torch.lt(x, 2.5)", "torch.remainder(2, x)", "x.fmod(torch.tensor(2))", "torch.xlogy(2, x)",
    "x.cross(torch.ones(2, 3, 4), 1)", "torch.dot(i1, i1)", "m.mv(m[0])", "torch.bmm(m[None], m[None])",
    "x.lerp(x, 0.5)", "x.lerp(x, x)", "x.maximum(x)", "x.floor_divide(2)", "x.clamp_min(1)", "x.clamp_max(x)",
    "x.copysign(-1)", "x.true_divide(2)", "m.float(memory_format=torch.contiguous_format)", "x.view_as(x)",
    "x.select(0, 1)", "torch.ones(3).double().float_power_(2)", "torch.ones(()).cummax(-1)", "torch.lerp(m, m[0], 0.5)",
    "F.nll_loss(torch.ones(2), torch.zeros(1).long())", "torch.addr(m, m[0], m[0])", "torch.addmm(m, m, m)",
    "F.max_pool2d(torch.ones(0, 2, 3, 3), 2)", "F.avg_pool2d(torch.ones(0, 2, 3, 3), 2)",
    "F.max_pool1d(torch.ones(0, 2, 3), 2)", "F.soft_margin_loss(m, m[0])", "torch.ones(0, 3).mode(1)",
    "F.dropout(torch.ones(3).long(), 0.0)", "F.dropout(torch.ones(3).long(), 1.0)", "nn.LayerNorm(3)(torch.ones(2, 3).half())",
    "F.batch_norm(torch.ones(2, 3).half(), torch.ones(3), torch.ones(3))", "torch.linspace(0, 1, 0, dtype=torch.bool)",
    "x.fill_(2)", "x.fill_(torch.tensor(2.0))", "x.fill_(True)", "torch.allclose(x, x, 1e-3)", "x.allclose(x, equal_nan=True)",
    "x.masked_select(x > 1)", "x.take(torch.tensor([1]))",
    "torch.linspace(0, 1, 3, dtype=torch.long)", "F.smooth_l1_loss(torch.ones(3), torch.ones(3).long())",
    "F.smooth_l1_loss(torch.ones(3).long(), torch.ones(3))", "F.huber_loss(torch.ones(3), torch.ones(3).long())",
]


@pytest.mark.parametrize("call", SIGNATURE_MESSAGES + SIGNATURE_ACCEPTED)
def test_signature_messages(call):
    assert _outcome(call, jitgrad) == _outcome(call, torch)
    assert (_outcome(call, torch)[0] == "ok") == (call in SIGNATURE_ACCEPTED)


def test_smooth_l1_of_an_integral_target(differential):
    """smooth_l1_loss runs in the promoted dtype: a long target is taken (jitgrad refused)."""
    differential("""
        x = torch.tensor([0.5, 2.0, -1.0], requires_grad=True)
        loss = torch.nn.functional.smooth_l1_loss(x, torch.tensor([0, 1, 5]))
        loss.backward()
        print(loss, x.grad, torch.nn.functional.huber_loss(x, torch.tensor([0, 1, 5])))
        """)


def test_index_put_with_a_uint8_index_is_a_mask(differential):
    """index_put_ takes a uint8 index as torch's deprecated mask (with its
    warning), where jitgrad read it as integer positions (other rows written);
    float indices and masks of the wrong shape raise torch's IndexErrors."""
    differential(
        """
        x = torch.arange(6.).reshape(2, 3)
        print(x.clone().index_put_((torch.tensor([1, 0], dtype=torch.uint8),), torch.tensor([5.0, 6, 7])))
        print(torch.index_put(x, (torch.tensor([1, 0], dtype=torch.uint8),), torch.tensor(5.0), True))
        """,
        """
        x = torch.arange(6.).reshape(2, 3)
        for idx in (torch.tensor([1], dtype=torch.uint8), torch.tensor([True]), torch.tensor([0.0]),
                    torch.tensor([0]).short()):
            try:
                x.clone().index_put_((idx,), torch.tensor([5.0, 6, 7]))
            except IndexError as e:
                print(e)
        """,
    )
