import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)
print(x, x * 2, (x * 2).sum(), x[0], x.mean())
print(x.double() * 3, x.to(torch.float16) + 1)
print(torch.tensor(3.0, requires_grad=True) ** 2)
# %%
y = x.detach()
print(y, x.clone(), x.view(2, 1), x.unsqueeze(0).expand(2, 2))
print(torch.nn.Parameter(torch.tensor([0.5, 1.5])))
print(torch.nn.Parameter(torch.tensor([1.0]), requires_grad=False))
# %%
print(repr(x.grad_fn), x.grad_fn is None, type((x * 2).grad_fn).__name__)
print(x.max(), x.argmax(), x.max(dim=0))
x.sort()
