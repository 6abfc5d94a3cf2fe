import torch
import torch.nn as nn

torch.manual_seed(0)
x = torch.randn(4, 3)
lin = nn.Linear(3, 2)
print(torch.is_autocast_enabled('cpu'))
# (enabled CPU autocast: jitgrad has no bfloat16 and refuses it, see the report)
with torch.autocast('cpu', enabled=False):
    print(lin(x).dtype)
# %%
# .to / .type / .double / .half round trips
t = torch.tensor([1.1, 2.5, -3.7, 1e-8, 70000.0])
print(t.to(torch.float16), t.to(torch.float16).to(torch.float32), t.half().float() == t)
print(t.to(torch.int64), t.to(dtype=torch.float64).dtype, t.type(torch.int32), t.type(), t.double().type())
print(t.to(torch.tensor([1], dtype=torch.int16)).dtype, t.to('cpu').dtype, t.to('cpu', torch.float64).dtype)
print(t.new_tensor([1, 2]).dtype, t.new_zeros(2, dtype=torch.int8), t.new_ones((1, 2)), t.new_full((2,), 3), t.new_empty(0).shape)
print(t.is_floating_point(), t.long().is_floating_point(), torch.is_floating_point(t.half()), t.half().is_signed())
print(t.element_size(), t.half().element_size(), t.double().element_size(), t.long().nbytes, t.bool().itemsize)
w = torch.ones(2, requires_grad=True)
w16 = w.half()
print(w16.requires_grad, w16.grad_fn, w16.is_leaf)
(w16.float() * 3).sum().backward()
print(w.grad, w.grad.dtype)
d = w.double()
(d ** 2).sum().backward()
print(w.grad, w.grad.dtype)
# %%
# float64 models: set_default_dtype and a module .double()
torch.set_default_dtype(torch.float64)
m = nn.Linear(2, 1)
print(m.weight.dtype, torch.randn(1).dtype, torch.tensor([1.0]).dtype, torch.tensor(1).dtype, torch.arange(3.0).dtype)
torch.set_default_dtype(torch.float32)
m32 = nn.Linear(2, 1).double()
print(m32.weight.dtype, m32(torch.ones(1, 2, dtype=torch.float64)).dtype)
m32.float()
print(m32.weight.dtype, next(m32.parameters()).dtype)
m32.half()
print(m32.bias.dtype)
m32.to(torch.float32)
print(m32.weight.dtype)
# %%
nn.Linear(2, 1)(torch.ones(1, 2, dtype=torch.float64))
# %%
torch.set_default_dtype(torch.int64)
# %%
torch.ones(2, dtype=torch.float16, requires_grad=True).to(torch.int32).requires_grad_()
