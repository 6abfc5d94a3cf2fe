import torch
from torch.optim import lr_scheduler as S


def fresh(lr=0.1, **kw):
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr, **kw)


def run(sched, n=3):
    for _ in range(n):
        sched.optimizer.step()
        sched.step()
    return sched


print(run(S.StepLR(fresh(), 2, gamma=0.5)).state_dict())
print(run(S.MultiStepLR(fresh(), [1, 2], gamma=0.5)).state_dict())
print(run(S.ExponentialLR(fresh(), 0.9)).state_dict())
print(run(S.CosineAnnealingLR(fresh(), T_max=5)).state_dict())
print(run(S.LinearLR(fresh(), start_factor=0.5, total_iters=4)).state_dict())
print(run(S.ConstantLR(fresh(), factor=0.5, total_iters=2)).state_dict())
print(run(S.PolynomialLR(fresh(), total_iters=4, power=1.5)).state_dict())
# %%
print(run(S.CosineAnnealingWarmRestarts(fresh(), T_0=2, T_mult=2)).state_dict())
oc = run(S.OneCycleLR(fresh(momentum=0.9), max_lr=1.0, total_steps=10))
print(sorted(oc.state_dict()))
print({k: v for k, v in oc.state_dict().items() if k not in ("_anneal_func_type",)})
# %%
cy = run(S.CyclicLR(fresh(momentum=0.9), base_lr=0.01, max_lr=0.1, step_size_up=2))
print(sorted(cy.state_dict()))
print(cy.state_dict()["last_epoch"], cy.state_dict()["_last_lr"], cy.state_dict()["mode"])
# %%
pl = S.ReduceLROnPlateau(fresh(), patience=1)
for m in [1.0, 1.0, 1.0, 1.0]:
    pl.step(m)
print(pl.state_dict())
# %%
seq = S.SequentialLR(fresh(), [S.ConstantLR(fresh(), 0.5, 2), S.ExponentialLR(fresh(), 0.5)], milestones=[2]) if False else None
o = fresh(lr=1.0)
seq = S.SequentialLR(o, [S.ConstantLR(o, factor=0.5, total_iters=2), S.ExponentialLR(o, gamma=0.5)], milestones=[2])
run(seq)
sd = seq.state_dict()
print(sorted(sd), sd["_milestones"], sd["last_epoch"], sd["_schedulers"])
o2 = fresh(lr=1.0)
seq2 = S.SequentialLR(o2, [S.ConstantLR(o2, factor=0.5, total_iters=2), S.ExponentialLR(o2, gamma=0.5)], milestones=[2])
seq2.load_state_dict(sd)
print(seq2.last_epoch, seq2.get_last_lr(), [s.last_epoch for s in seq2._schedulers])
# %%
o3 = fresh(lr=1.0)
ch = S.ChainedScheduler([S.StepLR(o3, 1, 0.5), S.ExponentialLR(o3, 0.9)])
run(ch)
print(ch.state_dict())
