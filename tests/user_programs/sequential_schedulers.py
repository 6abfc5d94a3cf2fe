import torch
from torch.optim import lr_scheduler as L
def run(make, n, **okw):
    p = torch.nn.Parameter(torch.tensor([1.0]))
    o = torch.optim.SGD([p], lr=0.1, **okw)
    s = make(o)
    out = [round(o.param_groups[0]['lr'], 8)]
    for i in range(n):
        o.zero_grad()
        (p ** 2).sum().backward()
        o.step()
        s.step()
        out.append(round(s.get_last_lr()[0], 8))
    return out, round(p.item(), 6)
print(run(lambda o: L.SequentialLR(o, [L.LinearLR(o, start_factor=0.1, total_iters=3), L.CosineAnnealingLR(o, T_max=5)], milestones=[3]), 10))
print(run(lambda o: L.SequentialLR(o, [L.ConstantLR(o, factor=0.5, total_iters=2), L.ExponentialLR(o, gamma=0.9), L.StepLR(o, 2)], milestones=[2, 5]), 9))
print(run(lambda o: L.ChainedScheduler([L.ConstantLR(o, factor=0.1, total_iters=2), L.ExponentialLR(o, gamma=0.9)]), 5))
print(run(lambda o: L.ChainedScheduler([L.LinearLR(o, start_factor=0.5, total_iters=3), L.MultiStepLR(o, [2, 4], 0.5)]), 6, momentum=0.9))
try:
    p = torch.nn.Parameter(torch.zeros(1)); o = torch.optim.SGD([p], lr=0.1)
    L.SequentialLR(o, [L.StepLR(o, 1)], milestones=[1])
except ValueError as e:
    print(e)
