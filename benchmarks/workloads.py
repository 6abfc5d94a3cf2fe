"""Benchmark workloads, defined once for pytest-benchmark (``test_core.py``)
and for the plain-timer report (``report.py``).

A workload is a function ``make(m)`` that takes the module to benchmark
(``jitgrad`` or ``torch``: both are used through PyTorch's API only), does
the untimed setup, and returns ``run``: a zero-argument callable doing one
timed round. ``run()`` returns the tensors whose values both backends must
agree on (``values()`` flattens them for the check).

Adding a workload = one small function below + one ``Workload(...)`` row in
``WORKLOADS``. Both harnesses pick it up without further edits.
"""
from __future__ import annotations

import dataclasses
import functools
import math
import time
from typing import Any, Callable

import numpy as np

STEPS = 5000            # scalar_chain: 4 ops per step -> 20,000 recorded ops
GRAPH_N = 1000          # scalar_graph: inputs (about 10,000 recorded ops)
GRAPH_STRIDE = 10       # scalar_graph: strided sums over every 10th element
ROSEN_N = 1000          # rosenbrock: elements of x
SWEEP_STEPS = 600       # retained_sweep: 5 ops per step -> 3,000 recorded ops
SWEEP_LEAVES = 8


# ----- workloads ------------------------------------------------------------

def compiler(m, compiled):
    """``jitgrad.compile`` for the compiled variants of a workload. torch (and
    jitgrad when not compiled) run the same function eagerly: every jitgrad
    figure is a ratio to torch eager."""
    if compiled and m.__name__ == "jitgrad":
        return m.compile
    return lambda f: f


# The chain's coefficients. The default chain settles at y ~ pi where
# dy'/dy ~ 0.5: its adjoints sink to the smallest subnormal (5e-324) and stay
# there for ~4000 of its 5000 steps, so its reverse pass (and the floor's) is
# mostly microcode assists on subnormals (about 50 ns per operation on the
# benchmark machine), not interpreter work. The non-degenerate chain
# (CHAIN_ND: same ops, dy'/dy ~ 1, dy/dx ~ 0.086) measures the interpreter.
CHAIN = (1.0001, 0.5)
CHAIN_ND = (0.99, 0.01)


def chain(m, y, steps=STEPS, coef=CHAIN):
    """The 20,000-op scalar chain: 4 ops per step."""
    a, b = coef
    for _ in range(steps):
        y = y * a + m.sin(y) * b
    return y


def scalar_chain(m, dtype="float32", steps=STEPS, compiled=False, coef=CHAIN):
    """Forward + backward of a 20,000-op scalar chain built in Python
    (compiled: recorded once, then replayed by jitgrad.compile)."""
    dt = getattr(m, dtype)
    f = compiler(m, compiled)(functools.partial(chain, m, steps=steps, coef=coef))

    def run():
        x = m.tensor(0.5, requires_grad=True, dtype=dt)
        y = f(x)
        y.backward()
        # The chain settles on y ~ pi where dy'/dy ~ 0.5, so x.grad underflows
        # to 0 (torch float32: a denormal); y is the meaningful check value.
        return y.detach(), x.grad

    run.compiled = f
    return run


def retained_sweep(m, steps=SWEEP_STEPS, leaves=SWEEP_LEAVES):
    """Backward alone (retain_graph=True) of a prebuilt 3,000-op scalar graph:
    mul/sin/exp/mul/add per step, 8 leaves, y used twice per step (a DAG)."""
    ws = [m.tensor(0.3 + 0.05 * i, requires_grad=True, dtype=m.float64) for i in range(leaves)]
    y = ws[0]
    for k in range(steps):
        w = ws[k % leaves]
        y = m.exp(m.sin(y * w)) + y * 0.25

    def run():                     # the leaves stay alive with the closure
        y.backward(retain_graph=True)
        return [w.grad for w in ws]

    run.graph_output = y
    return run


def _normal(seed, *shape):
    import numpy as np
    return np.random.default_rng(seed).standard_normal(shape)


def jacobian_tanh(m, n=200, vectorize=False):
    """jacobian(f, x) of f(x) = tanh(W @ x) + x ** 2, R^n -> R^n, float32: the
    forward, all n rows and the result tensor. jitgrad sweeps the rows in
    batches whatever `vectorize` says; torch loops (False) or vmaps (True)."""
    W = m.tensor(_normal(0, n, n) / math.sqrt(n), dtype=m.float32)
    x = m.tensor(_normal(1, n), dtype=m.float32)

    def f(v):
        return m.tanh(W @ v) + v ** 2

    def run():
        return m.autograd.functional.jacobian(f, x, vectorize=vectorize)

    return run


def hessian_scalar(m, n=100, vectorize=False):
    """hessian(f, x) of a scalar f of n inputs, float32: a quadratic form plus
    elementwise terms, f(x) = x.Ax / 2 + sum(sin(x) exp(-x^2)) + sum(log(1 + x^2))
    (the Hessian is A-symmetrized plus a diagonal: dense, not separable)."""
    A = m.tensor(_normal(2, n, n) / n, dtype=m.float32)
    x = m.tensor(_normal(3, n), dtype=m.float32)

    def f(v):
        return 0.5 * (v * (A @ v)).sum() + (m.sin(v) * m.exp(-v * v)).sum() + m.log1p(v * v).sum()

    def run():
        return m.autograd.functional.hessian(f, x, vectorize=vectorize)

    return run


def hvp_mlp(m, batch=16, sizes=(8, 32, 1)):
    """A Hessian-vector product by double backward (create_graph=True) of a
    small tanh MLP's MSE loss, float32: forward, grad with a graph, the
    gradient's dot with v, and its gradient (a create_graph loop's step)."""
    rng = np.random.default_rng(4)
    f32 = np.float32
    shapes = [sizes[1::-1], (sizes[1],), sizes[:0:-1], (sizes[2],)]
    ps = [m.tensor((rng.normal(size=s) * 0.3).astype(f32), requires_grad=True) for s in shapes]
    vs = [m.tensor(rng.normal(size=s).astype(f32)) for s in shapes]
    X = m.tensor(rng.normal(size=(batch, sizes[0])).astype(f32))
    Y = m.tensor(rng.normal(size=(batch, sizes[2])).astype(f32))
    F = m.nn.functional

    def run():
        W1, b1, W2, b2 = ps
        loss = F.mse_loss(F.linear(m.tanh(F.linear(X, W1, b1)), W2, b2), Y)
        gs = m.autograd.grad(loss, ps, create_graph=True)
        dot = sum((g * v).sum() for g, v in zip(gs, vs))
        return m.autograd.grad(dot, ps)
    return run


def newton_scalar(m, steps=20):
    """Newton's method on a scalar function, 0-d float64: per step the first
    derivative with create_graph=True and the second by differentiating it."""
    def run():
        x = m.tensor(0.7, dtype=m.float64, requires_grad=True)
        for _ in range(steps):
            y = m.sin(x) * x + m.exp(-x * x) + x ** 3 / 3.0
            g, = m.autograd.grad(y, x, create_graph=True)
            h, = m.autograd.grad(g, x)
            x = (x - g / h).detach().requires_grad_(True)
        return x
    return run


def scalar_graph_fn(m, x, n=GRAPH_N, stride=GRAPH_STRIDE):
    """The 10,000-op scalar graph, every op on a 0-d tensor: softplus of an
    affine map of each input, strided sums, products, 4-way softmaxes, and a
    softmax-weighted total. n=1000 inputs: 1000 element reads, then 3000 ops
    (softplus layer), 990 (strided sums), 1000 (products), 5750 (per group of
    4: 4 scalings, 4 exp, 3 adds, 4 divisions, 4 weights, 4 adds to the
    total): 11,739 recorded ops in all."""
    sp = m.nn.functional.softplus
    a = [sp(x[i] * 0.5 + 0.1) for i in range(n)]
    s = []
    for j in range(stride):
        acc = a[j]
        for k in range(j + stride, n, stride):
            acc = acc + a[k]
        s.append(acc)
    p = [a[i] * s[i % stride] for i in range(n)]
    total = None
    for g in range(0, n, 4):
        e = [m.exp(p[g + k] * 0.01) for k in range(4)]
        z = e[0] + e[1] + e[2] + e[3]
        for k in range(4):
            t = (e[k] / z) * p[g + k]
            total = t if total is None else total + t
    return total


def scalar_graph_torch_fn(m, init, n=GRAPH_N, stride=GRAPH_STRIDE):
    """The 10,000-op scalar graph written as torch users write it (issue 11):
    the input unbound into 0-d tensors, F.softplus of an affine map of each,
    strided sums, products, and a 4-way F.softmax over torch.stack of the
    last four nodes of each group, weighting them into a total. n=1000:
    about 10,500 recorded ops."""
    F = m.nn.functional
    nodes = [F.softplus(x * 0.5 + 0.1) for x in init.unbind(0)]
    sums = []
    for j in range(stride):
        acc = nodes[j]
        for k in range(j + stride, n, stride):
            acc = acc + nodes[k]
        sums.append(acc)
    nodes = [nodes[i] * sums[i % stride] for i in range(n)]
    total = None
    for g in range(4, n + 1, 4):
        group = nodes[g - 4:g]
        w = F.softmax(m.stack([p * 0.01 for p in group]), dim=0)
        t = (w * m.stack(group)).sum()
        total = t if total is None else total + t
    return total


def scalar_graph(m, dtype="float64", n=GRAPH_N, compiled=False, fn=None):
    """Forward + backward of the 10,000-op scalar graph (scalar_graph_fn) of a
    1000-element input."""
    dt = getattr(m, dtype)
    f = compiler(m, compiled)(functools.partial(fn or scalar_graph_fn, m, n=n))
    x0 = np.array([0.01 * ((i * 37) % 101 - 50) for i in range(n)])

    def run():
        x = m.tensor(x0, dtype=dt, requires_grad=True)
        y = f(x)
        y.backward()
        return y.detach(), x.grad

    run.compiled = f
    return run


def scalar_graph_unbind_fn(m, x, n=GRAPH_N, stride=GRAPH_STRIDE):
    """The 10,000-op scalar graph as torch users write it (issue 12, item 4):
    the inputs read with unbind, each 4-way F.softmax of a stack of 0-d
    tensors, its weights read back with unbind and used one by one (unlike
    scalar_graph_torch_fn, which multiplies the weights by a second stack)."""
    F = m.nn.functional
    xs = x.unbind(0)
    a = [F.softplus(xi * 0.5 + 0.1) for xi in xs]
    s = []
    for j in range(stride):
        acc = a[j]
        for k in range(j + stride, n, stride):
            acc = acc + a[k]
        s.append(acc)
    p = [a[i] * s[i % stride] for i in range(n)]
    total = None
    for g in range(0, n, 4):
        w = F.softmax(m.stack(p[g:g + 4]) * 0.01, dim=0)
        for k, wk in enumerate(w.unbind(0)):
            t = wk * p[g + k]
            total = t if total is None else total + t
    return total


def scalar_graph_torch(m, dtype="float32", n=GRAPH_N):
    """Forward + backward of the torch-style 10,000-op scalar graph
    (scalar_graph_unbind_fn) of a 1000-element float32 input, eager."""
    dt = getattr(m, dtype)
    x0 = np.array([0.01 * ((i * 37) % 101 - 50) for i in range(n)])

    def run():
        x = m.tensor(x0, dtype=dt, requires_grad=True)
        y = scalar_graph_unbind_fn(m, x, n=n)
        y.backward()
        return y.detach(), x.grad

    return run


def rosenbrock_fn(m, x):
    """Rosenbrock as a Python loop over the elements of x (~11 recorded ops
    per element)."""
    s = 0.0
    for i in range(x.shape[0] - 1):
        s = s + 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2
    return s


def rosenbrock(m, dtype="float64", n=ROSEN_N, compiled=False):
    """Value and gradient of Rosenbrock written as a Python loop over a
    1000-element tensor."""
    dt = getattr(m, dtype)
    f = compiler(m, compiled)(functools.partial(rosenbrock_fn, m))
    x0 = np.array([0.5 + 0.001 * ((i * 13) % 17) for i in range(n)])

    def run():
        x = m.tensor(x0, dtype=dt, requires_grad=True)
        y = f(x)
        y.backward()
        return y.detach(), x.grad

    run.compiled = f
    return run


def value_and_grad_of(m, fn, x0, dtype):
    """Value and gradient of fn at x0: jitgrad through
    jitgrad.compile(jitgrad.func.value_and_grad(fn)) (forward and reverse in
    one Numba call), torch eagerly (forward + backward)."""
    dt = getattr(m, dtype)
    if m.__name__ == "jitgrad":
        vg = m.compile(m.func.value_and_grad(fn))

        def run():
            return vg(m.tensor(x0, dtype=dt))
        run.compiled = vg.cf
        return run

    def run_torch():
        x = m.tensor(x0, dtype=dt, requires_grad=True)
        y = fn(x)
        y.backward()
        return y.detach(), x.grad
    return run_torch


def rosenbrock_vg(m, dtype="float64", n=ROSEN_N):
    """compile(value_and_grad) of the Rosenbrock loop (torch: eager)."""
    x0 = np.array([0.5 + 0.001 * ((i * 13) % 17) for i in range(n)])
    return value_and_grad_of(m, functools.partial(rosenbrock_fn, m), x0, dtype)


def scalar_graph_vg(m, dtype="float32", n=GRAPH_N):
    """compile(value_and_grad) of the torch-style 10k-op graph (torch: eager)."""
    x0 = np.array([0.01 * ((i * 37) % 101 - 50) for i in range(n)])
    return value_and_grad_of(m, functools.partial(scalar_graph_torch_fn, m, n=n), x0, dtype)


def scalar_chain_value_and_grad(m, dtype="float64", steps=STEPS, coef=CHAIN):
    """The scalar chain through jitgrad.compile(jitgrad.func.value_and_grad(f)):
    forward and reverse sweeps in one Numba call (torch: eager backward)."""
    dt = getattr(m, dtype)
    f = functools.partial(chain, m, steps=steps, coef=coef)
    if m.__name__ == "jitgrad":
        vg = m.compile(m.func.value_and_grad(f))

        def run():
            return vg(m.tensor(0.5, dtype=dt))
        run.compiled = vg.cf
        return run

    def run_torch():
        x = m.tensor(0.5, requires_grad=True, dtype=dt)
        y = f(x)
        y.backward()
        return y.detach(), x.grad
    return run_torch


def mlp_step(m, batch=64, sizes=(784, 256, 10)):
    """One training step of a 2-layer MLP (tanh, MSE, float32): forward,
    backward and an SGD update under no_grad."""
    rng = np.random.default_rng(0)
    f32 = np.float32
    W1 = m.tensor((rng.normal(size=sizes[:2]) * 0.05).astype(f32), requires_grad=True)
    b1 = m.tensor(np.zeros(sizes[1], f32), requires_grad=True)
    W2 = m.tensor((rng.normal(size=sizes[1:]) * 0.05).astype(f32), requires_grad=True)
    b2 = m.tensor(np.zeros(sizes[2], f32), requires_grad=True)
    X = m.tensor(rng.normal(size=(batch, sizes[0])).astype(f32))
    Y = m.tensor(rng.normal(size=(batch, sizes[2])).astype(f32))
    params = (W1, b1, W2, b2)

    def run():
        h = m.tanh(X @ W1 + b1)
        loss = ((h @ W2 + b2 - Y) ** 2).mean()
        loss.backward()
        # Gradient norms: float32 gradients near 1e-7 differ in the last
        # bits between float64 and float32 accumulation.
        norms = [p.grad.norm() for p in params]
        with m.no_grad():
            for p in params:
                p -= 0.0 * p.grad      # an update that keeps every round identical
                p.grad = None
        return [loss] + norms
    return run


def mlp_vg(m, batch=16, sizes=(64, 32, 10)):
    """compile(value_and_grad) of a small ReLU MLP's MSE loss in float32,
    written with nn.functional (linear = x @ W.T + b): its matmul records
    replay in Numba by eager mode's BLAS calls (torch: eager backward)."""
    rng = np.random.default_rng(0)
    f32 = np.float32
    W1 = (rng.normal(size=sizes[1::-1]) * 0.1).astype(f32)
    b1 = np.zeros(sizes[1], f32)
    W2 = (rng.normal(size=sizes[:0:-1]) * 0.1).astype(f32)
    b2 = np.zeros(sizes[2], f32)
    X = m.tensor(rng.normal(size=(batch, sizes[0])).astype(f32))
    Y = m.tensor(rng.normal(size=(batch, sizes[2])).astype(f32))
    F = m.nn.functional

    def loss(W1, b1, W2, b2):
        return F.mse_loss(F.linear(F.relu(F.linear(X, W1, b1)), W2, b2), Y)
    if m.__name__ == "jitgrad":
        vg = m.compile(m.func.value_and_grad(loss, argnums=(0, 1, 2, 3)))

        def run():
            value, grads = vg(*(m.tensor(p) for p in (W1, b1, W2, b2)))
            # (gradient norms, as mlp_step: tiny float32 elements differ in the last bits)
            return [value] + [g.norm() for g in grads]
        run.compiled = vg.cf
        return run

    def run_torch():
        ps = [m.tensor(p, requires_grad=True) for p in (W1, b1, W2, b2)]
        y = loss(*ps)
        y.backward()
        return [y.detach()] + [p.grad.norm() for p in ps]
    return run_torch


def elementwise_1e6(m, n=1_000_000):
    """A 1e6-element elementwise expression and its backward (float32)."""
    x = m.tensor(np.random.default_rng(1).uniform(0.1, 2.0, n).astype(np.float32), requires_grad=True)

    def run():
        y = (m.sin(x) * m.exp(-x) + x ** 2 / (1.0 + x)).sum()
        y.backward()
        g = x.grad
        x.grad = None
        return [y, g[:5]]
    return run


def hmc_leapfrog(m, n=20, steps=50):
    """Leapfrog steps of Hamiltonian Monte Carlo on a 20-element float64
    vector: per step the potential (a quadratic, cosines, neighbour
    differences), its gradient by autograd.grad, and the momentum and
    position updates (small-vector work, one short graph per step)."""
    q0 = np.linspace(-1.0, 1.0, n)

    def potential(q):
        return 0.5 * (q ** 2).sum() + 0.1 * m.cos(q).sum() + (q[1:] - q[:-1]).pow(2).sum()

    def run():
        q = m.tensor(q0, requires_grad=True)
        p = m.ones(n, dtype=m.float64)
        for _ in range(steps):
            g, = m.autograd.grad(potential(q), q)
            p = p - 0.05 * g
            q = (q + 0.1 * p).detach().requires_grad_(True)
        return q.detach()
    return run


def lennard_jones(m, atoms=40, steps=10):
    """Gradient descent on the Lennard-Jones energy of 40 atoms, float64:
    cdist, powers, the upper triangle's sum and its gradient per step."""
    x0 = np.random.default_rng(0).uniform(0.0, 5.0, (atoms, 3))

    def run():
        x = m.tensor(x0, requires_grad=True)
        for _ in range(steps):
            d = m.cdist(x, x) + m.eye(atoms, dtype=m.float64) * 10.0
            e = (4.0 * ((1.0 / d) ** 12 - (1.0 / d) ** 6)).triu(1).sum()
            g, = m.autograd.grad(e, x)
            x = (x - 1e-4 * g.clamp(-10.0, 10.0)).detach().requires_grad_(True)
        return x.detach()
    return run


def gru_sequence(m, length=20, steps=10):
    """A GRUCell (4 -> 8, batch 1, float32) over a 20-step sequence, a
    linear read-out's squared output, backward and an SGD step, 10 times."""
    rng = np.random.default_rng(1)
    shapes = [(24, 4), (24, 8), (24,), (24,), (1, 8), (1,)]
    init = [(rng.normal(size=s) * 0.3).astype(np.float32) for s in shapes]
    xs = rng.normal(size=(length, 1, 4)).astype(np.float32)

    def run():
        cell, lin = m.nn.GRUCell(4, 8), m.nn.Linear(8, 1)
        params = list(cell.parameters()) + list(lin.parameters())
        with m.no_grad():
            for p, v in zip(params, init):
                p.copy_(m.tensor(v))
        opt = m.optim.SGD(params, lr=0.01)
        seq = m.tensor(xs)
        for _ in range(steps):
            h = m.zeros(1, 8)
            for x in seq:
                h = cell(x, h)
            loss = lin(h).pow(2).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        return [p.detach() for p in params]
    return run


@dataclasses.dataclass(frozen=True)
class Workload:
    name: str                       # benchmark group / table row
    make: Callable[[Any], Callable[[], Any]]
    target: float                   # required torch / jitgrad time ratio
    timed: str                      # what one round measures


def per_sample_grads(m, batch=64, sizes=(4, 16, 1)):
    """Per-sample gradients, torch.func's headline use: vmap(grad(loss),
    in_dims=(None, 0, 0)) of a tanh MLP's squared error over a batch of 64,
    float64, the parameters a tuple shared by every sample (jitgrad: one
    recording replayed for all points at once; torch: batching rules)."""
    rng = np.random.default_rng(0)
    w1 = m.tensor(rng.normal(size=sizes[1::-1]) * 0.3)
    w2 = m.tensor(rng.normal(size=sizes[:0:-1]) * 0.3)
    x = m.tensor(rng.normal(size=(batch, sizes[0])))
    y = m.tensor(rng.normal(size=(batch, sizes[2])))

    def loss(params, xi, yi):
        a, b = params
        return ((m.tanh(xi @ a.T) @ b.T - yi) ** 2).sum()
    per_sample = m.func.vmap(m.func.grad(loss), in_dims=(None, 0, 0))

    def run():
        g1, g2 = per_sample((w1, w2), x, y)
        return [g1, g2]
    return run


def per_sample_ce_grads(m, batch=64, sizes=(10, 32, 10)):
    """torch.func's per-sample-gradients tutorial: vmap(grad(loss)) of a
    ReLU MLP's cross_entropy with integer targets through functional_call
    and a parameter dict, float32, batch 64 (jitgrad: the targets' groups
    of tapes in one batch, each point its own index maps)."""
    rng = np.random.default_rng(3)
    m.manual_seed(0)
    model = m.nn.Sequential(m.nn.Linear(sizes[0], sizes[1]), m.nn.ReLU(), m.nn.Linear(sizes[1], sizes[2]))
    params = {k: v.detach() for k, v in model.named_parameters()}
    x = m.tensor(rng.normal(size=(batch, sizes[0])).astype(np.float32))
    y = m.tensor(rng.integers(0, sizes[2], batch))

    def loss(p, xi, yi):
        return m.nn.functional.cross_entropy(m.func.functional_call(model, p, (xi.unsqueeze(0),)), yi.unsqueeze(0))
    per_sample = m.func.vmap(m.func.grad(loss), in_dims=(None, 0, 0))

    def run():
        g = per_sample(params, x, y)
        return [g[k] for k in sorted(g)]
    return run


WORKLOADS = [
    Workload("scalar_chain", scalar_chain, 5.0, "forward + backward, 20k ops, float32"),
    Workload("scalar_chain_f64", functools.partial(scalar_chain, dtype="float64"), 5.0,
             "forward + backward, 20k ops, float64"),
    Workload("retained_sweep", retained_sweep, 50.0, "backward(retain_graph=True) of 3k ops"),
    Workload("scalar_graph", scalar_graph, 10.0,
             "10k-op scalar graph (softplus, strided sums, products, 4-way softmax), fwd + bwd, eager"),
    Workload("scalar_graph_torch", scalar_graph_torch, 5.0,
             "10k-op scalar graph written the torch way (unbind, stack, F.softmax), float32, fwd + bwd, eager"),
    Workload("scalar_graph_compiled", functools.partial(scalar_graph, compiled=True), 300.0,
             "10k-op scalar graph, fwd + bwd, jitgrad.compile replay (torch: eager)"),
    Workload("scalar_chain_compiled", functools.partial(scalar_chain, compiled=True), 300.0,
             "20k-op scalar chain, float32, jitgrad.compile replay (torch: eager)"),
    Workload("scalar_chain_f64_compiled", functools.partial(scalar_chain, dtype="float64", compiled=True), 300.0,
             "20k-op scalar chain, float64, jitgrad.compile replay (torch: eager)"),
    Workload("scalar_chain_f64_vg", scalar_chain_value_and_grad, 300.0,
             "20k-op scalar chain, float64, compile(value_and_grad): one Numba call (torch: eager)"),
    Workload("scalar_chain_nd_f64_compiled", functools.partial(scalar_chain, dtype="float64", compiled=True,
                                                               coef=CHAIN_ND), 300.0,
             "20k-op non-degenerate scalar chain (normal adjoints), float64, jitgrad.compile replay (torch: eager)"),
    Workload("scalar_chain_nd_f64_vg", functools.partial(scalar_chain_value_and_grad, coef=CHAIN_ND), 300.0,
             "20k-op non-degenerate scalar chain, float64, compile(value_and_grad) (torch: eager)"),
    Workload("scalar_graph_f32_compiled", functools.partial(scalar_graph, dtype="float32", compiled=True,
                                                            fn=scalar_graph_torch_fn), 300.0,
             "10k-op graph written the torch way (unbind, F.softplus, F.softmax(stack)), float32, "
             "jitgrad.compile replay (torch: eager)"),
    Workload("scalar_graph_f64_compiled", functools.partial(scalar_graph, dtype="float64", compiled=True,
                                                            fn=scalar_graph_torch_fn), 300.0,
             "10k-op graph written the torch way, float64, jitgrad.compile replay (torch: eager)"),
    Workload("scalar_graph_f32_vg", scalar_graph_vg, 300.0,
             "10k-op graph written the torch way, float32, compile(value_and_grad) (torch: eager)"),
    Workload("scalar_graph_f64_vg", functools.partial(scalar_graph_vg, dtype="float64"), 300.0,
             "10k-op graph written the torch way, float64, compile(value_and_grad) (torch: eager)"),
    Workload("rosenbrock", rosenbrock, 10.0, "Rosenbrock loop over 1000 elements, value + grad, eager"),
    Workload("rosenbrock_compiled", functools.partial(rosenbrock, compiled=True), 300.0,
             "Rosenbrock loop over 1000 elements, value + grad, jitgrad.compile replay (torch: eager)"),
    Workload("rosenbrock_vg", rosenbrock_vg, 300.0,
             "Rosenbrock loop over 1000 elements, compile(value_and_grad) (torch: eager)"),
    Workload("mlp_step", mlp_step, 0.8, "2-layer MLP step, batch 64, 784-256-10, tanh, MSE, float32"),
    Workload("mlp_vg_compiled", mlp_vg, 3.0,
             "64-32-10 ReLU MLP, batch 16, MSE, float32, compile(value_and_grad) (torch: eager)"),
    Workload("elementwise_1e6", elementwise_1e6, 0.8,
             "sin(x) * exp(-x) + x ** 2 / (1 + x), 1e6 elements, forward + backward, float32"),
    Workload("jacobian_200", functools.partial(jacobian_tanh, n=200), 10.0,
             "jacobian, tanh(W @ x) + x ** 2, n=200; torch vectorize=False"),
    Workload("jacobian_200_vec", functools.partial(jacobian_tanh, n=200, vectorize=True), 3.0,
             "jacobian, tanh(W @ x) + x ** 2, n=200; torch vectorize=True"),
    Workload("jacobian_1000", functools.partial(jacobian_tanh, n=1000), 10.0,
             "jacobian, tanh(W @ x) + x ** 2, n=1000; torch vectorize=False"),
    Workload("jacobian_1000_vec", functools.partial(jacobian_tanh, n=1000, vectorize=True), 3.0,
             "jacobian, tanh(W @ x) + x ** 2, n=1000; torch vectorize=True"),
    Workload("hessian_100", hessian_scalar, 3.0,
             "hessian, quadratic form + elementwise terms, n=100; torch vectorize=False"),
    Workload("hessian_100_vec", functools.partial(hessian_scalar, vectorize=True), 3.0,
             "hessian, quadratic form + elementwise terms, n=100; torch vectorize=True"),
    Workload("hvp_mlp", hvp_mlp, 3.0,
             "Hessian-vector product by double backward (create_graph=True), 8-32-1 tanh MLP, batch 16, float32"),
    Workload("newton_scalar", newton_scalar, 3.0,
             "20 Newton steps on a 0-d float64 function: grad with create_graph=True, then its grad"),
    Workload("hmc_leapfrog", hmc_leapfrog, 1.0,
             "50 leapfrog steps, 20-element float64 vector: potential, autograd.grad, updates"),
    Workload("lennard_jones", lennard_jones, 1.0,
             "10 gradient steps of a 40-atom Lennard-Jones energy (cdist, pow, triu), float64"),
    Workload("gru_sequence", gru_sequence, 1.0,
             "GRUCell 4->8 over 20 steps, batch 1, float32: forward, backward, SGD, 10 times"),
    Workload("per_sample_grads", per_sample_grads, 1.0,
             "vmap(grad(loss), in_dims=(None, 0, 0)): per-sample gradients of a 4-16-1 tanh MLP, batch 64, "
             "float64"),
    Workload("per_sample_ce_grads", per_sample_ce_grads, 1.0,
             "vmap(grad(cross_entropy)) with integer targets, functional_call of a 10-32-10 ReLU MLP, batch 64, "
             "float32 (the per-sample-gradients tutorial)"),
]
BY_NAME = {w.name: w for w in WORKLOADS}


# ----- floors and fresh processes (report.py) -------------------------------

def numba_chain(steps=STEPS, coef=CHAIN):
    """The floor for scalar_chain: the same chain (float64, forward values
    kept, then the reverse pass) hand-written in Numba. run() -> (y, dy/dx)."""
    from numba import njit

    @njit(cache=False)
    def chain_fb(x, steps, a, b):
        ys = np.empty(steps + 1)
        ys[0] = x
        y = x
        for i in range(steps):
            y = y * a + math.sin(y) * b
            ys[i + 1] = y
        g = 1.0
        for i in range(steps - 1, -1, -1):
            g = g * (a + math.cos(ys[i]) * b)
        return y, g

    def run():
        return chain_fb(0.5, steps, coef[0], coef[1])
    return run


def numba_rosenbrock(n=ROSEN_N):
    """The floor for rosenbrock: value and gradient of the same sum
    hand-written in Numba (float64). run() -> (f, grad)."""
    from numba import njit

    @njit(cache=False)
    def rosen_vg(x):
        f = 0.0
        g = np.zeros_like(x)
        for i in range(x.size - 1):
            d = x[i + 1] - x[i] ** 2
            e = 1.0 - x[i]
            f = f + 100.0 * d * d + e * e
            g[i] += -400.0 * d * x[i] - 2.0 * e
            g[i + 1] += 200.0 * d
        return f, g

    x0 = np.array([0.5 + 0.001 * ((i * 13) % 17) for i in range(n)])

    def run():
        return rosen_vg(x0)
    return run


FRESH_CODE = """
import time
t0 = time.perf_counter()
import {module} as m
t1 = time.perf_counter()
x = m.tensor(2.0, requires_grad=True)
y = m.sin(x) * x + x * x
y.backward()
g = float(x.grad)
t2 = time.perf_counter()
print(t1 - t0, t2 - t0)
"""


def fresh_process(backend, cache_dir=None, pyc_prefix=None):
    """(import time, time to the first gradient) in seconds, measured inside a
    new Python process from just before the import. For jitgrad, `cache_dir`
    is the Numba cache (NUMBA_CACHE_DIR): a new empty directory gives a cold
    cache (every kernel compiles), the same directory again a warm one.
    `pyc_prefix`: a PYTHONPYCACHEPREFIX holding jitgrad's compiled bytecode
    (`compile_bytecode`), so the process imports jitgrad as an installed
    package does, also where PYTHONDONTWRITEBYTECODE is set."""
    import os
    import subprocess
    import sys
    env = dict(os.environ)
    if cache_dir is not None:
        env["NUMBA_CACHE_DIR"] = str(cache_dir)
    if pyc_prefix is not None:
        env["PYTHONPYCACHEPREFIX"] = str(pyc_prefix)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run([sys.executable, "-c", FRESH_CODE.format(module=backend)], env=env,
                         capture_output=True, text=True, check=True, timeout=600)
    imp, first = out.stdout.split()
    return float(imp), float(first)


def compile_bytecode(prefix):
    """Fill the bytecode cache `prefix` (PYTHONPYCACHEPREFIX) as installed
    packages have theirs: jitgrad's modules compiled ahead, as `pip install`
    does, and those of NumPy, Numba and the standard library that a first
    gradient imports (with a prefix set, Python reads every module's
    bytecode from there), by one first gradient with a throwaway Numba cache."""
    import os
    import subprocess
    import sys
    import tempfile
    import jitgrad
    subprocess.run([sys.executable, "-m", "compileall", "-q", os.path.dirname(jitgrad.__file__)], check=True,
                   env=dict(os.environ, PYTHONPYCACHEPREFIX=str(prefix)), stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as cache:
        fresh_process("jitgrad", cache, prefix)


# ----- shared helpers --------------------------------------------------------

def load(backend):
    """The module for a backend name; ImportError if it is not installed."""
    if backend == "jitgrad":
        import jitgrad
        return jitgrad
    if backend == "torch":
        import torch
        return torch
    raise ValueError(backend)


def values(result):
    """Flatten what run() returned (tensors, None, nested sequences) to floats."""
    if result is None:
        return []
    if isinstance(result, (list, tuple)):
        return [v for r in result for v in values(r)]
    if isinstance(result, (int, float)):
        return [float(result)]
    data = result.detach().tolist()
    return values(data) if isinstance(data, list) else [float(data)]


def agree(a, b, rtol=1e-4, atol=1e-30):
    """Whether two values() lists match (float32 rounding differs per op)."""
    return len(a) == len(b) and all(
        (math.isnan(x) and math.isnan(y)) or abs(x - y) <= atol + rtol * abs(y) for x, y in zip(a, b))


def plan(run, round_time=0.002, budget=0.6, min_rounds=5, max_rounds=200, warmup=2):
    """Warm run() up (Numba compiles on its first call) and choose how to time
    it: (iterations per round, rounds) so a round lasts >= round_time (timer
    resolution) and all rounds fit in about `budget` seconds."""
    for _ in range(warmup):
        run()
    t = min(_once(run) for _ in range(3))
    iterations = max(1, math.ceil(round_time / max(t, 1e-9)))
    rounds = int(budget / (t * iterations))
    return iterations, max(min_rounds, min(max_rounds, rounds))


def fmt_time(seconds):
    """A duration with a readable unit: 12.3 ms, 45.6 us."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds * 1e9:.3g} ns"


def _once(run):
    t0 = time.perf_counter()
    run()
    return time.perf_counter() - t0
