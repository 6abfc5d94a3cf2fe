import torch
from torch import nn
# module hooks: forward pre hook modifying input, forward hook with kwargs, global hooks
torch.manual_seed(0)
lin = nn.Linear(2, 2)
h = lin.register_forward_pre_hook(lambda m, args: (args[0] * 0,))
print(lin(torch.ones(1, 2)) - lin.bias)
h.remove()
def pre_kw(m, args, kwargs):
    return args, kwargs
lin.register_forward_pre_hook(pre_kw, with_kwargs=True)
print(lin(input=torch.ones(1, 2)).shape)
# %%
from torch.nn.modules.module import register_module_forward_hook
calls = []
hh = register_module_forward_hook(lambda m, i, o: calls.append(type(m).__name__))
nn.Sequential(nn.Linear(2, 2), nn.ReLU())(torch.ones(1, 2))
hh.remove()
print(calls)
# %%
m = nn.Linear(2, 2)
m.register_forward_hook(lambda mod, i, o: None, prepend=True)
print(len(m._forward_hooks))
m.register_full_backward_hook(lambda mod, gi, go: print("gi", [None if g is None else tuple(g.shape) for g in gi]))
m(torch.ones(3, 2, requires_grad=True)).sum().backward()
m(torch.ones(3, 2)).sum().backward()
