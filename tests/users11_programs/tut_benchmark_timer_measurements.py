import torch
import torch.utils.benchmark as benchmark
from torch.utils.benchmark import Timer
from torch.func import vmap, vjp
from functools import partial
torch.manual_seed(0)


def predict(weight, bias, x):
    return torch.nn.functional.linear(x, weight, bias).tanh()


D = 4
weight, bias, x = torch.randn(D, D), torch.randn(D), torch.randn(D)
unit_vectors = torch.eye(D)
xp = x.clone().requires_grad_()


def compute_jac(xp):
    return torch.stack([torch.autograd.grad(predict(weight, bias, xp), xp, vec)[0] for vec in unit_vectors])


_, vjp_fn = vjp(partial(predict, weight, bias), x)
print(vmap(vjp_fn)(unit_vectors)[0].shape)
without_vmap = Timer(stmt="compute_jac(xp)", globals=globals())
with_vmap = Timer(stmt="vmap(vjp_fn)(unit_vectors)", globals=globals())
no_vmap_timer = without_vmap.timeit(5)
with_vmap_timer = with_vmap.timeit(5)
print(type(no_vmap_timer).__name__, len(no_vmap_timer.times), no_vmap_timer.number_per_run)
print(repr(no_vmap_timer).splitlines()[1], repr(with_vmap_timer).splitlines()[-1])


def get_perf(first, first_descriptor, second, second_descriptor):
    faster = second.times[0]
    slower = first.times[0]
    gain = (slower - faster) / slower
    if gain < 0:
        gain *= -1
    final_gain = gain * 100
    return final_gain >= 0


print(get_perf(with_vmap_timer, "vmap", no_vmap_timer, "no vmap"))
# %%
m = benchmark.Measurement(number_per_run=100, raw_times=[1e-3, 2e-3, 1.5e-3, 1.2e-3, 3e-3],
                          task_spec=benchmark.TaskSpec("x.sin()", "x = torch.ones(3)", label="sin", sub_label="float",
                                                       description="n=3", num_threads=2))
print(m)
print(m.median, m.mean, m.iqr, m.significant_figures, m.has_warnings, m.title, m.stmt, m.meets_confidence(0.9))
print(m.env, m.as_row_name)
# %%
single = benchmark.Measurement(10, [4.2e-6], benchmark.TaskSpec("a = 1\nb = 2", "pass"))
print(single)
tight = benchmark.Measurement(1, [1.0, 1.01, 1.02, 1.0, 1.01], benchmark.TaskSpec("f()", "pass"))
print(tight)
merged = benchmark.Measurement.merge([single, benchmark.Measurement(5, [1e-5], benchmark.TaskSpec("a = 1\nb = 2", "pass"))])
print(len(merged), merged[0].times, merged[0].number_per_run)
# %%
print(benchmark.select_unit(3e-5), benchmark.select_unit(2.5), benchmark.select_unit(4e-9), benchmark.trim_sigfig(3.14159, 2))
print(benchmark.unit_to_english("us"), benchmark.ordered_unique([3, 1, 3, 2]))
# %%
t = benchmark.Timer(stmt="y = x @ x", setup="x = torch.ones(3, 3)", label="matmul", description="3x3")
blocked = t.blocked_autorange(min_run_time=0.01)
print(len(blocked.times) >= 1, blocked.number_per_run >= 1, repr(blocked).splitlines()[1:4])
print(t.timeit(3).title)
# %%
benchmark.Timer(stmt=lambda: None)
# %%
benchmark.Timer("x", global_setup="#include <x>")
# %%
benchmark.Timer("x").repeat()
