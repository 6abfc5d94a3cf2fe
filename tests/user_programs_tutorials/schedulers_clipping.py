import torch
import torch.nn as nn
model = nn.Linear(2, 1)
with torch.no_grad():
    model.weight.copy_(torch.tensor([[0.5, -0.5]]))
    model.bias.fill_(0.1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9)
x = torch.tensor([[1., 2.], [3., 4.], [-1., 0.5]])
y = torch.tensor([[1.], [2.], [0.]])
for epoch in range(5):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()
    scheduler.step()
    numeric((loss.item(), norm))
    print(epoch, scheduler.get_last_lr(), optimizer.param_groups[0]['lr'])
numeric([model.weight, model.bias])
# %%
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler1 = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9)
scheduler2 = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[2, 4], gamma=0.1)
for epoch in range(6):
    optimizer.step()
    scheduler1.step()
    scheduler2.step()
    print(epoch, [round(v, 8) for v in scheduler2.get_last_lr()])
# %%
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, 'min', patience=1)
for val_loss in [1.0, 0.9, 0.95, 0.96, 0.97, 0.5]:
    optimizer.step()
    scheduler.step(val_loss)
    print(optimizer.param_groups[0]['lr'])
# %%
optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
lambda1 = lambda epoch: 0.65 ** epoch
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda1)
cos = None
for epoch in range(4):
    optimizer.step()
    scheduler.step()
print(scheduler.get_last_lr(), scheduler.state_dict()['last_epoch'])
opt = torch.optim.SGD(model.parameters(), lr=1.0)
cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4, eta_min=0.1)
for epoch in range(6):
    opt.step()
    cos.step()
    print(round(cos.get_last_lr()[0], 6))
# %%
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
scheduler.step()
optimizer.step()
# %%
params = [torch.tensor([3., 4.], requires_grad=True), torch.tensor([12.], requires_grad=True)]
(params[0].sum() * 1 + params[1].sum() * 0).backward()
params[0].grad = torch.tensor([3., 4.])
params[1].grad = torch.tensor([12.])
total = torch.nn.utils.clip_grad_norm_(params, max_norm=6.5)
print(total, params[0].grad, params[1].grad)
torch.nn.utils.clip_grad_value_(params, clip_value=1.0)
print(params[0].grad, params[1].grad)
print(torch.nn.utils.clip_grad_norm_(params, 1.0, norm_type='inf'))
print(torch.nn.utils.parameters_to_vector(params), torch.nn.utils.get_total_norm([p.grad for p in params]))
