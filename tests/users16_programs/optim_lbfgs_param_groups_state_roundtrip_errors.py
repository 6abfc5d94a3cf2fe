import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
x = torch.linspace(0, 1, 30)
y = 2.0 * torch.exp(-3.0 * x) + 0.5 + 0.01 * torch.randn(30)
theta = torch.tensor([1.0, -1.0, 0.0], requires_grad=True)
opt = torch.optim.LBFGS([theta], lr=1.0, max_iter=5, history_size=3, line_search_fn=None)
evals = 0
def closure():
    global evals
    evals += 1
    opt.zero_grad()
    a, k, c = theta
    loss = ((a * torch.exp(k * x) + c - y) ** 2).sum()
    loss.backward()
    return loss
for i in range(4):
    l = opt.step(closure)
    print(i, f"{l.item():.8f}", evals, opt.state[theta]["n_iter"])
print(theta.detach())
# %%
sd = opt.state_dict()
print(sorted(sd["state"][0]))
print(sd["param_groups"][0])
print(sd["state"][0]["d"].shape, len(sd["state"][0]["old_stps"]), sd["state"][0]["t"])
theta2 = theta.detach().clone().requires_grad_()
opt2 = torch.optim.LBFGS([theta2], lr=1.0, max_iter=5, history_size=3)
opt2.load_state_dict(sd)
print(opt2.state[theta2]["n_iter"], opt2.state[theta2]["func_evals"])
# %%
torch.optim.LBFGS([theta, torch.zeros(2, requires_grad=True)]).add_param_group({"params": [torch.ones(1)]})
# %%
opt.step()
# %%
w = torch.zeros(2, requires_grad=True)
opt3 = torch.optim.LBFGS([w], lr=1, max_iter=1)
def cl():
    opt3.zero_grad()
    loss = ((w - torch.tensor([1.0, 2.0])) ** 2).sum()
    loss.backward()
    return loss
print(opt3.step(cl), w)
print(opt3.step(cl), w)
opt3.zero_grad()
print(w.grad)
# %%
torch.optim.Adam([{"params": [w]}, {"params": [w]}])
# %%
torch.optim.SGD([{"params": w, "lr": -1.0}])
