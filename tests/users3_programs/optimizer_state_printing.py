# ruff: noqa: F821
import io
import torch
import torch.nn as nn
torch.manual_seed(11)

model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
opt = torch.optim.AdamW([
    {"params": model[0].parameters(), "lr": 1e-2},
    {"params": model[2].parameters(), "weight_decay": 0.0},
], lr=1e-3, betas=(0.85, 0.99))
print(opt)
x = torch.randn(5, 2)
for _ in range(3):
    opt.zero_grad()
    model(x).pow(2).mean().backward()
    opt.step()
sd = opt.state_dict()
print(sorted(sd.keys()))
print(sd["param_groups"][0]["params"], sd["param_groups"][1]["params"])
print({k: v for k, v in sd["param_groups"][1].items() if k != "params"})
print(sd["state"][0]["step"], sorted(sd["state"][0]))
numeric([sd["state"][3]["exp_avg"], sd["state"][3]["exp_avg_sq"]])
# %%
buf = io.BytesIO()
torch.save({"model": model.state_dict(), "opt": opt.state_dict()}, buf)
buf.seek(0)
ck = torch.load(buf)
model2 = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
opt2 = torch.optim.AdamW([
    {"params": model2[0].parameters(), "lr": 1e-2},
    {"params": model2[2].parameters(), "weight_decay": 0.0},
], lr=1e-3, betas=(0.85, 0.99))
print(model2.load_state_dict(ck["model"]))
opt2.load_state_dict(ck["opt"])
for m, o in ((model, opt), (model2, opt2)):
    o.zero_grad()
    m(x).pow(2).mean().backward()
    o.step()
print(all(torch.equal(a, b) for a, b in zip(model.parameters(), model2.parameters())))
print(opt2.state[model2[0].weight]["step"])
# %%
opt.add_param_group({"params": [nn.Parameter(torch.ones(2))], "lr": 0.5})
print(len(opt.param_groups), opt.param_groups[2]["betas"], opt.param_groups[2]["lr"])
try:
    opt.add_param_group({"params": [model[0].weight]})
except ValueError as e:
    print(e)
