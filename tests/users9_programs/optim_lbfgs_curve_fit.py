import torch

torch.manual_seed(0)
t = torch.linspace(0, 4, 30, dtype=torch.float64)
y = 2.5 * torch.exp(-1.3 * t) + 0.5 + 0.01 * torch.randn(30, dtype=torch.float64)
params = torch.tensor([1.0, 1.0, 0.0], dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([params], lr=1, max_iter=50, history_size=10, line_search_fn="strong_wolfe")
calls = []
def closure():
    opt.zero_grad()
    a, k, c = params
    loss = ((a * torch.exp(-k * t) + c - y) ** 2).mean()
    loss.backward()
    calls.append(loss.item())
    return loss
for i in range(3):
    loss = opt.step(closure)
    print(i, f"{loss.item():.6e}")
print(len(calls))
print(params.detach())
state = opt.state[params]
print(sorted(state.keys()))
print(state["n_iter"], state["func_evals"])
