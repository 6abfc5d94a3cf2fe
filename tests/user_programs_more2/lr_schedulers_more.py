import torch
import torch.nn as nn
from torch.optim.lr_scheduler import OneCycleLR, CosineAnnealingWarmRestarts, ReduceLROnPlateau
torch.manual_seed(0)

model = nn.Linear(4, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
sched = OneCycleLR(opt, max_lr=0.5, total_steps=12)
lrs, moms = [], []
for step in range(12):
    opt.step()
    sched.step()
    lrs.append(round(sched.get_last_lr()[0], 6))
    moms.append(round(opt.param_groups[0]["momentum"], 6))
print(lrs)
print(moms)
# %%
opt = torch.optim.AdamW(model.parameters(), lr=0.01)
sched = CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2, eta_min=1e-4)
out = []
for epoch in range(10):
    for i in range(2):
        opt.step()
        sched.step(epoch + i / 2)
    out.append(f"{opt.param_groups[0]['lr']:.6f}")
print(out)
print(sched.T_cur, sched.T_i, sched.last_epoch)
# %%
opt = torch.optim.Adam(model.parameters(), lr=0.1)
sched = ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=2, threshold=1e-3)
val_losses = [1.0, 0.9, 0.89, 0.8899, 0.8898, 0.8897, 0.7, 0.7, 0.7, 0.7, 0.7]
for v in val_losses:
    sched.step(v)
    print(f"{v:.4f} lr={opt.param_groups[0]['lr']:.5f} bad={sched.num_bad_epochs}")
print(sched.best, sched.get_last_lr())
print(sched.state_dict()["best"], sorted(sched.state_dict())[:5])
