import torch

torch.manual_seed(0)
X = torch.randn(32, 4)
true_w = torch.tensor([1.5, -2.0, 0.5, 3.0])
y = X @ true_w + 0.1 * torch.randn(32)

def fit(opt_name, make_opt, steps=6):
    torch.manual_seed(1)
    w = torch.zeros(4, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    opt = make_opt([w, b])
    for s in range(steps):
        opt.zero_grad()
        loss = ((X @ w + b - y) ** 2).mean()
        loss.backward()
        opt.step()
    print(f"{opt_name:>28s} loss={loss.item():.5f} w={[round(v, 3) for v in w.tolist()]}")
    return opt, w

fit("NAdam", lambda p: torch.optim.NAdam(p, lr=0.1))
fit("NAdam momentum_decay=1e-2", lambda p: torch.optim.NAdam(p, lr=0.1, momentum_decay=1e-2))
fit("NAdam decoupled wd", lambda p: torch.optim.NAdam(p, lr=0.1, weight_decay=0.1, decoupled_weight_decay=True))
fit("NAdam coupled wd", lambda p: torch.optim.NAdam(p, lr=0.1, weight_decay=0.1))
opt, w = fit("RAdam", lambda p: torch.optim.RAdam(p, lr=0.1), steps=8)
fit("RAdam decoupled wd", lambda p: torch.optim.RAdam(p, lr=0.1, weight_decay=0.05, decoupled_weight_decay=True), steps=8)
# %%
st = opt.state[w]
print(sorted(st.keys()))
print(st["step"], st["exp_avg"].dtype, st["exp_avg_sq"].shape)
opt_n, wn = fit("NAdam again", lambda p: torch.optim.NAdam(p, lr=0.05, betas=(0.8, 0.99)))
sn = opt_n.state[wn]
print(sorted(sn.keys()))
print(sn["mu_product"], sn["step"])
print(opt_n.param_groups[0]["momentum_decay"], opt_n.param_groups[0]["decoupled_weight_decay"])
# %%
print(opt_n)
# %%
sd = opt_n.state_dict()
print(sd["param_groups"])
print({k: (v["step"].item(), round(v["mu_product"].item(), 6)) for k, v in sd["state"].items()})
# %%
# the param group keys, in the order each optimizer's constructor writes them
for cls in (torch.optim.NAdam, torch.optim.RAdam, torch.optim.Adamax, torch.optim.Adadelta):
    o = cls([torch.zeros(2, requires_grad=True)])
    print(cls.__name__, list(o.param_groups[0]))
    print(list(o.state_dict()["param_groups"][0])[-3:])
