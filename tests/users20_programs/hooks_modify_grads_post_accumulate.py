import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x * 2
h.register_hook(lambda g: g * 10)
h.register_hook(lambda g: print("second hook sees", g))
(h ** 2).sum().backward()
print(x.grad)
# %%
calls = []
def post(p):
    calls.append(p.grad.clone())
    with torch.no_grad():
        p.grad.mul_(0.5)
handle = x.register_post_accumulate_grad_hook(post)
x.grad = None
(x * x).sum().backward()
print(calls, x.grad)
handle.remove()
(x * x).sum().backward()
print(x.grad)
# %%
try:
    h.register_post_accumulate_grad_hook(post)
except RuntimeError as e:
    print(e)
# %%
y = torch.tensor([1.0, -1.0], requires_grad=True)
hk = y.register_hook(lambda g: g.clamp(min=0))
(y * torch.tensor([-3.0, 4.0])).sum().backward()
print(y.grad)
hk.remove()
y.grad.zero_()
(y * torch.tensor([-3.0, 4.0])).sum().backward()
print(y.grad)
