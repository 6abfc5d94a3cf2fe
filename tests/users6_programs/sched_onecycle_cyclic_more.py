import torch
from torch.optim import lr_scheduler as S
p = torch.nn.Parameter(torch.zeros(2))
opt = torch.optim.Adam([p], lr=0.1, betas=(0.9, 0.99))
oc = S.OneCycleLR(opt, max_lr=[0.5], epochs=2, steps_per_epoch=3, anneal_strategy="linear", three_phase=True)
for i in range(6):
    opt.step()
    print(i, [round(v, 10) for v in oc.get_last_lr()], opt.param_groups[0]["betas"])
    if i < 5:
        oc.step()
try:
    oc.step()
    oc.step()
except ValueError as e:
    print(type(e).__name__, e)
# %%
opt = torch.optim.SGD([p], lr=0.1, momentum=0.8)
cy = S.CyclicLR(opt, base_lr=0.001, max_lr=0.01, step_size_up=2, step_size_down=3, mode="exp_range", gamma=0.9)
out = []
for i in range(7):
    opt.step()
    cy.step()
    out.append(round(cy.get_last_lr()[0], 12))
print(out)
opt = torch.optim.Adam([p], lr=0.1)
try:
    S.CyclicLR(opt, base_lr=0.001, max_lr=0.01)
except ValueError as e:
    print(type(e).__name__, e)
cy2 = S.CyclicLR(opt, base_lr=0.001, max_lr=0.01, cycle_momentum=False, scale_fn=lambda k: 0.5 ** k, scale_mode="cycle")
for i in range(5):
    opt.step(); cy2.step()
print(cy2.get_last_lr(), cy2.state_dict()["last_epoch"])
# %%
opt = torch.optim.SGD([p], lr=1.0)
rp = S.ReduceLROnPlateau(opt, mode="max", factor=0.1, patience=0, cooldown=1, min_lr=0.005, threshold_mode="abs")
for i, acc in enumerate([0.5, 0.5, 0.4, 0.6, 0.6, 0.6, 0.6, 0.6]):
    rp.step(acc)
    print(i, rp.get_last_lr(), rp.cooldown_counter, rp.best)
print(sorted(rp.state_dict()))
