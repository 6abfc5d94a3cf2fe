import torch
w = torch.nn.Parameter(torch.tensor([1.0]))
opt = torch.optim.SGD([w], lr=0.1)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode='min', factor=0.5, patience=1)
for loss in [1.0, 0.9, 0.95, 0.96, 0.97, 0.5, 0.6, 0.7]:
    sched.step(loss)
    print(opt.param_groups[0]['lr'])
def trace(make, n, opt_cls=torch.optim.SGD, **okw):
    p = torch.nn.Parameter(torch.tensor([1.0]))
    o = opt_cls([p], **okw)
    s = make(o)
    out = []
    for i in range(n):
        o.zero_grad()
        (p ** 2).sum().backward()
        o.step()
        s.step()
        g = o.param_groups[0]
        out.append((s.get_last_lr()[0], g.get('momentum', g.get('betas', (None,))[0])))
    return out, p.detach()
from torch.optim import lr_scheduler as L
print(trace(lambda o: L.OneCycleLR(o, max_lr=1.0, total_steps=10), 10, torch.optim.Adam, lr=0.1))
print(trace(lambda o: L.OneCycleLR(o, max_lr=0.5, epochs=2, steps_per_epoch=4, anneal_strategy='linear', three_phase=True), 8, lr=0.1, momentum=0.9))
print(trace(lambda o: L.OneCycleLR(o, max_lr=0.5, total_steps=6, cycle_momentum=False, pct_start=0.5), 6, lr=0.1))
print(trace(lambda o: L.CosineAnnealingWarmRestarts(o, T_0=3), 7, lr=0.1))
print(trace(lambda o: L.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=2, eta_min=0.01), 9, lr=0.1))
print(trace(lambda o: L.LinearLR(o, start_factor=0.5, total_iters=4), 6, lr=0.1))
print(trace(lambda o: L.ConstantLR(o, factor=0.5, total_iters=3), 5, lr=0.1))
print(trace(lambda o: L.PolynomialLR(o, total_iters=4, power=2.0), 6, lr=0.1))
print(trace(lambda o: L.MultiplicativeLR(o, lambda e: 0.9), 4, lr=0.1))
try:
    trace(lambda o: L.OneCycleLR(o, max_lr=1.0, total_steps=3), 5, lr=0.1)
except ValueError as e:
    print(e)
s = L.OneCycleLR(torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1), max_lr=1.0, total_steps=5)
print(sorted(k for k in s.state_dict() if not k.startswith('_')))
