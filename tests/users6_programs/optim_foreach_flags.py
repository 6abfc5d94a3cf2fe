import torch
torch.manual_seed(0)
def run(cls, **kw):
    w = torch.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)
    b = torch.tensor([0.1, -0.2], requires_grad=True)
    opt = cls([w, b], **kw)
    for i in range(4):
        opt.zero_grad()
        loss = ((w @ torch.tensor([1.0, 2.0]) + b) ** 2).sum() + w.abs().sum()
        loss.backward()
        opt.step()
    print(cls.__name__, "grad after step", w.grad.tolist())
    return w.detach(), b.detach()
for kw in [dict(lr=0.1, foreach=True), dict(lr=0.1, foreach=False), dict(lr=0.1, maximize=True, foreach=True),
           dict(lr=0.1, lr_decay=0.01, foreach=True)]:
    w, b = run(torch.optim.Adagrad, **kw)
    # (printed as a tensor: torch's float32 sqrt is an ulp off IEEE's on some CPUs)
    print("Adagrad", kw, w, b)
# %%
for cls, kw in [(torch.optim.Adam, dict(lr=0.01, foreach=True, amsgrad=True)),
                (torch.optim.AdamW, dict(lr=0.01, foreach=False, fused=False)),
                (torch.optim.SGD, dict(lr=0.01, momentum=0.9, nesterov=True, foreach=True)),
                (torch.optim.RMSprop, dict(lr=0.01, centered=True, momentum=0.5, foreach=True)),
                (torch.optim.Adamax, dict(lr=0.01, foreach=True, maximize=True)),
                (torch.optim.NAdam, dict(lr=0.01, foreach=True, decoupled_weight_decay=True, weight_decay=0.1)),
                (torch.optim.RAdam, dict(lr=0.01, foreach=False)),
                (torch.optim.RAdam, dict(lr=0.01, foreach=True)),
                (torch.optim.RAdam, dict(lr=0.05, betas=(0.5, 0.6), weight_decay=0.1, foreach=True)),
                (torch.optim.Adadelta, dict(lr=1.0, foreach=True)),
                (torch.optim.ASGD, dict(lr=0.01, foreach=True)),
                (torch.optim.ASGD, dict(lr=0.01, foreach=True, weight_decay=0.1, t0=2)),
                (torch.optim.SGD, dict(lr=0.01, momentum=0.9, nesterov=True, foreach=False)),
                (torch.optim.Rprop, dict(lr=0.01, foreach=True)),
                (torch.optim.Adam, dict(lr=0.01, differentiable=False, capturable=False))]:
    w, b = run(cls, **kw)
    print(cls.__name__, kw, w, b)      # (as tensors: see above)
# %%
opt = torch.optim.Adagrad([torch.zeros(2, requires_grad=True)], lr=0.1, foreach=True)
print(opt.defaults)
print(opt)
