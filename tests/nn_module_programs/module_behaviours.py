import torch
from torch import nn
p = nn.Parameter(torch.tensor([1.0, 2.0]))
print(p)
print(isinstance(p, nn.Parameter), isinstance(p, torch.Tensor))
print(repr(p))
# %%
import torch
from torch import nn
m = nn.Linear(2, 3)
m.register_buffer("rb", torch.zeros(2), persistent=False)
m.register_buffer("pb", torch.ones(1))
print(list(m.state_dict().keys()))
print([n for n, _ in m.named_buffers()])
# %%
import torch
from torch import nn
m = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
r = m.load_state_dict({"0.weight": torch.zeros(3, 2)}, strict=False)
print(r)
print(r.missing_keys, r.unexpected_keys)
# %%
import torch
from torch import nn
m = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
m.load_state_dict({"0.weight": torch.zeros(3, 2), "foo": torch.ones(1)})
# %%
import torch
from torch import nn
m = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
print(m[1:])
m.append(nn.Tanh())
m.insert(0, nn.Identity())
m.extend([nn.Sigmoid()])
print(m)
print(len(m))
# %%
import torch
from torch import nn
b = nn.Buffer(torch.ones(2))
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.b = nn.Buffer(torch.ones(2))
        self.c = nn.Buffer(torch.ones(1), persistent=False)
print(list(M().state_dict()))
print(list(M().named_buffers()))
# %%
import torch
from torch import nn
lin = nn.Linear(2, 2)
shared = nn.Sequential(lin, lin)
print(len(list(shared.named_parameters())), len(list(shared.named_parameters(remove_duplicate=False))))
print([n for n, _ in shared.named_modules()], [n for n, _ in shared.named_modules(remove_duplicate=False)])
# %%
import torch
from torch import nn
torch.manual_seed(0)
m = nn.Linear(2, 2)
def pre(mod, args):
    print("pre", len(args))
    return (args[0] * 2,)
def post(mod, args, kwargs, out):
    print("post", kwargs)
    return out + 1
h1 = m.register_forward_pre_hook(pre)
h2 = m.register_forward_hook(post, with_kwargs=True)
with torch.no_grad():
    m.weight.fill_(1.0); m.bias.zero_()
print(m(torch.ones(1, 2)))
h1.remove(); h2.remove()
print(m(torch.ones(1, 2)))
# %%
import torch
from torch import nn
m = nn.Linear(2, 2)
def bpre(mod, grad_out):
    print("bpre", grad_out[0].shape)
m.register_full_backward_pre_hook(bpre)
m(torch.ones(1, 2)).sum().backward()
# %%
import torch
from torch import nn
m = nn.Sequential(nn.Linear(2,2), nn.ReLU())
m.double()
print(m[0].weight.dtype)
m.float()
print(m[0].weight.dtype)
m.to(torch.float64)
print(m[0].bias.dtype)
m.requires_grad_(False)
print(m[0].weight.requires_grad)
m.eval(); print(m.training, m[0].training)
m.train(); print(m.training)
m.apply(lambda mod: print(type(mod).__name__))
# %%
import torch
from torch import nn
d = nn.ModuleDict({"a": nn.Linear(1, 1), "b": nn.ReLU()})
print(list(d.keys()), len(d), "a" in d)
d.update({"c": nn.Tanh()})
print(d.pop("b"))
print(d)
pd = nn.ParameterDict({"x": nn.Parameter(torch.ones(2))})
print(pd)
pl = nn.ParameterList([nn.Parameter(torch.ones(2)), nn.Parameter(torch.zeros(3))])
print(pl)
pl.append(nn.Parameter(torch.ones(1)))
print(len(pl))
# %%
import torch
from torch import nn
f = nn.Flatten(0, -1)
print(f(torch.ones(2, 3)).shape, f)
u = nn.Unflatten(1, (2, 3))
print(u(torch.ones(4, 6)).shape, u)
i = nn.Identity(54, unused="x")
print(i)
# %%
import torch
from torch import nn
m = nn.Linear(2, 2)
def pre_kw(mod, args, kwargs):
    print("pre kwargs", sorted(kwargs))
    return (args[0] + 1,), {}
m.register_forward_pre_hook(pre_kw, with_kwargs=True)
def bad(mod, args, kwargs):
    return args[0]
with torch.no_grad():
    m.weight.fill_(0.5); m.bias.zero_()
print(m(torch.ones(1, 2)))
m.register_forward_pre_hook(bad, with_kwargs=True, prepend=True)
m(torch.ones(1, 2))
# %%
import torch
from torch import nn
class Boom(nn.Module):
    def forward(self, x):
        raise ValueError("boom")
b = Boom()
b.register_forward_hook(lambda mod, args, out: print("always", out), always_call=True)
b.register_forward_hook(lambda mod, args, out: print("never"))
b(torch.ones(1))
# %%
import torch
from torch import nn
m = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
calls = []
m.register_state_dict_pre_hook(lambda mod, prefix, keep_vars: calls.append(("pre", prefix, keep_vars)))
m[0].register_state_dict_pre_hook(lambda mod, prefix, keep_vars: calls.append(("pre0", prefix)))
def post(mod, sd, prefix, meta):
    sd[prefix + "extra"] = torch.zeros(1)
m[1].register_state_dict_post_hook(post)
print(sorted(m.state_dict()), calls)
def load_pre(mod, sd, prefix, meta, strict, missing, unexpected, errors):
    print("load pre", repr(prefix), strict, sorted(sd))
    sd.pop(prefix + "extra", None)
m[1].register_load_state_dict_pre_hook(load_pre)
def load_post(mod, keys):
    print("load post", keys)
    keys.missing_keys.clear()
m.register_load_state_dict_post_hook(load_post)
sd = m.state_dict()
del sd["0.bias"]
print(m.load_state_dict(sd))
# %%
import torch
from torch import nn
class WithExtra(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(1, 1)
        self.counter = 3
    def get_extra_state(self):
        return {"counter": self.counter}
    def set_extra_state(self, state):
        self.counter = state["counter"]
a, b = WithExtra(), WithExtra()
a.counter = 7
sd = a.state_dict()
print(sorted(sd), sd["_extra_state"])
print(b.load_state_dict(sd), b.counter)
del sd["_extra_state"]
print(b.load_state_dict(sd, strict=False))
b.load_state_dict(sd)
# %%
import torch
from torch import nn
m = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
print(m.get_buffer("1.running_mean"))
m.set_submodule("0", nn.Tanh())
print(m)
m.get_buffer("1.weight")
# %%
import torch
from torch import nn
m = nn.Sequential(nn.Linear(2, 2))
m.set_submodule("0.weight", nn.Tanh())
# %%
import torch
from torch import nn
m = nn.Linear(2, 2)
m.half()
print(m.weight.dtype)
b = nn.Buffer(torch.ones(2, requires_grad=True))
print(isinstance(b, nn.Buffer), isinstance(torch.ones(1), nn.Buffer), b.requires_grad, b.persistent)
m.register_buffer("stats", None)
print(list(m.state_dict()))
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("a", torch.zeros(1), persistent=False)
        self.lin = nn.Linear(1, 1)
m = M()
print(m.lin, dict(m.named_buffers()), list(m.state_dict()))
m.lin = nn.Buffer(torch.ones(2))
print(list(m.state_dict()), m._modules)
