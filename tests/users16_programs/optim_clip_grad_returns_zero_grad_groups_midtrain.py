import torch

torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
x, y = torch.randn(16, 4), torch.randn(16, 1)
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, nesterov=True)
loss = torch.nn.functional.mse_loss(net(x), y)
loss.backward()
total = torch.nn.utils.clip_grad_norm_(net.parameters(), max_norm=0.5)
print(total, total.dtype, total.shape)
after = torch.nn.utils.get_total_norm([p.grad for p in net.parameters()])
print(after)
r = torch.nn.utils.clip_grad_value_(net.parameters(), clip_value=0.05)
print(r, max(p.grad.abs().max().item() for p in net.parameters()))
inf_norm = torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0, norm_type="inf")
print(inf_norm)
# %%
opt.step()
opt.zero_grad(set_to_none=False)
print([p.grad.abs().sum().item() for p in net.parameters()])
opt.zero_grad()
print([p.grad for p in net.parameters()])
print(torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0))
# %%
for p in net.parameters():
    p.grad = torch.full_like(p, float("nan"))
torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0, error_if_nonfinite=True)
# %%
print(torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0))
opt.zero_grad()
# %%
head = torch.nn.Linear(1, 1)
opt.add_param_group({"params": head.parameters(), "lr": 0.01})
print(len(opt.param_groups), [sorted(g) for g in opt.param_groups][1])
print(opt.param_groups[1]["momentum"], opt.param_groups[1]["nesterov"])
for step in range(3):
    opt.zero_grad()
    out = head(net(x))
    l = torch.nn.functional.mse_loss(out, y)
    l.backward()
    opt.step()
    print(step, f"{l.item():.5f}", f"{head.weight.item():.5f}")
print(opt.state[head.weight]["momentum_buffer"])
# %%
opt.add_param_group({"params": net[0].weight})
# %%
sd = opt.state_dict()
print([g["params"] for g in sd["param_groups"]], len(sd["state"]))
opt2 = torch.optim.SGD(list(net.parameters()), lr=0.5)
opt2.load_state_dict(sd)
# %%
opt3 = torch.optim.SGD(net.parameters(), lr=0.5, momentum=0.9, nesterov=True)
opt3.add_param_group({"params": head.parameters(), "lr": 0.01})
opt3.load_state_dict(sd)
print(opt3.param_groups[0]["lr"], opt3.param_groups[1]["lr"])
print(torch.equal(opt3.state[head.weight]["momentum_buffer"], opt.state[head.weight]["momentum_buffer"]))
