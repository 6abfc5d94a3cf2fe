import torch
from torch.optim import lr_scheduler as S
p = torch.nn.Parameter(torch.zeros(2))
opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
s1 = S.LinearLR(opt, start_factor=0.1, total_iters=3)
s2 = S.ExponentialLR(opt, gamma=0.9)
seq = S.SequentialLR(opt, schedulers=[s1, s2], milestones=[3])
for i in range(7):
    opt.step()
    seq.step()
    print(i, seq.get_last_lr())
# %%
opt = torch.optim.SGD([p], lr=1.0)
ch = S.ChainedScheduler([S.ConstantLR(opt, factor=0.5, total_iters=2), S.ExponentialLR(opt, gamma=0.9)])
for i in range(4):
    opt.step()
    ch.step()
    print(i, ch.get_last_lr())
# %%
opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
oc = S.OneCycleLR(opt, max_lr=1.0, total_steps=8)
lrs = []
moms = []
for i in range(8):
    opt.step()
    lrs.append(oc.get_last_lr()[0])
    moms.append(opt.param_groups[0]["momentum"])
    oc.step() if i < 7 else None
print(lrs)
print(moms)
# %%
opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
cy = S.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=3, mode="triangular2")
for i in range(8):
    opt.step()
    cy.step()
    print(i, cy.get_last_lr(), opt.param_groups[0]["momentum"])
# %%
opt = torch.optim.Adam([p], lr=0.1)
rp = S.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1, threshold=0.01)
for i, metric in enumerate([1.0, 0.9, 0.95, 0.96, 0.97, 0.5, 0.6, 0.7]):
    rp.step(metric)
    print(i, rp.get_last_lr(), rp.num_bad_epochs)
