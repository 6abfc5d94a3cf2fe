import torch

torch.manual_seed(0)
A = torch.randn(5, 5, dtype=torch.float64)
Q = A @ A.T + torch.eye(5, dtype=torch.float64)
b = torch.randn(5, dtype=torch.float64)
x = torch.zeros(5, dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([x], lr=1, max_iter=100, tolerance_grad=1e-12, tolerance_change=1e-14)
calls = []
def closure():
    opt.zero_grad()
    loss = 0.5 * x @ Q @ x - b @ x
    loss.backward()
    calls.append(loss.item())
    return loss
opt.step(closure)
print(len(calls) > 3)
numeric(x)
print(torch.allclose(x.detach(), torch.linalg.solve(Q, b), atol=1e-6))
# %%
def himmelblau(p):
    return (p[0] ** 2 + p[1] - 11) ** 2 + (p[0] + p[1] ** 2 - 7) ** 2
for start in ([0.0, 0.0], [-1.0, 1.0], [-3.0, -3.0]):
    p = torch.tensor(start, requires_grad=True)
    opt = torch.optim.LBFGS([p], line_search_fn="strong_wolfe")
    def closure():
        opt.zero_grad()
        l = himmelblau(p)
        l.backward()
        return l
    for _ in range(5):
        opt.step(closure)
    print(start, [round(v, 4) for v in p.tolist()])
# %%
p = torch.tensor([1.5, 1.5], requires_grad=True)
opt = torch.optim.Rprop([p], lr=0.1)
for i in range(50):
    opt.zero_grad()
    l = himmelblau(p)
    l.backward()
    opt.step()
numeric(p)
print(opt)
