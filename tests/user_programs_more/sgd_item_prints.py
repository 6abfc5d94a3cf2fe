import torch
# hand-written gradient descent with add_(alpha=): torch rounds w - lr * g once
w = torch.tensor([0.3, -0.7, 1.1, 2.5, -1.9], dtype=torch.float64, requires_grad=True)
c = torch.tensor([1.0, 3.0, 0.5, 2.0, 0.25], dtype=torch.float64)
for step in range(8):
    loss = (c * w ** 2 + torch.sin(w)).sum()
    loss.backward()
    with torch.no_grad():
        w.add_(w.grad, alpha=-0.07)
    w.grad.zero_()
    print(step, w.tolist())
print(torch.add(w, c, alpha=0.1).tolist(), torch.sub(w, 2 * c, alpha=0.3).tolist())
w.sub_(c, alpha=0.01)
# %%
with torch.no_grad():
    w.sub_(c, alpha=0.013)
    w32 = w.float()
    w32.add_(c.float(), alpha=-0.37)
print(w.tolist(), w32.tolist())
# %%
# torch.optim.SGD (momentum, nesterov, weight decay) on the same loss
for kw in (dict(lr=0.05), dict(lr=0.05, momentum=0.9), dict(lr=0.05, momentum=0.9, nesterov=True),
           dict(lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.01)):
    for dtype in (torch.float64, torch.float32):
        v = torch.tensor([0.3, -0.7, 1.1, 2.5, -1.9], dtype=dtype, requires_grad=True)
        opt = torch.optim.SGD([v], **kw)
        for _ in range(10):
            opt.zero_grad()
            (c.to(dtype) * v ** 2 + 0.5 * v).sum().backward()
            opt.step()
        print(kw, v.tolist())
