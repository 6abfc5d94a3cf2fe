"""Python side effects inside torch.compile'd functions (`import jitgrad as
torch`): lists and dicts appended to, attributes, globals, class attributes
and NumPy arrays assigned, print, draws from `random` / `np.random`,
`next()` of an iterator, hooks registered, `.grad` accumulated by a backward
inside, a scheduler stepped: torch.compile makes each every call; jitgrad
runs such calls eagerly (one RuntimeWarning), undoing the recording's own
effects. Scenarios as tests/test_comp11_scenarios.py (tests/_comp11.run)."""
import warnings

import numpy as np
import pytest
import torch

import jitgrad as jg

from _comp11 import data, eager_warnings, run, same_init


@pytest.fixture(autouse=True)
def _drop_module_state():
    """The module-level logs and states the scenarios write hold graphs: drop
    them after each test (a later test counts live tapes)."""
    yield
    global ema_state
    for log in _LOG.values():
        log.clear()
    _EMA.clear()
    ema_state = None


# ----- Python side effects ---------------------------------------------------------------

_LOG = {"jitgrad": [], "torch": []}


def test_function_appending_to_a_global_list():
    """`log.append(loss)` inside: torch.compile appends every call; a replay
    would not (and the recording's tensor is on another graph): eager, once warned."""
    def make(lib, comp):
        log = _LOG[lib.__name__]
        log.clear()

        @comp
        def f(x):
            loss = (x ** 2).sum()
            log.append(loss)
            return loss * 2

        def step(k):
            x = lib.tensor(data(k, 3), requires_grad=True)
            f(x)
            log[-1].backward()
            return len(log), log[-1], x.grad
        return step
    caught = run(make, 4)
    assert len(eager_warnings(caught)) == 1 and "list" in caught[0], caught


def test_function_appending_to_a_list_argument_and_setting_a_dict_item():
    def make(lib, comp):
        @comp
        def f(x, acc, stats):
            y = x.tanh()
            acc.append(y)
            stats["last"] = y.sum()
            return y

        acc, stats = [], {}

        def step(k):
            x = lib.tensor(data(k, 2), requires_grad=True)
            f(x, acc, stats)
            stats["last"].backward()
            return len(acc), acc[-1], stats["last"], x.grad
        return step
    run(make, 4)


_COUNT = {"n": 0}
calls_made = 0


def test_counters_in_a_global_a_nonlocal_and_a_dict():
    def make(lib, comp):
        def counter():
            n = 0

            def f(x):
                global calls_made
                nonlocal n
                calls_made += 1
                n += 1
                _COUNT["n"] += 1
                return x * n
            return f, lambda: n

        f, read = counter()
        f = comp(f)

        def step(k):
            global calls_made
            if k == 0:
                calls_made = 0
                _COUNT["n"] = 0
            return f(lib.tensor(data(k, 2))), read(), calls_made, _COUNT["n"]
        return step
    run(make, 4)


def test_print_inside_prints_every_call_as_torch(capsys):
    def body(lib, x):
        print("loss", x.shape[0])
        return (x ** 2).sum()

    outs = {}
    for name, lib, comp in (("compiled", jg, jg.compile), ("torch", torch, lambda f: f)):
        f = comp(lambda x, lib=lib: body(lib, x))
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            vals = [float(f(lib.tensor(data(k, 2 + k % 2)))) for k in range(4)]
        outs[name] = (vals, capsys.readouterr().out)
        if name == "compiled":
            assert len([x for x in w if "print" in str(x.message)]) == 1
    assert outs["compiled"][1] == outs["torch"][1] and outs["compiled"][1].count("loss") == 4
    np.testing.assert_allclose(outs["compiled"][0], outs["torch"][0], rtol=1e-6)


def test_print_inside_a_disabled_helper_also_prints_every_call(capsys):
    @jg.compiler.disable
    def report(v):
        print("value", v.shape)

    @jg.compile
    def f(x):
        report(x)
        return x.exp().sum()

    for k in range(3):
        f(jg.tensor(data(k, 2)))
    assert capsys.readouterr().out.count("value") == 3


def test_requires_grad_of_an_argument_set_inside():
    def make(lib, comp):
        @comp
        def f(x):
            x.requires_grad_()
            return (x * x).sum()

        def step(k):
            x = lib.tensor(data(k, 3))
            y = f(x)
            y.backward()
            return y, x.requires_grad, x.grad
        return step
    caught = run(make, 3)
    assert len(eager_warnings(caught)) == 1 and "requires_grad_" in caught[0], caught


_EMA = {}


def test_exponential_moving_average_in_a_rebound_global():
    def make(lib, comp):
        global ema_state
        ema_state = lib.zeros(3)
        _EMA[lib.__name__] = lambda: ema_state

        @comp
        def update(x):
            global ema_state
            ema_state = 0.9 * ema_state + 0.1 * x
            return ema_state.sum()

        def step(k):
            s = update(lib.tensor(data(k, 3)))
            return s, _EMA[lib.__name__]()
        return step
    run(make, 5)


def test_zero_grad_and_grad_clipping_inside_with_backward_outside():
    def make(lib, comp):
        m = same_init(lib, lambda L: L.nn.Linear(3, 2))
        opt = lib.optim.SGD(m.parameters(), lr=0.1)

        @comp
        def clip_and_step():
            norm = lib.nn.utils.clip_grad_norm_(m.parameters(), 0.5)
            opt.step()
            opt.zero_grad()
            return norm

        def step(k):
            m(lib.tensor(data(k, 4, 3))).pow(2).sum().backward()
            return clip_and_step(), m.weight
        return step
    run(make, 4)


def test_backward_inside_accumulates_once_per_call():
    """A compiled forward+backward, zero_grad outside every other step
    (gradient accumulation): the recording's backward must not add to the
    parameters' .grad before the eager call does."""
    def make(lib, comp):
        m = same_init(lib, lambda L: L.nn.Linear(3, 1))
        opt = lib.optim.SGD(m.parameters(), lr=0.1)

        @comp
        def fwd_bwd(x, y):
            loss = ((m(x) - y) ** 2).mean()
            loss.backward()
            return loss

        def step(k):
            if k % 2 == 0:
                opt.zero_grad()
            loss = fwd_bwd(lib.tensor(data(k, 4, 3)), lib.tensor(data(k, 4, 1, seed=1)))
            grads = [p.grad.clone() for p in m.parameters()]
            if k % 2 == 1:
                opt.step()
            return loss, grads
        return step
    run(make, 5)


def test_forward_hook_storing_activations_and_a_hook_added_later():
    """A hook capturing activations in a dict runs every call (eager, the
    replay would keep the recording's); a hook added or removed between
    calls is seen, as in eager mode (torch.compile skips hook guards)."""
    def make(lib, comp):
        m = same_init(lib, lambda L: L.nn.Sequential(L.nn.Linear(2, 3), L.nn.Tanh(), L.nn.Linear(3, 1)))
        acts = {}
        m[0].register_forward_hook(lambda mod, i, o: acts.__setitem__("lin", o))
        f = comp(m)
        handle = []

        def step(k):
            if k == 2:
                handle.append(m[1].register_forward_hook(lambda mod, i, o: o * 3))
            if k == 4:
                handle.pop().remove()
            x = lib.tensor(data(k, 2, 2), requires_grad=True)
            y = f(x)
            acts["lin"].sum().backward()
            return y, acts["lin"], x.grad
        return step
    run(make, 6)


def _logged(L):
    class Logged(L.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = L.nn.Linear(2, 2)

        def forward(self, x):
            y = self.lin(x)
            _LOG[L.__name__].append(y.norm())
            return y
    return Logged()


def test_user_module_forward_appending_to_a_global_log():
    def make(lib, comp):
        log = _LOG[lib.__name__]
        log.clear()
        f = comp(same_init(lib, _logged))

        def step(k):
            f(lib.tensor(data(k, 2)))
            return len(log), log[-1]
        return step
    run(make, 4)


def test_scheduler_and_optimizer_state_written_inside():
    """sched.step() inside a compiled loss: a library object's Python state
    (the learning rate) changes every call, as in torch."""
    def make(lib, comp):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        opt = lib.optim.SGD([w], lr=1.0)
        sched = lib.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)

        @comp
        def loss_fn(x):
            loss = (w * x).sum()
            sched.step()
            return loss

        def step(k):
            loss = loss_fn(lib.tensor(data(k, 2)))
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss, opt.param_groups[0]["lr"], w
        return step
    run(make, 4)


_HIST = {"jitgrad": np.zeros(3), "torch": np.zeros(3)}


def test_class_attribute_counter_and_a_numpy_history_written_inside():
    def make(lib, comp):
        class Net(lib.nn.Module):
            calls = 0

            def forward(self, x):
                type(self).calls += 1
                return x * Net.calls

        hist = _HIST[lib.__name__]
        hist[:] = 0.0
        m = comp(Net())

        @comp
        def record(x, i):
            hist[i] = float(x.sum())
            return x.exp()

        def step(k):
            x = lib.tensor(data(k, 2))
            return m(x), Net.calls, record(x, k % 3), hist.copy()
        return step
    run(make, 4)


def test_python_and_numpy_random_draws_inside_are_fresh_each_call():
    """A coin flip from `random` and a scale from `np.random` inside (an
    augmentation): each call draws, as torch.compile's; eager, and the
    recording's draws are rewound so the eager call draws the same numbers."""
    import random

    def make(lib, comp):
        random.seed(0)
        np.random.seed(0)

        @comp
        def augment(x):
            if random.random() < 0.5:
                x = x.flip(0)
            return x * np.random.rand()

        def step(k):
            x = lib.tensor(data(k, 3), requires_grad=True)
            y = augment(x)
            y.sum().backward()
            return y, x.grad, random.random(), np.random.rand()
        return step
    run(make, 5)


def test_gradient_hooks_and_retain_grad_registered_inside():
    """h.register_hook(...) and h.retain_grad() inside (inspecting or
    changing a gradient), a hook on a parameter registered every call, and a
    module's full backward hook: each call's tensors have them, as in torch."""
    def make(lib, comp):
        seen, param_calls = [], []
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        lin = same_init(lib, lambda L: L.nn.Linear(2, 2))
        lin.register_full_backward_hook(lambda mod, gin, gout: (gin[0] * 0.5,))

        @comp
        def f(x):
            h = lin(x * w)
            h.register_hook(lambda g: seen.append(g.clone()))
            h.register_hook(lambda g: g * 2)
            h.retain_grad()
            w.register_hook(lambda g: param_calls.append(1))
            return (h ** 2).sum(), h

        def step(k):
            x = lib.tensor(data(k, 2), requires_grad=True)
            y, h = f(x)
            y.backward()
            return y, h.grad, x.grad, w.grad, len(seen), seen[-1], len(param_calls)
        return step
    run(make, 4)


def test_print_before_an_exception_inside_is_printed(capsys):
    @jg.compile
    def f(x):
        print("checking", x.shape[0])
        if x.min() < 0:
            raise ValueError("negative")
        return x.sqrt()

    with pytest.raises(ValueError, match="negative"):
        f(jg.tensor([-1.0, 4.0]))        # (raised while recording)
    assert capsys.readouterr().out == "checking 2\n"
    f(jg.tensor([1.0, 4.0]))
    assert capsys.readouterr().out == "checking 2\n"


def test_next_of_a_global_iterator_or_generator_inside():
    def make(lib, comp):
        batches = iter([lib.tensor(data(k, 2)) for k in range(6)])

        def noise():
            k = 0
            while True:
                k += 1
                yield lib.tensor(float(k))
        gen = noise()

        @comp
        def f(w):
            return (w * next(batches)).sum() + next(gen)

        def step(k):
            w = lib.tensor([1.0, -1.0], requires_grad=True)
            y = f(w)
            y.backward()
            return y, w.grad
        return step
    run(make, 4)
