import torch

# "my gradients are tiny": mean divides by the number of elements
x = torch.ones(4, requires_grad=True)
x.sum().backward()
print(x.grad)
x.grad = None
x.mean().backward()
print(x.grad)
# %%
# loss reductions
pred = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
target = torch.tensor([0.0, 2.0, 5.0, 4.0])
for red in ("mean", "sum"):
    pred.grad = None
    loss = torch.nn.functional.mse_loss(pred, target, reduction=red)
    loss.backward()
    print(red, loss.item(), pred.grad)
pred.grad = None
per = torch.nn.functional.mse_loss(pred, target, reduction="none")
print(per)
per.backward(torch.ones_like(per))
print(pred.grad)
# %%
# the effective learning rate changes with the batch size under "sum"
torch.manual_seed(0)
for n in (2, 8):
    X = torch.randn(n, 3)
    w = torch.zeros(3, requires_grad=True)
    ((X @ w - 1.0) ** 2).sum().backward()
    g_sum = w.grad.norm().item()
    w.grad = None
    ((X @ w - 1.0) ** 2).mean().backward()
    print(n, round(g_sum / w.grad.norm().item(), 4))
# %%
# mean over a dim vs over everything, float64
m = torch.arange(6.0, dtype=torch.float64).view(2, 3).requires_grad_()
m.mean(dim=0).sum().backward()
print(m.grad)
m.grad = None
m.mean().backward()
print(m.grad)
m.grad = None
m.sum(dim=1, keepdim=True).mean().backward()
print(m.grad)
