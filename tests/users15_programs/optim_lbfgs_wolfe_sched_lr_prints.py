import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
x = torch.linspace(-2, 2, 40)
y = 1.5 * torch.tanh(2.0 * x - 0.5) + 0.05 * torch.randn(40)
params = torch.tensor([1.0, 1.0, 0.0], requires_grad=True)
opt = torch.optim.LBFGS([params], lr=1, max_iter=20, history_size=10, line_search_fn="strong_wolfe")
calls = []
def closure():
    opt.zero_grad()
    a, b, c = params
    loss = ((a * torch.tanh(b * x + c) - y) ** 2).mean()
    loss.backward()
    calls.append(loss.item())
    return loss
for epoch in range(3):
    l = opt.step(closure)
    print(epoch, f"{l.item():.8f}", len(calls), params.detach())
st = opt.state[opt.param_groups[0]["params"][0]]
print(sorted(st.keys()))
print(st["func_evals"], st["n_iter"], len(st["old_dirs"]))
# %%
# LBFGS with tolerance_change stopping and no line search
p2 = torch.tensor([3.0, -1.0], requires_grad=True)
opt2 = torch.optim.LBFGS([p2], lr=0.5, max_iter=50, tolerance_change=1e-12, tolerance_grad=1e-10)
def rosen():
    opt2.zero_grad()
    f = (1 - p2[0]) ** 2 + 10 * (p2[1] - p2[0] ** 2) ** 2
    f.backward()
    return f
for k in range(4):
    f = opt2.step(rosen)
    print(k, f"{f.item():.6e}", p2.detach(), opt2.state[p2]["n_iter"])
print(opt2)
# %%
# Adam + schedulers, printing lr the usual ways
w = torch.zeros(3, requires_grad=True)
opt = torch.optim.Adam([w], lr=0.1)
sched = torch.optim.lr_scheduler.SequentialLR(
    opt,
    schedulers=[torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=3),
                torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=5, eta_min=0.001)],
    milestones=[3])
target = torch.tensor([1.0, -2.0, 0.5])
for ep in range(9):
    loss = ((w - target) ** 2).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    print(ep, f"{loss.item():.5f}", sched.get_last_lr(), f"{opt.param_groups[0]['lr']:.6f}")
print(sched.state_dict()["_milestones"], sched.last_epoch)
# %%
opt = torch.optim.SGD([w], lr=1.0)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1, threshold=0.01)
for v in [1.0, 0.9, 0.95, 0.93, 0.92, 0.94, 0.5]:
    plateau.step(v)
    print(v, opt.param_groups[0]["lr"], plateau.num_bad_epochs, plateau.get_last_lr())
