import torch

x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = torch.sin(x) * x
eye = torch.eye(3)
(jac,) = torch.autograd.grad(y, x, grad_outputs=eye, is_grads_batched=True)
print(jac)
print(torch.allclose(jac, torch.diag(torch.cos(x) * x + torch.sin(x)).detach()))
# %%
W = torch.tensor([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]], requires_grad=True)
out = W @ x
rows = torch.autograd.grad(out, (W, x), grad_outputs=torch.eye(2), is_grads_batched=True)
print([r.shape for r in rows])
print(rows[1])
# %%
try:
    torch.autograd.grad(out, x, grad_outputs=torch.ones(2), is_grads_batched=True)
except RuntimeError as e:
    print(type(e).__name__)
y2 = (x ** 3).sum()
(g,) = torch.autograd.grad(y2, x, create_graph=True)
(h,) = torch.autograd.grad(g, x, grad_outputs=torch.eye(3), is_grads_batched=True)
print(h)
