import torch
def damped(t, k, c):
    w = torch.sqrt(k - c ** 2 / 4)
    return torch.exp(-c * t / 2) * torch.cos(w * t)
t = torch.linspace(0, 5, 11, dtype=torch.float64)
table = []
for k in [1.0, 2.0, 4.0]:
    for c in [0.1, 0.5]:
        kk = torch.tensor(k, dtype=torch.float64, requires_grad=True)
        cc = torch.tensor(c, dtype=torch.float64, requires_grad=True)
        y = damped(t, kk, cc)
        energy = (y ** 2).sum() * (t[1] - t[0])
        dk, dc = torch.autograd.grad(energy, (kk, cc))
        table.append([k, c, round(energy.item(), 6), round(dk.item(), 6), round(dc.item(), 6)])
for row in table:
    print(row)
# %%
# the same sweep vectorised with broadcasting
K = torch.tensor([1.0, 2.0, 4.0], dtype=torch.float64)[:, None, None].requires_grad_()
C = torch.tensor([0.1, 0.5], dtype=torch.float64)[None, :, None].requires_grad_()
Y = damped(t, K, C)
E = (Y ** 2).sum(-1) * (t[1] - t[0])
E.sum().backward()
print(E)
print(K.grad.flatten(), C.grad.flatten())
print(K.is_leaf, K.grad.shape, Y.shape)
# %%
# a sweep over learning rates, each run from the same start
results = {}
for lr in (0.01, 0.1, 0.5):
    w = torch.tensor([2.0, -1.0], requires_grad=True)
    opt = torch.optim.SGD([w], lr=lr)
    for _ in range(20):
        opt.zero_grad()
        loss = (w[0] - 1) ** 2 + 3 * (w[1] + 0.5) ** 2
        loss.backward()
        opt.step()
    results[lr] = round(loss.item(), 6)
print(results)
best = min(results, key=results.get)
print(best, results[best])
