import torch
import torch.nn as nn
from torch.nn.modules.module import register_module_forward_pre_hook, register_module_full_backward_hook
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
seen = []
h1 = register_module_forward_pre_hook(lambda m, args: seen.append(("pre", type(m).__name__)))
h2 = register_module_full_backward_hook(lambda m, gi, go: seen.append(("bwd", type(m).__name__, len(gi), len(go))))
net(torch.randn(4, 2, requires_grad=True)).sum().backward()
h1.remove(); h2.remove()
for s in seen:
    print(s)
# %%
def sd_pre(module, prefix, keep_vars):
    print("pre", type(module).__name__, repr(prefix), keep_vars)


def sd_post(module, state_dict, prefix, local_metadata):
    print("post", type(module).__name__, repr(prefix), sorted(state_dict))


net[0].register_state_dict_pre_hook(sd_pre)
net[0].register_state_dict_post_hook(sd_post)
sd = net.state_dict()
print(list(sd))
print(sd._metadata if hasattr(sd, "_metadata") else None)
# %%
def load_pre(module, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs):
    print("load pre", type(module).__name__, repr(prefix), strict, sorted(k for k in state_dict if k.startswith(prefix)))


net[2].register_load_state_dict_pre_hook(load_pre)
print(net.load_state_dict(sd))
print(net.load_state_dict({k: v for k, v in sd.items() if k != "2.bias"}, strict=False))
# %%
def fwd_pre_kw(module, args, kwargs):
    print("kw pre", args[0].shape, kwargs)
    return (args[0] + 1,), {}


class Scaled(nn.Module):
    def forward(self, x, scale=1.0):
        return x * scale


s = Scaled()
s.register_forward_pre_hook(fwd_pre_kw, with_kwargs=True)
print(s(torch.ones(2), scale=3.0))
s2 = Scaled()
s2.register_forward_hook(lambda m, args, kwargs, out: out * kwargs.get("scale", 0), with_kwargs=True)
print(s2(torch.ones(2), scale=3.0))
s3 = Scaled()
h = s3.register_forward_hook(lambda m, a, o: print("always", o), always_call=True)
s3(torch.ones(1))
s3.register_forward_pre_hook(lambda m, a: print("prepend"), prepend=True)
s3.register_forward_pre_hook(lambda m, a: print("append"))
s3(torch.ones(1))
# %%
class Boom(nn.Module):
    def forward(self, x):
        raise ValueError("boom")


b = Boom()
b.register_forward_hook(lambda m, a, o: print("always_call ran", o), always_call=True)
b(torch.ones(1))
# %%
bn = nn.Sequential(nn.BatchNorm1d(2), nn.Linear(2, 2))
print(bn.state_dict()._metadata)
bn[0].register_load_state_dict_pre_hook(lambda *a: print("bn meta", a[3]))
bn.load_state_dict(bn.state_dict())
bn.load_state_dict(dict(bn.state_dict()))
