import torch
from torch.optim import lr_scheduler as S
p = torch.nn.Parameter(torch.zeros(2))
q = torch.nn.Parameter(torch.zeros(1))
opt = torch.optim.SGD([{"params": [p]}, {"params": [q], "lr": 0.01}], lr=0.1)
warm = S.LambdaLR(opt, lr_lambda=[lambda e: min(1.0, (e + 1) / 3), lambda e: 1.0])
cos = S.CosineAnnealingLR(opt, T_max=4, eta_min=0.001)
seq = S.SequentialLR(opt, [warm, cos], milestones=[3])
hist = []
for e in range(8):
    opt.step()
    seq.step()
    hist.append([round(v, 8) for v in seq.get_last_lr()])
print(hist)
sd = seq.state_dict()
print(sorted(sd), sd["_milestones"], sd["last_epoch"])
# %%
opt = torch.optim.SGD([p], lr=0.1)
steps = S.MultiStepLR(opt, milestones=[2, 4], gamma=0.5)
poly = S.PolynomialLR(opt, total_iters=5, power=2.0)
chain = S.ChainedScheduler([steps, poly], optimizer=opt)
for e in range(6):
    opt.step()
    chain.step()
    print(e, chain.get_last_lr(), [round(s.get_last_lr()[0], 8) for s in chain._schedulers])
# %%
opt = torch.optim.SGD([p], lr=0.1)
wr = S.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=0.0)
vals = []
for e in range(8):
    opt.step()
    wr.step()
    vals.append(round(wr.get_last_lr()[0], 10))
print(vals, wr.T_i, wr.T_cur)
wr.step(0.5)
print(wr.get_last_lr())
