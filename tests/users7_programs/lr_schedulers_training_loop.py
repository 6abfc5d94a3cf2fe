import torch
from torch import nn
torch.manual_seed(0)
def make():
    m = nn.Linear(4, 1)
    return m, torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
X = torch.randn(16, 4)
Y = X @ torch.tensor([1.0, -1.0, 0.5, 2.0]).unsqueeze(1)
scheds = {
    "step": lambda o: torch.optim.lr_scheduler.StepLR(o, 3, gamma=0.5),
    "multistep": lambda o: torch.optim.lr_scheduler.MultiStepLR(o, [2, 5], 0.3),
    "exp": lambda o: torch.optim.lr_scheduler.ExponentialLR(o, 0.8),
    "cos": lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=8, eta_min=0.001),
    "cos_wr": lambda o: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2),
    "lambda": lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda e: 1 / (1 + e)),
    "linear": lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=0.25, total_iters=4),
    "poly": lambda o: torch.optim.lr_scheduler.PolynomialLR(o, total_iters=6, power=2.0),
    "onecycle": lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.5, total_steps=10),
    "cyclic": lambda o: torch.optim.lr_scheduler.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2),
    "seq": lambda o: torch.optim.lr_scheduler.SequentialLR(o, [torch.optim.lr_scheduler.ConstantLR(o, 0.5, total_iters=2), torch.optim.lr_scheduler.ExponentialLR(o, 0.9)], milestones=[3]),
}
for name, mk in scheds.items():
    torch.manual_seed(0)
    m, opt = make()
    s = mk(opt)
    lrs = []
    for ep in range(8):
        opt.zero_grad()
        nn.functional.mse_loss(m(X), Y).backward()
        opt.step()
        s.step()
        lrs.append(round(s.get_last_lr()[0], 6))
    print(f"{name:9s}", lrs)
# %%
m, opt = make()
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1)
for v in [1.0, 0.9, 0.95, 0.96, 0.97, 0.5, 0.6, 0.7, 0.8]:
    plateau.step(v)
    print(v, opt.param_groups[0]["lr"], plateau.num_bad_epochs)
print(plateau.get_last_lr())
# %%
m, opt = make()
s = torch.optim.lr_scheduler.StepLR(opt, 2)
s.step()
