import torch

torch.manual_seed(3)
A = torch.randn(6, 3)
t = torch.randn(6)

def run(opt_cls, steps=5, **kw):
    p = torch.tensor([0.5, -0.5, 1.0], requires_grad=True)
    opt = opt_cls([p], **kw)
    hist = []
    for _ in range(steps):
        opt.zero_grad()
        loss = torch.nn.functional.smooth_l1_loss(A @ p, t, beta=0.5)
        loss.backward()
        opt.step()
        hist.append(round(loss.item(), 6))
    return p, opt, hist

p, opt, hist = run(torch.optim.ASGD, lr=0.05, lambd=1e-3, alpha=0.75, t0=2)
print(hist)
st = opt.state[p]
print(sorted(st))
print(st["eta"], st["mu"], st["step"])
print(st["ax"])
# %%
p, opt, hist = run(torch.optim.Rprop, lr=0.02, etas=(0.4, 1.3), step_sizes=(1e-4, 0.5))
print(hist)
st = opt.state[p]
print(sorted(st))
print(st["step_size"], st["prev"])
p, opt, hist = run(torch.optim.Rprop, lr=0.02, maximize=True)
print(hist, p.detach())
# %%
p, opt, hist = run(torch.optim.Adamax, lr=0.1, weight_decay=0.01)
print(hist)
print(opt.state[p]["exp_inf"], opt.state[p]["exp_avg"])
p, opt, hist = run(torch.optim.Adagrad, lr=0.2, lr_decay=0.01, initial_accumulator_value=0.1, eps=1e-8)
print(hist)
print(opt.state[p]["sum"], opt.state[p]["step"])
# %%
p, opt, hist = run(torch.optim.RMSprop, lr=0.01, alpha=0.9, centered=True, momentum=0.5)
print(hist)
print(sorted(opt.state[p]))
print(opt.state[p]["grad_avg"], opt.state[p]["momentum_buffer"])
p, opt, hist = run(torch.optim.AdamW, lr=0.05, amsgrad=True, weight_decay=0.1)
print(hist)
print(sorted(opt.state[p]), opt.state[p]["max_exp_avg_sq"])
# %%
torch.optim.Rprop([p], lr=0.01, etas=(1.5, 1.2))
