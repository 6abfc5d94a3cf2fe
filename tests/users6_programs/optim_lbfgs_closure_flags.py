import torch
torch.manual_seed(0)
A = torch.tensor([[3.0, 1.0], [1.0, 2.0]], dtype=torch.float64)
bvec = torch.tensor([1.0, -1.0], dtype=torch.float64)
x = torch.zeros(2, dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([x], lr=1, max_iter=20, history_size=5, line_search_fn="strong_wolfe")
calls = [0]
def closure():
    calls[0] += 1
    opt.zero_grad()
    loss = 0.5 * x @ A @ x - bvec @ x
    loss.backward()
    return loss
for _ in range(2):
    l = opt.step(closure)
    print(round(l.item(), 10), x.detach())
print(calls[0], torch.linalg.solve(A, bvec))
# %%
y = torch.ones(2, dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([y], lr=0.5, max_iter=3)
def closure2():
    opt.zero_grad()
    loss = (y ** 4).sum()
    loss.backward()
    return loss
print(opt.step(closure2).item(), y.detach())
print(opt.state[opt._params[0]]["func_evals"], opt.state[opt._params[0]]["n_iter"])
try:
    opt.step()
except Exception as e:
    print(type(e).__name__, e)
