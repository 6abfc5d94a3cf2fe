import torch
from torch import nn, optim
torch.manual_seed(0)
model = nn.Linear(3, 1).double()
opt = optim.SGD([{"params": [model.weight], "lr": 0.1}, {"params": [model.bias], "lr": 0.01, "momentum": 0.9}], lr=0.05)
s1 = optim.lr_scheduler.LinearLR(opt, start_factor=0.5, total_iters=3)
s2 = optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
x = torch.randn(8, 3, dtype=torch.float64)
y = torch.randn(8, 1, dtype=torch.float64)
for step in range(5):
    opt.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    opt.step()
    s1.step(); s2.step()
    print(step, round(loss.item(), 6), [round(g["lr"], 6) for g in opt.param_groups])
# %%
sd = opt.state_dict()
print(sd["param_groups"][1])
print({k: list(v) for k, v in sd["state"].items()})
opt2 = optim.SGD([{"params": [model.weight], "lr": 0.1}, {"params": [model.bias], "lr": 0.01, "momentum": 0.9}], lr=0.05)
opt2.load_state_dict(sd)
print(opt2.state_dict()["param_groups"] == sd["param_groups"])
# %%
opt3 = optim.Adam(model.parameters(), lr=0.01, betas=(0.8, 0.99), weight_decay=0.01, amsgrad=True)
sched = optim.lr_scheduler.SequentialLR(opt3, [optim.lr_scheduler.ConstantLR(opt3, factor=0.1, total_iters=2),
                                               optim.lr_scheduler.CosineAnnealingLR(opt3, T_max=4)], milestones=[2])
for step in range(5):
    opt3.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    opt3.step()
    sched.step()
    print(step, f"{loss.item():.8f}", f"{sched.get_last_lr()[0]:.6f}")
print(sorted(opt3.state_dict()["state"][0].keys()))
# %%
plateau = optim.lr_scheduler.ReduceLROnPlateau(opt3, patience=1, factor=0.5)
for v in [1.0, 1.0, 1.0, 1.0, 0.5]:
    plateau.step(v)
    print(opt3.param_groups[0]["lr"])
# %%
opt4 = optim.RMSprop(model.parameters(), lr=0.01, momentum=0.5, centered=True)
opt5 = optim.Adagrad(model.parameters(), lr=0.1, lr_decay=0.01)
opt6 = optim.AdamW(model.parameters(), lr=0.01)
for o in (opt4, opt5, opt6):
    for _ in range(3):
        o.zero_grad()
        ((model(x) - y) ** 2).mean().backward()
        o.step()
    print(type(o).__name__, model.weight.detach().numpy().round(6).tolist())
# %%
optim.SGD(model.parameters(), lr=-1)
# %%
optim.Adam([{"params": model.weight}, {"params": model.weight}])
