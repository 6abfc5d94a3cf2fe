import torch
# differentiable=True: torch steps with grad mode on; its in-place update of a
# leaf that requires grad is autograd's error
for cls, kw in [(torch.optim.SGD, dict(lr=0.1, momentum=0.9)), (torch.optim.Adam, dict(lr=0.1)),
                (torch.optim.RMSprop, dict(lr=0.1))]:
    p = torch.tensor([1.0, 2.0], requires_grad=True)
    opt = cls([p], differentiable=True, **kw)
    p.grad = torch.tensor([0.5, -0.5])
    try:
        opt.step()
        print(cls.__name__, p)
    except RuntimeError as e:
        print(cls.__name__, type(e).__name__, e)
    print(opt.defaults["differentiable"], opt.param_groups[0]["differentiable"])
# %%
q = torch.tensor([1.0, 2.0])
opt = torch.optim.SGD([q], lr=0.1, differentiable=True)
q.grad = torch.tensor([1.0, 1.0])
opt.step()
print(q)
try:
    torch.optim.SGD([q * 2], lr=0.1)
except ValueError as e:
    print(type(e).__name__, e)
