import torch

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
log = []
def pre_hook(mod, args):
    log.append(("pre", type(mod).__name__, args[0].shape))
    return (args[0] * 2,)
def fwd_hook(mod, args, out):
    log.append(("fwd", type(mod).__name__, tuple(out.shape)))
h1 = model[0].register_forward_pre_hook(pre_hook)
h2 = model[2].register_forward_hook(fwd_hook)
x = torch.randn(5, 3)
y = model(x)
print(log)
h1.remove()
y2 = model(x)
print(torch.allclose(y, y2), len(log))
h2.remove()
# %%
def kw_pre(mod, args, kwargs):
    kwargs = dict(kwargs)
    kwargs["scale"] = 10.0
    return args, kwargs
class Scaled(torch.nn.Module):
    def forward(self, x, scale=1.0):
        return x * scale
m = Scaled()
m.register_forward_pre_hook(kw_pre, with_kwargs=True)
def kw_fwd(mod, args, kwargs, out):
    print("kwargs seen:", kwargs)
    return out + 1
m.register_forward_hook(kw_fwd, with_kwargs=True)
print(m(torch.ones(2), scale=3.0))
# %%
grads = {}
def save(name):
    def hook(g):
        grads[name] = g.clone()
        return g * 0.5
    return hook
a = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
b = a.exp()
b.register_hook(save("b"))
c = (b * a).sum()
hd = a.register_hook(save("a"))
c.backward()
print(grads["b"], grads["a"], a.grad)
hd.remove()
a.grad = None
(b.detach() * a).sum().backward()
print(a.grad)
# %%
acc = []
p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
p.register_post_accumulate_grad_hook(lambda t: acc.append(t.grad.clone()))
for _ in range(2):
    (p ** 2).sum().backward()
print(acc)
# %%
fg = []
lin = torch.nn.Linear(2, 2)
lin.register_full_backward_pre_hook(lambda mod, go: fg.append(("pre", go[0].shape)))
lin.register_full_backward_hook(lambda mod, gi, go: fg.append(("full", gi[0] is None, go[0].shape)))
lin(torch.ones(3, 2)).sum().backward()
print(fg)
inp = torch.ones(3, 2, requires_grad=True)
lin(inp).sum().backward()
print(fg[-1], inp.grad)
# %%
t = torch.ones(2)
t.register_hook(lambda g: g)
# %%
# a profiler-style hook that must always close its timer, even when forward fails
events = []
prof = torch.nn.Linear(2, 2)
prof.register_forward_pre_hook(lambda mod, args: events.append("start"))
prof.register_forward_hook(lambda mod, args, out: events.append(("end", out is None)), always_call=True)
prof(torch.ones(1, 2))
try:
    prof(torch.ones(1, 3))
except RuntimeError as e:
    print("RuntimeError:", str(e)[:40])
print(events)
# %%
def check_finite(mod, args):
    if not torch.isfinite(args[0]).all():
        raise ValueError("non-finite input")
def broken_logger(mod, args, out):
    raise KeyError("logger down")
prof.register_forward_pre_hook(check_finite)
prof.register_forward_hook(broken_logger, always_call=True)
prof(torch.tensor([[float("nan"), 1.0]]))
