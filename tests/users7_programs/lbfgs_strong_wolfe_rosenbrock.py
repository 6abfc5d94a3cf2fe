import torch

def rosen(x):
    return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()

x = torch.tensor([-1.5, 2.0, -0.5, 1.0], dtype=torch.float64, requires_grad=True)
opt = torch.optim.LBFGS([x], lr=1, max_iter=50, history_size=10, line_search_fn="strong_wolfe")
calls = []
def closure():
    opt.zero_grad()
    loss = rosen(x)
    loss.backward()
    calls.append(loss.item())
    return loss

for epoch in range(5):
    loss = opt.step(closure)
    print(epoch, f"{loss.item():.6e}", len(calls))
print(x.detach().numpy().round(6))
print(opt.state[x]["n_iter"], opt.state[x]["func_evals"])
# %%
print(opt)
print(sorted(opt.state[x].keys()))
print(opt.param_groups[0]["line_search_fn"], opt.param_groups[0]["tolerance_grad"])
# %%
# without line search, float32, model fit
torch.manual_seed(0)
X = torch.randn(50, 3)
w_true = torch.tensor([[1.0], [-2.0], [0.5]])
Y = X @ w_true + 0.1
model = torch.nn.Linear(3, 1)
opt = torch.optim.LBFGS(model.parameters(), lr=0.5, max_iter=20)
def closure():
    opt.zero_grad()
    l = torch.nn.functional.mse_loss(model(X), Y)
    l.backward()
    return l
for i in range(3):
    l = opt.step(closure)
    print(i, round(l.item(), 5))
print(model.weight.data.round(decimals=3), model.bias.data.round(decimals=3))
