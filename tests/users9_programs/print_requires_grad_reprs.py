import torch
w = torch.tensor([[0.5, -1.5], [2.0, 0.25]], requires_grad=True)
b = torch.zeros(2, requires_grad=True)
x = torch.tensor([1.0, 2.0])
h = w @ x + b
print(h)
print(repr(h.relu()))
print(h.sum())
print(h.mean(), h.max(), h.norm())
print(torch.sigmoid(h))
print(w.T, w[0], w[:, 1])
print(h.unsqueeze(1).expand(2, 3))
print(h.to(torch.float64))
print(h.detach().requires_grad_())
print(torch.stack([h, h], 1))
print(f"{h.sum().item():.4f}")
print(str(h.grad_fn).split(" ")[0])
print([type(t).__name__ for t in (w, h)])
print(h.int(), h.bool())
big = torch.full((2, 3), 123456.789, requires_grad=True) * 1
print(big)
small = torch.full((2,), 1e-5, dtype=torch.float64, requires_grad=True) * 3
print(small)
