import torch
import torch.nn as nn

torch.manual_seed(0)
backbone = nn.Linear(4, 4)
head = nn.Linear(4, 2)
opt = torch.optim.RMSprop([{"params": backbone.parameters(), "lr": 1e-3},
                           {"params": head.parameters()}], lr=1e-2, alpha=0.9, centered=True, momentum=0.1)
print(len(opt.param_groups), [g["lr"] for g in opt.param_groups])
sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=[lambda e: 0.5 ** e, lambda e: 1.0 / (e + 1)])
x, y = torch.randn(6, 4), torch.tensor([0, 1, 0, 1, 1, 0])
for epoch in range(3):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(head(torch.relu(backbone(x))), y)
    loss.backward()
    opt.step()
    sched.step()
    print(epoch, [round(g["lr"], 6) for g in opt.param_groups], round(loss.item(), 4))
extra = nn.Parameter(torch.zeros(2))
opt.add_param_group({"params": [extra], "lr": 0.5})
print(len(opt.param_groups), opt.param_groups[2]["alpha"], opt.param_groups[2]["centered"])
try:
    opt.add_param_group({"params": head.parameters()})
except ValueError as e:
    print(e)
print(opt)
