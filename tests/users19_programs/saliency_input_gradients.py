import torch
import torch.nn as nn

# "how do I get the gradient of the output with respect to the input?"
torch.manual_seed(3)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
model.eval()
x = torch.randn(2, 4)
x.requires_grad_()
scores = model(x)
top = scores.argmax(dim=1)
print(top)
scores.gather(1, top.unsqueeze(1)).sum().backward()
saliency = x.grad.abs()
print(saliency.shape, saliency.argmax(dim=1))
print(f"{saliency.max().item():.4f}")
# %%
# the parameters got gradients too; freeze them if only the input matters
print(model[0].weight.grad is None)
for p in model.parameters():
    p.requires_grad_(False)
model.zero_grad()
x2 = x.detach().clone().requires_grad_(True)
out = model(x2)[:, 1].sum()
(g,) = torch.autograd.grad(out, x2)
print(out.requires_grad, model[0].weight.grad)
print(torch.allclose(g[0], g[0]), g.shape)
# %%
# forgetting requires_grad on the input
x3 = torch.randn(1, 4)
try:
    torch.autograd.grad(model(x3).sum(), x3)
except RuntimeError as e:
    print(e)
# %%
# gradient x input attribution in float64 for an affine model is exact
lin = nn.Linear(3, 1).double()
xi = torch.tensor([[1.0, -2.0, 0.5]], dtype=torch.float64, requires_grad=True)
lin(xi).sum().backward()
print(torch.equal(xi.grad, lin.weight.detach()))
print((xi.grad * xi).sum() + lin.bias - lin(xi).detach())
