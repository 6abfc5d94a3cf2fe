import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Linear(5, 1)
opt = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.05, amsgrad=True, betas=(0.8, 0.99))
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=10, pct_start=0.3)
X, Y = torch.randn(16, 5), torch.randn(16, 1)
for step in range(10):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(X), Y)
    loss.backward()
    opt.step()
    sched.step()
    print(step, f"{sched.get_last_lr()[0]:.6f}", f"{opt.param_groups[0]['betas'][0]:.4f}", f"{loss.item():.3f}")
st = opt.state_dict()
print(st["param_groups"][0]["amsgrad"], sorted(st["state"][0].keys()))
numeric(st["state"][0]["max_exp_avg_sq"])
numeric(model.weight)
