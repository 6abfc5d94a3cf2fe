import numpy as np
import torch
import torch.nn as nn
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
rng = np.random.default_rng(0)
X = torch.tensor(rng.uniform(-1, 1, size=(32, 2)), dtype=torch.float32)
y = (X[:, :1] ** 2 + X[:, 1:] * 0.5)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)
loss_fn = nn.MSELoss()
for epoch in range(12):
    opt.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    opt.step()
    sched.step()
    if epoch % 3 == 0:
        print(epoch, f"{loss.item():.5f}", sched.get_last_lr(), opt.param_groups[0]["lr"])
print(opt)
print(sched.state_dict())
# %%
opt = torch.optim.Adam(model.parameters(), lr=0.01, betas=(0.9, 0.99))
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1)
for epoch in range(8):
    opt.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    opt.step()
    plateau.step(1.0)            # a validation loss that never improves
    print(epoch, round(loss.item(), 5), opt.param_groups[0]["lr"], plateau.get_last_lr())
# %%
opt = torch.optim.AdamW([{"params": model[0].parameters(), "lr": 0.01}, {"params": model[2].parameters()}], lr=0.001)
cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4, eta_min=1e-4)
lrs = []
for epoch in range(6):
    opt.zero_grad()
    loss_fn(model(X), y).backward()
    opt.step()
    cos.step()
    lrs.append([round(g["lr"], 6) for g in opt.param_groups])
print(lrs)
print(len(opt.state), [sorted(v.keys()) for v in list(opt.state.values())[:1]])
print(opt.state_dict()["param_groups"][1]["params"], opt.state_dict()["param_groups"][0]["weight_decay"])
# %%
# scheduler stepped before the optimizer: torch's warning
opt = torch.optim.SGD(model.parameters(), lr=0.1)
s = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
s.step()
print(s.get_last_lr())
