"""jitgrad.compile of modules and of functions calling them, as training
code uses them: parameters updated between calls, train/eval switching,
dropout, batch sizes and dtypes that change, results returned as tuples,
dicts and lists mixing tensors and plain values, keyword and default
arguments, integer and boolean tensor arguments. Compared call by call
with eager jitgrad (bit for bit) and torch (within tolerance)."""
import warnings

import numpy as np
import pytest
import torch

import jitgrad as jg

from _users8_compile import Grad, assert_bits, assert_torch, counts, grads_of, run_scenario

RNG = np.random.default_rng(88)


def _mlp(lib, dtype, dropout=0.0, seed=0):
    lib.manual_seed(seed)
    layers = [lib.nn.Linear(4, 8), lib.nn.Tanh()]
    if dropout:
        layers.append(lib.nn.Dropout(dropout))
    layers += [lib.nn.Linear(8, 3)]
    return lib.nn.Sequential(*layers).to(getattr(lib, dtype))


def _copy_params(src, dst):
    with torch.no_grad():
        for p, q in zip(src.parameters(), dst.parameters()):
            q.copy_(torch.tensor(p.detach().numpy()))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_compiled_module_training_loop_with_cross_entropy(dtype):
    """model = jitgrad.compile(model); Adam steps between calls, changing
    batch sizes (new tapes, then cached ones), eval() calls in between."""
    runs = {}
    for mode in ("eager", "compiled", "torch"):
        lib = torch if mode == "torch" else jg
        model = _mlp(lib, dtype)
        if mode == "torch":
            _copy_params(_mlp(jg, dtype), model)
        m = jg.compile(model) if mode == "compiled" else model
        opt = lib.optim.Adam(model.parameters(), lr=0.01)
        hist = []
        for i in range(18):
            n = (5, 7, 5, 3)[i % 4]
            x = lib.tensor(RNG_DATA[i][:n], dtype=getattr(lib, dtype))
            y = lib.tensor(LABELS[i][:n])
            opt.zero_grad()
            loss = lib.nn.functional.cross_entropy(m(x), y)
            loss.backward()
            hist.append([loss.detach().clone()] + [p.grad.clone() for p in model.parameters()])
            opt.step()
            if i % 5 == 4:
                m.eval()
                with lib.no_grad():
                    hist.append([m(x).argmax(1), m(x)])
                m.train()
        runs[mode] = hist
        if mode == "compiled":
            assert len(m._compiled.tapes if hasattr(m, "_compiled") else []) <= 8
    tol = 1e-4 if dtype == "float32" else 1e-9
    for i, (e, c, t) in enumerate(zip(runs["eager"], runs["compiled"], runs["torch"])):
        assert_bits(e, c, f"step {i}")
        assert_torch(e, t, f"step {i}", tol=tol)


RNG_DATA = [RNG.normal(size=(7, 4)) for _ in range(20)]
LABELS = [RNG.integers(0, 3, size=7) for _ in range(20)]


def test_compiled_module_with_dropout_train_eval_and_seeds():
    """Dropout draws fresh masks each compiled call (the same as eager with
    the same seed); eval() turns it off; torch draws the same masks."""
    out = {}
    for mode in ("eager", "compiled", "torch"):
        lib = torch if mode == "torch" else jg
        model = _mlp(lib, "float32", dropout=0.3)
        if mode == "torch":
            _copy_params(_mlp(jg, "float32", dropout=0.3), model)
        m = jg.compile(model) if mode == "compiled" else model
        res = []
        for i in range(10):
            lib.manual_seed(100 + i)
            m.train(i % 3 != 2)
            x = lib.tensor(RNG_DATA[i], dtype=lib.float32, requires_grad=True)
            y = m(x)
            y.pow(2).sum().backward()
            res.append((y, x.grad, model[0].weight.grad.clone()))
            model.zero_grad()
        out[mode] = res
    for i, (e, c, t) in enumerate(zip(out["eager"], out["compiled"], out["torch"])):
        assert_bits(e, c, f"call {i}")
        assert_torch(e, t, f"call {i}", tol=1e-5)


def test_function_calling_a_module_whose_parameters_change_between_calls():
    """A compiled loss(model, x) reading a module's parameters; an optimizer
    and a manual no_grad update change them: each call sees the new values."""
    net = {lib: lib.nn.Linear(3, 2).double() for lib in (jg, torch)}
    _copy_params(net[jg], net[torch])

    def loss(lib, x):
        return lib.nn.functional.softplus(net[lib](x)).sum(1).mean()

    cf = jg.compile(lambda x: loss(jg, x))
    opts = {lib: lib.optim.SGD(net[lib].parameters(), lr=0.1, momentum=0.5) for lib in (jg, torch)}
    for i in range(12):
        x = RNG.normal(size=(4, 3))
        res = {}
        for lib, fn in ((jg, lambda x: loss(jg, x)), ("c", cf), (torch, lambda x: loss(torch, x))):
            L = jg if lib == "c" else lib
            opts[L].zero_grad()
            val = fn(L.tensor(x))
            val.backward()
            res[lib] = (val.detach(), net[L].weight.grad.clone(), net[L].bias.grad.clone())
        assert_bits(res[jg], res["c"], f"call {i}")
        assert_torch(res[jg], res[torch], f"call {i}")
        for L in (jg, torch):
            opts[L].step()
        if i % 4 == 3:
            for L in (jg, torch):
                with L.no_grad():
                    net[L].weight.mul_(0.5)
    assert counts(cf) == (1, 11, 0)


def test_returning_dicts_tuples_lists_and_plain_values():
    """Results of every container kind with ints, strings, None and floats
    read by .item() (guards) next to tensors."""

    def f(lib, x, w):
        h = lib.tanh(x @ w)
        loss = (h ** 2).mean()
        return {"loss": loss, "parts": [h.sum(0), (h.max(), 3)], "meta": ("ok", None, x.shape[0]),
                "pos": bool((h > 0).any().item())}

    calls = [(Grad(RNG.normal(size=(n, 3))), Grad(RNG.normal(size=(3, 2)))) for n in (4, 4, 5, 4, 5)]
    run_scenario(f, calls)


def test_keyword_and_default_arguments():
    """The same compiled function called positionally, by keyword, and with
    defaults left out; a default tensor read from the signature."""
    bias = {jg: jg.tensor([0.5, -0.5], dtype=jg.float64), torch: torch.tensor([0.5, -0.5], dtype=torch.float64)}

    def make_f(lib):
        def f(x, scale=2.0, *, shift=None, power=2):
            y = (x * scale) ** power + bias[lib]
            if shift is not None:
                y = y - shift
            return y.sum(-1)
        return f

    fj, ft = make_f(jg), make_f(torch)
    cf = jg.compile(fj)
    variants = [((), {}), ((3.0,), {}), ((), {"scale": 0.5}), ((), {"shift": "T"}), ((), {"power": 3}),
                ((1.5,), {"shift": "T", "power": 1}), ((), {}), ((), {"scale": 0.5})]
    for i, (extra, kw) in enumerate(variants * 2):
        x = RNG.normal(size=(3, 2))
        shift = RNG.normal(size=2)
        kj = {k: (jg.tensor(shift, requires_grad=True) if v == "T" else v) for k, v in kw.items()}
        kc = {k: (jg.tensor(shift, requires_grad=True) if v == "T" else v) for k, v in kw.items()}
        kt = {k: (torch.tensor(shift, requires_grad=True) if v == "T" else v) for k, v in kw.items()}
        xj, xc, xt = (L.tensor(x, requires_grad=True) for L in (jg, jg, torch))
        e, c, t = fj(xj, *extra, **kj), cf(xc, *extra, **kc), ft(xt, *extra, **kt)
        assert_bits(e, c, f"variant {i}")
        assert_torch(e, t, f"variant {i}")
        ge, gc, gt = grads_of(e, (xj, kj)), grads_of(c, (xc, kc)), grads_of(t, (xt, kt))
        assert_bits(ge, gc, f"variant {i} grads")
        assert_torch(ge, gt, f"variant {i} grads")
    assert counts(cf)[2] == 0 and counts(cf)[0] <= 8


def test_alternating_float32_and_float64_and_batch_sizes():
    """One compiled function fed float32 and float64 batches of changing
    sizes in turn: one tape per (dtype, shape), results in each dtype."""

    def f(lib, x, w):
        z = x @ w
        return lib.log_softmax(z, dim=-1).sum(), lib.logsumexp(z, 0), z.dtype == lib.float32

    calls = []
    for i in range(16):
        dt = (np.float32, np.float64)[i % 2]
        n = (2, 5, 9)[i % 3]
        calls.append((Grad(RNG.normal(size=(n, 4)).astype(dt)), Grad(RNG.normal(size=(4, 3)).astype(dt))))
    cf = run_scenario(f, calls, tol=1e-5)
    assert counts(cf)[0] == 6 and counts(cf)[2] == 0


def test_integer_and_boolean_tensor_arguments():
    """Labels (int64) indexing logits, a bool mask argument selecting rows,
    and an int32 count tensor: the values of integer arguments change every
    call without going stale."""

    def f(lib, logits, labels, keep, counts_):
        picked = logits.gather(1, labels[:, None]).squeeze(1)
        lse = lib.logsumexp(logits, 1)
        nll = lse - picked
        kept = lib.where(keep, nll, lib.zeros_like(nll))
        return kept.sum() / counts_.to(logits.dtype).sum(), nll[keep]

    calls = []
    for i in range(10):
        keep = RNG.random(6) < 0.6
        keep[0] = True
        calls.append((Grad(RNG.normal(size=(6, 4))), RNG.integers(0, 4, size=6), keep,
                      RNG.integers(1, 5, size=3).astype(np.int32)))
    run_scenario(f, calls)


def test_compiled_sequential_with_layer_norm_and_gelu_eval_and_train():
    """A small transformer-style block: LayerNorm, GELU, residual; the
    module compiled with model.compile() in place; parameters stepped."""

    def block(lib):
        lib.manual_seed(3)
        return lib.nn.Sequential(lib.nn.LayerNorm(6), lib.nn.Linear(6, 6), lib.nn.GELU(), lib.nn.Linear(6, 6)).double()

    mods = {jg: block(jg), "c": block(jg), torch: block(torch)}
    _copy_params(mods[jg], mods[torch])
    mods["c"].compile()
    opts = {k: (torch if k is torch else jg).optim.AdamW(m.parameters(), lr=0.02) for k, m in mods.items()}
    for i in range(10):
        x = RNG.normal(size=(3, 6))
        res = {}
        for k, m in mods.items():
            L = torch if k is torch else jg
            xt = L.tensor(x, requires_grad=True)
            y = xt + m(xt)
            opts[k].zero_grad()
            (y.tanh() ** 2).sum().backward()
            opts[k].step()
            res[k] = [y, xt.grad] + [p.detach().clone() for p in m.parameters()]
        assert_bits(res[jg], res["c"], f"step {i}")
        assert_torch(res[jg], res[torch], f"step {i}", tol=1e-8)


def test_torch_compile_backend_eager_oracle_and_jitgrad_compile_agree():
    """torch.compile(backend="eager") of the same user function gives torch's
    eager values; jitgrad.compile gives eager jitgrad's bits."""

    def f(lib, x, y):
        d = (x - y).abs()
        return lib.where(d > 0.5, d - 0.25, d * d).mean(), lib.clamp(x, -1, 1).max(0).values

    tf = torch.compile(lambda x, y: f(torch, x, y), backend="eager")
    cf = jg.compile(lambda x, y: f(jg, x, y))
    for i in range(8):
        x, y = RNG.normal(size=(5, 3)), RNG.normal(size=(5, 3))
        xt, yt = torch.tensor(x, requires_grad=True), torch.tensor(y)
        xj, yj = jg.tensor(x, requires_grad=True), jg.tensor(y)
        xe = jg.tensor(x, requires_grad=True)
        t, c, e = tf(xt, yt), cf(xj, yj), f(jg, xe, yj)
        assert_bits(e, c, f"call {i}")
        assert_torch(c, t, f"call {i}")
        assert_bits(grads_of(e, xe), grads_of(c, xj))
        assert_torch(grads_of(c, xj) if xj.grad is None else [xj.grad], grads_of(t, xt), "grads")


def test_compiled_method_of_a_module_subclass_with_buffers():
    """A custom Module whose forward reads a buffer (a running mean updated in
    place under no_grad each call) and a Python attribute (temperature)
    changed between calls."""

    def make_mod(lib):
        class Scorer(lib.nn.Module):
            def __init__(self):
                super().__init__()
                lib.manual_seed(5)
                self.lin = lib.nn.Linear(3, 3).double()
                self.register_buffer("mu", lib.zeros(3, dtype=lib.float64))
                self.temperature = 1.0

            def forward(self, x):
                with lib.no_grad():
                    self.mu.mul_(0.9).add_(0.1 * x.mean(0))
                return lib.softmax(self.lin(x - self.mu) / self.temperature, -1)
        return Scorer()

    mods = {jg: make_mod(jg), "c": make_mod(jg), torch: make_mod(torch)}
    _copy_params(mods[jg], mods[torch])
    comp = jg.compile(mods["c"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # the no_grad block: that call runs eagerly, with a warning
        for i in range(8):
            x = RNG.normal(size=(4, 3))
            for m in mods.values():
                m.temperature = 1.0 + 0.5 * (i % 3)
            res = {}
            for k in mods:
                L = torch if k is torch else jg
                xt = L.tensor(x, requires_grad=True)
                y = (comp if k == "c" else mods[k])(xt)
                (y[:, 0] * 2).sum().backward()
                res[k] = (y, xt.grad, mods[k].mu.clone(), mods[k].lin.weight.grad.clone())
                mods[k].zero_grad()
            assert_bits(res[jg], res["c"], f"call {i}")
            assert_torch(res[jg], res[torch], f"call {i}")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_classifier_losses_replay_whatever_the_argmax_and_ties(dtype):
    """cross_entropy / log_softmax / softmax / logsumexp of logits whose
    row maxima move every batch, tie (rows of zeros, repeated values), or are
    infinite: one recording, no eager call (the max shift is a pick
    recomputed at replay; amax's position guards re-recorded almost every
    batch and ran ties of three or zero maxima eagerly)."""

    def f(lib, z, y):
        F = lib.nn.functional
        return (F.cross_entropy(z, y), F.log_softmax(z, 1), F.softmax(z, 0), lib.logsumexp(z, 1),
                lib.logsumexp(z, (0, 1)), F.log_softmax(z.reshape(-1), 0))

    calls = []
    labels = RNG.integers(0, 5, size=6)     # (integer tensor arguments are part of the signature, by value)
    for i in range(16):
        z = RNG.normal(size=(6, 5))
        if i % 4 == 1:
            z[2] = 0.0
            z[4, :3] = z[4, 3]
        if i % 4 == 2:
            z[1, 2] = np.inf
            z[3] = -np.inf
        calls.append((Grad(z.astype(dtype)), labels))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cf = run_scenario(f, calls, tol=1e-5)
    assert counts(cf) == (1, 15, 0)


def test_masked_attention_with_a_padding_mask_derived_from_the_input():
    """Scaled dot-product attention over sequences whose padded positions
    (rows of zeros) change every batch: the mask, unsqueezed and expanded,
    fills the scores with -inf; one recording, every batch replayed (views
    of a recorded mask used to guard its value: a recording per new mask)."""

    def attn(lib, x, wq, wk):
        pad = x.abs().sum(-1) == 0                       # (B, T)
        q, k = x @ wq, x @ wk
        scores = q @ k.transpose(-1, -2) / 2.0           # (B, T, T)
        scores = scores.masked_fill(pad.unsqueeze(1).expand(-1, x.shape[1], -1), float("-inf"))
        w = lib.softmax(scores, -1)
        keep = (~pad)[:, :, None].to(x.dtype)
        return (w @ x * keep).sum(1), w

    calls = []
    for i in range(12):
        x = RNG.normal(size=(3, 5, 4))
        for b in range(3):
            x[b, 5 - (i + b) % 3:] = 0.0            # 0, 1 or 2 padded positions
        calls.append((Grad(x), Grad(RNG.normal(size=(4, 4))), Grad(RNG.normal(size=(4, 4)))))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cf = run_scenario(attn, calls)
    assert counts(cf) == (1, 11, 0)


def test_rebound_frozen_and_unfrozen_parameters_of_a_compiled_module():
    """model.weight replaced by a new Parameter, requires_grad_(False) and
    back, a state_dict loaded: each compiled call reads the current state."""
    m = jg.nn.Linear(3, 2).double()
    cm = jg.compile(m)
    tm = torch.nn.Linear(3, 2).double()
    _copy_params(m, tm)
    for i in range(10):
        if i == 3:
            w = RNG.normal(size=(2, 3))
            m.weight = jg.nn.Parameter(jg.tensor(w))
            tm.weight = torch.nn.Parameter(torch.tensor(w))
        if i in (5, 7):
            m.requires_grad_(i == 7)
            tm.requires_grad_(i == 7)
        if i == 8:
            sd = {k: v * 0.5 for k, v in m.state_dict().items()}
            m.load_state_dict(sd)
            tm.load_state_dict({k: torch.tensor(v.numpy()) for k, v in sd.items()})
        x = RNG.normal(size=(4, 3))
        e, c, t = m(jg.tensor(x)), cm(jg.tensor(x)), tm(torch.tensor(x))
        assert_bits(e, c, f"call {i}")
        assert_torch(e, t, f"call {i}")
        if c.requires_grad:
            c.sum().backward()
            gc = m.weight.grad.clone()
            m.zero_grad()
            e.sum().backward()
            assert_bits(m.weight.grad, gc)
            m.zero_grad()


def test_non_leaf_arguments_and_requires_grad_toggled_between_calls():
    """Arguments that are non-leaf results of the caller's graph, leaves,
    and tensors that don't require grad, in turn: requires_grad, grad_fn
    presence and the gradients reaching the caller's leaves as eager."""

    def f(lib, x):
        return (x.sin() * x).sum(0)

    cf = jg.compile(lambda x: f(jg, x))
    for i in range(9):
        a0 = RNG.normal(size=(3, 2))
        res = []
        for lib, fn in ((jg, lambda x: f(jg, x)), (jg, cf), (torch, lambda x: f(torch, x))):
            a = lib.tensor(a0, requires_grad=i % 3 != 2)
            x = a * 2 if i % 2 else a
            out = fn(x)
            flags = (out.requires_grad, out.grad_fn is None, out.is_leaf)
            if out.requires_grad:
                out.sum().backward()
            res.append((out, a.grad, flags))
        assert res[0][2] == res[1][2] == res[2][2], (i, res[0][2], res[1][2], res[2][2])
        assert_bits(res[0][:2], res[1][:2], f"call {i}")
        assert_torch(res[0][:2], res[2][:2], f"call {i}")
    assert len(cf.tapes) <= 3


def test_integer_label_arguments_keep_a_bounded_cache():
    """Integer tensor arguments are part of the signature by value (they
    become index maps): new labels every batch record a tape each, the
    cache stays within cache_size, with one recompile warning (after 16
    recordings)."""
    def loss(z, y):
        return jg.nn.functional.cross_entropy(z, y)

    cf = jg.compile(loss, cache_size=4)
    caught_all = []
    for i in range(20):
        z, y = RNG.normal(size=(5, 3)), RNG.integers(0, 3, size=5)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            c = cf(jg.tensor(z), jg.tensor(y))
        caught_all += [str(w.message) for w in caught]
        assert_bits(loss(jg.tensor(z), jg.tensor(y)), c, f"call {i}")
        assert_torch(c, torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor(y)))
        assert len(cf.tapes) <= 4
    assert len(caught_all) == 1 and "cache_size" in caught_all[0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_family_with_signed_zeros_infinities_and_nan_replays_bitwise(dtype):
    """The softmax family's shift as a replayed pick on inputs seeded with
    0.0 / -0.0 / +-inf / nan / huge values: values and gradients equal eager
    jitgrad bit for bit, one recording per function."""
    F = jg.nn.functional
    special = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 2.5, 1e30, -1e30])
    fns = [lambda x: F.softmax(x, -1), lambda x: F.log_softmax(x, 0), lambda x: jg.logsumexp(x, -1),
           lambda x: jg.logsumexp(x, (0, 1)), lambda x: F.cross_entropy(x, jg.tensor([0, 1, 2])),
           lambda x: F.softmax(x.reshape(-1), 0), lambda x: jg.logsumexp(x, 0, keepdim=True)]
    rng = np.random.default_rng(5)
    for k, fn in enumerate(fns):
        cf = jg.compile(fn)
        for i in range(12):
            a = rng.normal(size=(3, 4))
            m = rng.random((3, 4)) < 0.4
            a[m] = rng.choice(special, size=m.sum())
            x1, x2 = jg.tensor(a.astype(dtype), requires_grad=True), jg.tensor(a.astype(dtype), requires_grad=True)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)     # (NumPy's invalid-value warnings)
                e, c = fn(x1), cf(x2)
                assert_bits(e, c, f"function {k} call {i}")
                e.sum().backward()
                c.sum().backward()
            assert_bits(x1.grad, x2.grad, f"function {k} call {i} gradient")
        assert counts(cf) == (1, 11, 0)


def _state_copy(src, dst):
    L = torch if isinstance(dst, torch.nn.Module) else jg
    with L.no_grad():
        for p, q in zip(src.state_dict().values(), dst.state_dict().values()):
            q.copy_(L.tensor(p.numpy()))


LAYERS = {
    "lstm": (lambda L: L.nn.LSTM(3, 4, batch_first=True), (2, 5, 3)),
    "gru": (lambda L: L.nn.GRU(3, 4), (5, 2, 3)),
    "conv2d": (lambda L: L.nn.Sequential(L.nn.Conv2d(2, 3, 3, padding=1), L.nn.ReLU(), L.nn.MaxPool2d(2),
                                         L.nn.Flatten(), L.nn.Linear(12, 2)), (2, 2, 4, 4)),
    "conv1d": (lambda L: L.nn.Sequential(L.nn.Conv1d(2, 3, 3), L.nn.AvgPool1d(2), L.nn.Tanh()), (2, 2, 9)),
    "encoder_eval": (lambda L: L.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.1, batch_first=True).eval(),
                     (2, 3, 8)),
}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_compiled_recurrent_convolutional_and_attention_layers(name):
    """jitgrad.compile of LSTM, GRU, conv/pool stacks and a transformer
    encoder layer (eval): outputs (tuples of states too), input and
    parameter gradients of every call as eager jitgrad and torch."""
    make, shape = LAYERS[name]
    me, mc, mt = make(jg), make(jg), make(torch)
    _state_copy(me, mc)
    _state_copy(me, mt)
    cm = jg.compile(mc)
    for i in range(5):
        x = RNG.normal(size=shape).astype(np.float32)
        res = []
        for L, m, mod in ((jg, me, me), (jg, cm, mc), (torch, mt, mt)):
            xx = L.tensor(x, requires_grad=True)
            y = m(xx)
            ((y[0] if isinstance(y, tuple) else y) ** 2).sum().backward()
            res.append((y, xx.grad, [p.grad.clone() for p in mod.parameters()]))
            mod.zero_grad()
        assert_bits(res[0], res[1], f"call {i}")
        assert_torch(res[0], res[2], f"call {i}", tol=1e-4)
