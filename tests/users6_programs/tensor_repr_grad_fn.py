import torch
a = torch.tensor([1.5, -2.25], requires_grad=True)
print(a)
print(a * 2)
print((a * 2).detach())
print(a.sum())
print(repr(a.mean()), a.mean().item())
print(torch.zeros(2, 2, requires_grad=True).t())
print(a.double().grad_fn, a.to(torch.float64).grad_fn.name())
print(a[0], a[0].grad_fn.name())
print(a.unsqueeze(0).expand(3, 2).grad_fn.name(), a.view(2, 1).grad_fn.name())
# %%
b = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64, requires_grad=True)
for expr in ["b.sum(0)", "b.sum(dim=1, keepdim=True)", "b.mean()", "b.max()", "b.max(dim=0).values", "b.norm()",
             "b.T @ b", "b.trace()", "b.diag()", "b.cumsum(0)", "b.softmax(-1)", "torch.linalg.inv(b)", "b.det()",
             "b.flatten()", "b.clamp(0, 3)", "b.where(b > 2, 0.0)", "torch.cat([b, b])", "b.repeat(2, 1)",
             "b[:, 0]", "b[b > 1]", "b.abs()", "b.squeeze()", "b.permute(1, 0)", "b.chunk(2)[0]"]:
    v = eval(expr)
    print(expr, v.grad_fn.name())
