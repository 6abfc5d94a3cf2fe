"""torch.compile as users call it (`import jitgrad as torch`): modules,
decorator forms and options, arguments and results of every shape, values
read inside, training steps inside and outside, func transforms, copies of
compiled modules. Each scenario (tests/_comp11.run) runs three times --
jitgrad compiled, jitgrad eager, torch eager (torch.compile(backend="eager")
gives torch's eager values) -- with changing values, shapes, dtypes and
flags. What jitgrad.compile can't replay runs eagerly with one RuntimeWarning."""
import collections
import dataclasses

import numpy as np
import pytest
import torch

import jitgrad as jg

from _comp11 import data, eager_warnings, run, same_init


# ----- modules ---------------------------------------------------------------------

@pytest.mark.parametrize("form", ["compile(model)", "model.compile()"])
def test_layernorm_dropout_mlp_trained_outside_with_train_eval_switching(form):
    def make(lib, comp):
        m = same_init(lib, lambda L: L.nn.Sequential(L.nn.Linear(4, 8), L.nn.LayerNorm(8), L.nn.GELU(),
                                                     L.nn.Dropout(0.25), L.nn.Linear(8, 2)))
        opt = lib.optim.AdamW(m.parameters(), lr=0.01)
        if lib is jg and comp is jg.compile:
            if form == "model.compile()":
                m.compile()
                f = m
            else:
                f = comp(m)
        else:
            f = m

        def step(k):
            m.train(k % 3 != 2)
            x = lib.tensor(data(k, 3 + k % 2, 4))
            out = f(x)
            loss = (out ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            return out, loss, [p.grad for p in m.parameters()]
        return step
    run(make, 6)


def test_embedding_bag_classifier_with_changing_tokens_and_lengths():
    def make(lib, comp):
        m = same_init(lib, lambda L: L.nn.ModuleDict({"emb": L.nn.Embedding(10, 4), "out": L.nn.Linear(4, 3)}))
        opt = lib.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)

        @comp
        def loss_fn(tokens, labels):
            h = m["emb"](tokens).mean(dim=1)
            return lib.nn.functional.cross_entropy(m["out"](h), labels)

        def step(k):
            rng = np.random.default_rng(k)
            tokens = lib.tensor(rng.integers(0, 10, (2, 3 + k % 3)))
            labels = lib.tensor(rng.integers(0, 3, 2))
            loss = loss_fn(tokens, labels)
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss, m["emb"].weight.grad
        return step
    run(make, 6)


@pytest.mark.parametrize("cell", ["RNNCell", "GRUCell", "LSTMCell"])
def test_recurrent_cell_over_a_python_loop_of_changing_length(cell):
    def make(lib, comp):
        c = same_init(lib, lambda L: getattr(L.nn, cell)(3, 4))

        @comp
        def run_seq(xs, h0):
            h = (h0, h0) if cell == "LSTMCell" else h0
            outs = []
            for t in range(xs.shape[0]):
                h = c(xs[t], h)
                outs.append(h[0] if cell == "LSTMCell" else h)
            return lib.stack(outs).sum(0), len(outs)

        def step(k):
            xs = lib.tensor(data(k, 2 + k % 3, 2, 3), requires_grad=True)
            out, n = run_seq(xs, lib.zeros(2, 4))
            out.pow(2).sum().backward()
            return out, n, xs.grad, c.weight_hh.grad
        return step
    run(make, 5)


def test_module_with_a_buffer_updated_in_forward_runs_eagerly_as_torch():
    """An EMA of the inputs kept in a buffer (as BatchNorm's running stats)."""
    def build(L):
        class EMA(L.nn.Module):
            def __init__(self):
                super().__init__()
                self.lin = L.nn.Linear(3, 3)
                self.register_buffer("avg", L.zeros(3))

            def forward(self, x):
                if self.training:
                    with L.no_grad():
                        self.avg.mul_(0.9).add_(0.1 * x.mean(0))
                return self.lin(x - self.avg)
        return EMA()

    def make(lib, comp):
        m = same_init(lib, build)
        f = comp(m)

        def step(k):
            m.train(k < 3)
            out = f(lib.tensor(data(k, 2, 3)))
            out.sum().backward()
            return out, m.avg.clone(), m.lin.weight.grad
        return step
    run(make, 5)


def test_module_caching_its_last_activation_as_an_attribute():
    """forward stores `self.last = h` (for inspection, a hook-like use): the
    attribute must be this call's tensor, and backward through it must reach
    the call's input (the replay would keep the recording's)."""
    def build(L):
        class Net(L.nn.Module):
            def __init__(self):
                super().__init__()
                self.a = L.nn.Linear(2, 3)

            def forward(self, x):
                self.last = self.a(x).tanh()
                return self.last.sum()
        return Net()

    def make(lib, comp):
        m = same_init(lib, build)
        f = comp(m)

        def step(k):
            x = lib.tensor(data(k, 2), requires_grad=True)
            y = f(x)
            m.last.pow(2).sum().backward()
            return y, m.last, x.grad
        return step
    caught = run(make, 4)
    assert len(eager_warnings(caught)) == 1, caught


def test_module_passed_as_an_argument_sees_eval_and_in_place_parameter_edits():
    def make(lib, comp):
        m = same_init(lib, lambda L: L.nn.Sequential(L.nn.Linear(3, 3), L.nn.Dropout(0.5)))
        f = comp(lambda mod, x: mod(x).sum())

        def step(k):
            if k == 2:
                m.eval()
            if k == 3:
                with lib.no_grad():
                    m[0].bias.add_(1.0)
            if k == 4:
                m[0].weight.requires_grad_(False)
            return f(m, lib.ones(2, 3))
        return step
    run(make, 6)


def test_model_flag_attribute_toggled_between_calls():
    def build(L):
        class Res(L.nn.Module):
            def __init__(self):
                super().__init__()
                self.f = L.nn.Linear(3, 3)
                self.use_residual = True
                self.scale = 1.0

            def forward(self, x):
                y = self.f(x) * self.scale
                return y + x if self.use_residual else y
        return Res()

    def make(lib, comp):
        m = same_init(lib, build)
        f = comp(m)

        def step(k):
            m.use_residual = k % 2 == 0
            m.scale = 1.0 + (k // 2)
            return f(lib.tensor(data(k, 2, 3)))
        return step
    run(make, 6)


def test_weight_tying_and_state_dict_of_the_compiled_module():
    def build(L):
        class LM(L.nn.Module):
            def __init__(self):
                super().__init__()
                self.emb = L.nn.Embedding(6, 4)
                self.head = L.nn.Linear(4, 6, bias=False)
                self.head.weight = self.emb.weight

            def forward(self, ids):
                return self.head(self.emb(ids).tanh())
        return LM()

    def make(lib, comp):
        m = same_init(lib, build)
        f = comp(m)
        opt = lib.optim.SGD(m.parameters(), lr=0.5)

        def step(k):
            ids = lib.tensor(np.random.default_rng(k).integers(0, 6, 3 + k % 2))
            loss = lib.nn.functional.cross_entropy(f(ids), ids)
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss, m.emb.weight, sorted(m.state_dict())
        return step
    run(make, 4)


# ----- decorator forms and options ----------------------------------------------------

def _options(lib):
    return [lambda f: lib.compile(f), lambda f: lib.compile()(f), lambda f: lib.compile(f, mode="max-autotune"),
            lambda f: lib.compile(f, fullgraph=True, dynamic=True), lambda f: lib.compile(f, backend="eager"),
            lambda f: lib.compile(f, mode="reduce-overhead", dynamic=False, backend="inductor"),
            lambda f: lib.compiler.disable(f)]


def test_every_decorator_form_and_option_gives_eager_values():
    def body(lib, x, y):
        return (x.sin() * y).sum(-1), x.shape[-1]

    for i in range(len(_options(jg))):
        cf = _options(jg)[i](lambda x, y: body(jg, x, y))
        for k in range(4):
            a, b = data(k, 2, 2 + k % 2), data(k, 2 + k % 2, seed=1)
            c = cf(jg.tensor(a, requires_grad=k % 2 == 0), jg.tensor(b))
            t = body(torch, torch.tensor(a), torch.tensor(b))
            e = body(jg, jg.tensor(a), jg.tensor(b))
            assert c[0].detach().numpy().tobytes() == e[0].numpy().tobytes() and c[1] == t[1]
            np.testing.assert_allclose(c[0].detach().numpy(), t[0].numpy(), rtol=1e-6)


def test_reset_and_dynamo_config_between_calls_keep_values():
    def make(lib, comp):
        f = comp(lambda x, n: (x ** 2).sum() * n)

        def step(k):
            if k == 2:
                lib.compiler.reset()
            if k == 3:
                lib._dynamo.reset()
                lib._dynamo.config.cache_size_limit = 1
            return f(lib.tensor(data(k, 3)), k % 2 + 1)
        return step
    saved = torch._dynamo.config.cache_size_limit
    try:
        run(make, 6)
    finally:
        torch._dynamo.config.cache_size_limit = saved
        jg._dynamo.config.cache_size_limit = saved


def test_fullgraph_with_a_data_dependent_branch_is_not_an_error_here():
    """torch's fullgraph=True raises on the graph break of `if x.sum() > 0`;
    jitgrad.compile has no graph breaks (a value read is a guard), so it
    returns eager mode's values both ways."""
    cf = jg.compile(lambda x: x * 2 if x.sum() > 0 else x - 1, fullgraph=True)
    for v in ([1.0, 2.0], [-3.0, 1.0], [5.0, 0.0]):
        assert cf(jg.tensor(v)).tolist() == (lambda x: x * 2 if x.sum() > 0 else x - 1)(torch.tensor(v)).tolist()


# ----- arguments and results ------------------------------------------------------------

Pair = collections.namedtuple("Pair", "mean spread")


def test_kwargs_defaults_varargs_and_a_changing_number_of_arguments():
    def make(lib, comp):
        @comp
        def f(x, *rest, scale=2.0, bias=None, **extra):
            y = x * scale
            for r in rest:
                y = y + r
            if bias is not None:
                y = y + bias
            for v in extra.values():
                y = y * v
            return y

        def step(k):
            x = lib.tensor(data(k, 3), requires_grad=True)
            rest = [lib.tensor(data(k, 3, seed=j + 1)) for j in range(k % 3)]
            kw = {"scale": 0.5 * k} if k % 2 else {}
            if k == 3:
                kw["bias"] = lib.tensor(1.5)
            if k >= 4:
                kw["gain"] = lib.tensor(data(k, 3, seed=9))
            y = f(x, *rest, **kw)
            y.sum().backward()
            return y, x.grad
        return step
    run(make, 6)


def test_namedtuple_dict_and_list_inputs_and_outputs():
    def make(lib, comp):
        @comp
        def f(batch, weights):
            x = batch["x"]
            m = (x * weights[0]).mean(0) + weights[1]
            s = (x - m).abs().mean(0)
            return Pair(m, s), {"n": x.shape[0], "parts": [m.sum(), s.max()]}

        def step(k):
            batch = {"x": lib.tensor(data(k, 2 + k, 3), dtype=lib.float64 if k % 2 else lib.float32)}
            w = [lib.tensor(data(k, 3, seed=2)).to(batch["x"].dtype).requires_grad_(), lib.tensor(float(k))]
            out = f(batch, w)
            out[0].mean.sum().backward()
            return out, w[0].grad
        return step
    run(make, 5)


def test_dataclass_config_argument_changed_between_calls():
    @dataclasses.dataclass
    class Cfg:
        scale: float
        shift: object

    def make(lib, comp):
        f = comp(lambda x, cfg: x * cfg.scale + cfg.shift)
        cfg = Cfg(1.0, lib.tensor([0.0, 1.0]))

        def step(k):
            if k == 1:
                cfg.scale = 3.0
            if k == 2:
                cfg.shift = lib.tensor([5.0, 5.0])
            if k == 3:
                cfg.shift.mul_(2)
            return f(lib.tensor(data(k, 2)), cfg), f(lib.tensor(data(k, 2)), Cfg(-1.0, lib.tensor(2.0)))
        return step
    run(make, 5)


def test_dataclass_and_object_results_are_this_calls():
    @dataclasses.dataclass
    class Out:
        value: object
        count: int

    def make(lib, comp):
        f = comp(lambda x: Out((x * 2).sum(), x.shape[0]))
        g = comp(lambda x: lib.distributions.Normal(x.mean(), x.std()))

        def step(k):
            x = lib.tensor(data(k, 3 + k % 2), requires_grad=True)
            o = f(x)
            d = g(x)
            (o.value + d.log_prob(lib.tensor(0.5))).backward()
            return o, d.mean, d.stddev, x.grad
        return step
    run(make, 4)


def test_returning_none_ints_strings_and_shapes():
    def make(lib, comp):
        @comp
        def f(x):
            tag = "pos" if x.sum() > 0 else "neg"
            return None, x.numel(), tag, x.shape, x.dtype == lib.float32, (x * 3).sum()

        def step(k):
            return f(lib.tensor(data(k, 2 + k % 2)))
        return step
    run(make, 6)


def test_compiled_functions_calling_compiled_functions_and_recursion():
    def make(lib, comp):
        @comp
        def inner(x, w):
            return (x @ w).tanh()

        @comp
        def deep(x, w, n):
            return x if n == 0 else deep(inner(x, w), w, n - 1)

        def step(k):
            w = lib.tensor(data(k, 3, 3), requires_grad=True)
            y = deep(lib.tensor(data(k, 2, 3, seed=1)), w, k % 3 + 1)
            y.sum().backward()
            return y, w.grad
        return step
    run(make, 6)


def test_compiled_bound_method_of_a_class_whose_attributes_change():
    def make(lib, comp):
        class Scaler:
            def __init__(self):
                self.w = lib.tensor([1.0, 2.0, 3.0])
                self.power = 2

            def apply(self, x):
                return (x * self.w) ** self.power

        s = Scaler()
        f = comp(s.apply)

        def step(k):
            if k == 2:
                s.power = 3
            if k == 3:
                s.w = lib.tensor([0.5, 0.5, 0.5])
            if k == 4:
                s.w.add_(1)
            return f(lib.tensor(data(k, 3)))
        return step
    run(make, 6)


# ----- tensors and autograd state inside ---------------------------------------------------

def test_reading_grad_inside_a_compiled_update_step():
    """`w - lr * w.grad` inside: the gradient changes after every backward."""
    def make(lib, comp):
        w = lib.tensor([1.0, -2.0, 0.5], requires_grad=True)
        update = comp(lambda w, lr: (w - lr * w.grad).detach())
        norm = comp(lambda ps: sum((p.grad ** 2).sum() for p in ps))

        def step(k):
            w.grad = None
            (w ** 3 * (k + 1)).sum().backward()
            return update(w, 0.1), norm([w])
        return step
    run(make, 4)


def test_in_place_update_of_an_input_and_a_no_grad_optimizer_step_inside():
    def make(lib, comp):
        @comp
        def sgd_step(p, g, lr):
            with lib.no_grad():
                p.sub_(lr * g)
            return p.sum()

        p = lib.tensor(data(0, 4))

        def step(k):
            return sgd_step(p, lib.tensor(data(k, 4, seed=3)), 0.1), p.clone()
        return step
    run(make, 4)


def test_enable_grad_inside_a_function_called_under_no_grad():
    def make(lib, comp):
        @comp
        def f(x):
            with lib.enable_grad():
                y = (x * 3).sin()
            return y, y.requires_grad

        def step(k):
            x = lib.tensor(data(k, 2), requires_grad=k % 2 == 0)
            with lib.no_grad():
                a = f(x)
            b = f(x)
            return a, b
        return step
    run(make, 4)


def test_enable_grad_decorated_function_compiled_and_called_under_no_grad():
    def make(lib, comp):
        @comp
        @lib.enable_grad()
        def f(x):
            return (x * 2).tanh()

        def step(k):
            x = lib.tensor(data(k, 2), requires_grad=True)
            with lib.no_grad():
                a = f(x)
            return a, f(x)
        return step
    run(make, 3)


def test_requires_grad_inside_on_a_created_tensor():
    def make(lib, comp):
        @comp
        def f(x):
            w = lib.ones(x.shape[-1]).requires_grad_()
            y = (x * w).pow(2).sum()
            y.backward()
            return y.detach(), w.grad

        def step(k):
            return f(lib.tensor(data(k, 2, 2 + k % 2)))
        return step
    run(make, 4)


def test_loop_trip_count_from_an_int_argument_and_an_item_branch():
    def make(lib, comp):
        @comp
        def f(x, steps):
            for _ in range(steps):
                x = x - 0.1 * x.sin()
                if x.abs().max().item() < 0.2:
                    break
            return x

        def step(k):
            x = lib.tensor(data(k, 3) * (0.1 if k == 3 else 1.0), requires_grad=True)
            y = f(x, 1 + k % 3)
            y.sum().backward()
            return y, x.grad
        return step
    run(make, 6)


def test_try_except_around_a_value_error_inside():
    def make(lib, comp):
        @comp
        def f(A):
            try:
                return lib.linalg.cholesky(A).diagonal().log().sum()
            except Exception:
                return A.diagonal().sum() * 0.0

        def step(k):
            a = [[2.0, 0.5], [0.5, 1.0]] if k % 2 == 0 else [[1.0, 2.0], [2.0, 1.0]]
            A = lib.tensor(a, dtype=lib.float64, requires_grad=True)
            y = f(A)
            y.backward()
            return y, A.grad
        return step
    run(make, 4)


def test_changing_dtypes_and_requires_grad_of_the_same_argument():
    def make(lib, comp):
        f = comp(lambda x, y: (x * y).sum(0) / x.shape[0])

        def step(k):
            dt = [lib.float32, lib.float64, lib.float32][k % 3]
            x = lib.tensor(data(k, 3, 2), dtype=dt, requires_grad=k % 2 == 1)
            y = lib.tensor(data(k, 2, seed=1), dtype=lib.float64 if k == 4 else dt)
            out = f(x, y)
            if x.requires_grad:
                out.sum().backward()
            return out, x.grad
        return step
    run(make, 6)


# ----- training steps inside the compiled function ---------------------------------------------

@pytest.mark.parametrize("opt_name", ["SGD", "Adam"])
def test_whole_training_step_compiled_matches_eager_over_steps(opt_name):
    def make(lib, comp):
        m = same_init(lib, lambda L: L.nn.Sequential(L.nn.Linear(3, 5), L.nn.Tanh(), L.nn.Linear(5, 1)))
        opt = getattr(lib.optim, opt_name)(m.parameters(), lr=0.05)

        @comp
        def train_step(x, y):
            opt.zero_grad()
            loss = lib.nn.functional.mse_loss(m(x), y)
            loss.backward()
            opt.step()
            return loss

        def step(k):
            return train_step(lib.tensor(data(k, 4, 3)), lib.tensor(data(k, 4, 1, seed=1))), m[0].weight
        return step
    caught = run(make, 5)
    assert len(eager_warnings(caught)) == 1, caught


# ----- func transforms ----------------------------------------------------------------------

def test_func_transforms_under_compile_and_compile_under_transforms():
    def f(lib, x):
        return (x.sin() * x).sum()

    for k in range(3):
        a = data(k, 3).astype(np.float64)
        X = data(k, 2, 3).astype(np.float64)
        cg = jg.compile(jg.func.grad(lambda x: f(jg, x)))
        tg = torch.func.grad(lambda x: f(torch, x))
        np.testing.assert_allclose(cg(jg.tensor(a)).numpy(), tg(torch.tensor(a)).numpy(), rtol=1e-12)
        cj = jg.compile(jg.func.jacrev(lambda x: x.tanh() * x.sum()))
        tj = torch.func.jacrev(lambda x: x.tanh() * x.sum())
        np.testing.assert_allclose(cj(jg.tensor(a)).numpy(), tj(torch.tensor(a)).numpy(), rtol=1e-12)
        cf = jg.compile(lambda x: f(jg, x))
        np.testing.assert_allclose(jg.func.vmap(jg.func.grad(cf))(jg.tensor(X)).numpy(),
                                   torch.func.vmap(tg)(torch.tensor(X)).numpy(), rtol=1e-12)
        np.testing.assert_allclose(jg.func.jacrev(cf)(jg.tensor(a)).numpy(), tg(torch.tensor(a)).numpy(), rtol=1e-12)


# ----- more user habits -----------------------------------------------------------------------

def test_value_check_raising_inside_then_valid_calls_again():
    def make(lib, comp):
        @comp
        def safe_sqrt(x):
            if x.min() < 0:
                raise ValueError("negative input")
            return x.sqrt()

        def step(k):
            v = data(k, 3)
            try:
                return safe_sqrt(lib.tensor(np.abs(v) if k % 2 == 0 else v)), ""
            except ValueError as e:
                return None, str(e)
        return step
    run(make, 6)


def test_callable_object_with_a_coefficient_list_changed_between_calls():
    def make(lib, comp):
        class Poly:
            def __init__(self):
                self.c = [1.0, 2.0]

            def __call__(self, x):
                return sum(ci * x ** i for i, ci in enumerate(self.c))

        p = Poly()
        f = comp(p)

        def step(k):
            if k == 1:
                p.c[1] = 5.0
            if k == 2:
                p.c.append(-1.5)
            if k == 3:
                p.c = [0.5]
            x = lib.tensor(data(k, 2), dtype=lib.float64, requires_grad=True)
            y = f(x)
            y.sum().backward()
            return y, x.grad
        return step
    run(make, 5)


def test_closure_tensor_mutated_and_global_rebound_between_calls():
    def make(lib, comp):
        scale = lib.tensor([1.0, 2.0])
        g = {"bias": lib.tensor(0.5)}

        @comp
        def f(x):
            return x * scale + g["bias"]

        def step(k):
            if k == 1:
                scale.mul_(3)
            if k == 2:
                g["bias"] = lib.tensor(-1.0)
            if k == 3:
                g["bias"] += 2
            return f(lib.tensor(data(k, 2)))
        return step
    run(make, 5)


@pytest.mark.parametrize("randomness", ["different", "same"])
def test_vmap_with_random_draws_under_compile(randomness):
    def make(lib, comp):
        f = comp(lib.func.vmap(lambda x: x * lib.randn(()) + x.sum(), randomness=randomness))

        def step(k):
            return f(lib.tensor(data(k, 3 + k % 2, 2)))
        return step
    run(make, 4)


def test_vmap_replays_under_compile_and_vmap_of_grad_runs_eagerly():
    def make(lib, comp):
        def loss(x, w):
            return (lib.tanh(x @ w) ** 2).sum()
        vf = comp(lib.func.vmap(loss, in_dims=(0, None)))
        vg = comp(lib.func.vmap(lib.func.grad(loss, argnums=1), in_dims=(0, None)))

        def step(k):
            X, w = lib.tensor(data(k, 2 + k % 3, 3)), lib.tensor(data(k, 3, 2, seed=1))
            return vf(X, w), vg(X, w)
        return step
    caught = run(make, 4)
    # vmap(f) replays; vmap(grad(f)) takes a backward per point inside: eager, warned once
    assert len(eager_warnings(caught)) == 1 and "backward()" in caught[0], caught


def test_module_state_changed_between_calls_of_a_compiled_model():
    """`.data =`, load_state_dict, double()/float(), a buffer filled in
    place, eps changed: each shows in the next call, as in eager mode."""
    def make(lib, comp):
        m = same_init(lib, lambda L: L.nn.Sequential(L.nn.Linear(2, 2), L.nn.BatchNorm1d(2)))
        m.eval()
        f = comp(m)

        def step(k):
            x = lib.tensor(data(k, 3, 2))
            if k == 1:
                m[0].weight.data = lib.ones(2, 2)
            if k == 2:
                m.load_state_dict({n: v * 2 for n, v in m.state_dict().items()})
            if k == 3:
                m.double()
                x = x.double()
            if k == 4:
                m.float()
                with lib.no_grad():
                    m[1].running_var.fill_(4.0)
            if k == 5:
                m[1].eps = 1.0
            return f(x), f(x) is not None
        return step
    run(make, 6)


def test_arguments_returned_as_they_are_stay_the_same_objects():
    def make(lib, comp):
        f = comp(lambda x, d: (x, d["w"], (x * d["w"]).sum()))

        def step(k):
            x = lib.tensor(data(k, 2), requires_grad=True)
            d = {"w": lib.tensor(data(k, 2, seed=1))}
            a, w, s = f(x, d)
            return a is x, w is d["w"], s
        return step
    run(make, 3)


@pytest.mark.parametrize("kw", [{"mode": "bogus"}, {"backend": "bogus"}, {"mode": "default", "options": {"a": 1}},
                                {"dynamic": "x"}, {"whatever": 1}])
def test_bad_compile_options_raise_torch_s_errors(kw):
    def f(x):
        return x * 2
    with pytest.raises(Exception) as want:
        torch.compile(f, **kw)
    with pytest.raises(Exception) as got:
        jg.compile(f, **kw)
    assert isinstance(got.value, RuntimeError) == isinstance(want.value, RuntimeError)
    assert type(got.value).__name__ == type(want.value).__name__ and str(got.value) == str(want.value)


def test_disable_true_returns_the_function_and_non_callables_raise():
    def f(x):
        return x * 2
    assert jg.compile(f, disable=True) is f and torch.compile(f, disable=True) is f
    with pytest.raises(AssertionError, match="A callable function is expected"):
        jg.compile(5)


def test_returned_buffer_and_global_tensor_are_the_objects_themselves():
    """`return out, self.running_mean`: torch returns the buffer itself, so
    an in-place write through the result reaches the module."""
    def make(lib, comp):
        m = same_init(lib, lambda L: L.nn.BatchNorm1d(2))
        m.eval()
        f = comp(lambda x: (m(x), m.running_mean))

        def step(k):
            y, rm = f(lib.tensor(data(k, 3, 2)))
            same = rm is m.running_mean
            rm.add_(0.5)
            return y, same, m.running_mean.clone()
        return step
    run(make, 4)


def test_deepcopy_and_save_of_compiled_modules():
    """An EMA copy of a model compiled in place, a deepcopy of
    compile(model), torch.save of it: the copy is compiled afresh and
    computes with its own parameters."""
    import copy
    import io

    def make(lib, comp):
        m = same_init(lib, lambda L: L.nn.Linear(2, 1))
        if comp is jg.compile:
            m.compile()
        wrapped = comp(same_init(lib, lambda L: L.nn.Linear(2, 1)))

        def step(k):
            x = lib.tensor(data(k, 3, 2))
            m(x)
            ema = copy.deepcopy(m)
            w2 = copy.deepcopy(wrapped)
            with lib.no_grad():
                ema.weight.mul_(0.5)
                (w2._orig_mod if hasattr(w2, "_orig_mod") else w2).bias.add_(1.0)
            buf = io.BytesIO()
            lib.save(m, buf)
            buf.seek(0)
            loaded = lib.load(buf, weights_only=False)
            return m(x), ema(x), wrapped(x), w2(x), loaded(x), type(loaded).__name__
        return step
    run(make, 3)


def test_compile_decorating_methods_of_a_module_class():
    def make(lib, comp):
        deco = comp if comp is jg.compile else (lambda f=None, **kw: f if f is not None else (lambda g: g))

        class Net(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.lin = lib.nn.Linear(2, 2)
                self.scale = 1.0

            @deco
            def forward(self, x):
                return self.lin(x) * self.scale

            @deco()
            def penalty(self, x, k=2):
                return (self(x) ** k).sum()

        a = same_init(lib, lambda L: Net() if L is lib else L.nn.Sequential(L.nn.Linear(2, 2)))
        b = Net()
        with lib.no_grad():
            b.lin.weight.fill_(0.5)
            b.lin.bias.zero_()

        def step(k):
            x = lib.tensor(data(k, 3, 2))
            if k == 2:
                b.scale = 3.0
            return a(x), b(x), a.penalty(x), b.penalty(x, k=k % 2 + 2)
        return step
    run(make, 4)
