import torch

w = torch.tensor([3.0, -2.0], requires_grad=True)
opt = torch.optim.SGD([w], lr=0.5, momentum=0.5, weight_decay=1e-3)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1, threshold=1e-2, cooldown=1, min_lr=1e-3)
vals = [1.0, 0.9, 0.95, 0.95, 0.94, 0.96, 0.97, 0.5, 0.6, 0.6, 0.6, 0.6]
for epoch, v in enumerate(vals):
    opt.zero_grad()
    loss = (w ** 2).sum()
    loss.backward()
    opt.step()
    sched.step(v)
    print(epoch, opt.param_groups[0]["lr"], sched.num_bad_epochs, sched.cooldown_counter, sched.best)
print(sched.get_last_lr())
print(sched.state_dict()["best"], sched.state_dict()["mode"])
print(w)
