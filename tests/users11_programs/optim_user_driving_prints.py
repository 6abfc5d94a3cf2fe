import torch
import torch.nn as nn
torch.manual_seed(0)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
x = torch.randn(5, 2)
y = torch.randn(5, 1)
for _ in range(2):
    opt.zero_grad()
    nn.functional.mse_loss(model(x), y).backward()
    opt.step()
print(opt.state_dict())
# %%
adam = torch.optim.Adam(model.parameters(), lr=torch.tensor(0.01), betas=(torch.tensor(0.9), torch.tensor(0.99)))
print(adam)
adam.zero_grad(set_to_none=False)
print(model.weight.grad)
nn.functional.mse_loss(model(x), y).backward()
adam.step()
print(adam.state_dict()["state"][1])
print(adam.param_groups[0]["lr"])
# %%
adam = torch.optim.Adam(model.parameters(), lr=0.01)


def closure():
    adam.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    return loss


l = adam.step(closure)
print(type(l).__name__, l.requires_grad, l.grad_fn is not None)
numeric(model.weight)
# %%
for g in adam.param_groups:
    g["lr"] = 0.5
adam.step(closure)
print(adam.state[model.bias]["step"], adam.param_groups[0]["lr"])
numeric(model.bias)
# %%
calls = []
h1 = adam.register_step_pre_hook(lambda opt, args, kwargs: calls.append(("pre", len(args), sorted(kwargs))))
h2 = adam.register_step_post_hook(lambda opt, args, kwargs: calls.append(("post", type(opt).__name__)))
adam.step(closure=closure)
h1.remove(); h2.remove()
adam.step(closure)
print(calls)
# %%
h = adam.register_state_dict_post_hook(lambda opt, sd: print("saving", sorted(sd)))
_ = adam.state_dict()
h.remove()
adam.register_load_state_dict_pre_hook(lambda opt, sd: print("loading", len(sd["param_groups"])))
adam.load_state_dict(adam.state_dict())
# %%
sgd = torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1)
sgd.step()
print(sgd.state)
sgd.param_groups[0]["params"][0].grad = torch.ones(2)
sgd.step()
print(sgd.param_groups[0]["params"][0])
# %%
torch.optim.SGD([torch.zeros(2)], lr=0.1)
# %%
torch.optim.Adam([nn.Parameter(torch.zeros(2))], lr=0.1, betas=(0.9,))
# %%
torch.optim.Adam([nn.Parameter(torch.zeros(2))], lr=0.1, eps=-1)
# %%
torch.optim.SGD(nn.Parameter(torch.zeros(2)), lr=0.1)
# %%
torch.optim.AdamW(model.parameters(), betas=(torch.tensor(0.8), 0.9))
# %%
torch.optim.AdamW(model.parameters(), betas=(torch.tensor(0.8), torch.tensor(0.9)), foreach=True)
# %%
torch.optim.Adam(model.parameters(), betas=(torch.tensor(0.8), torch.tensor([0.9, 0.9])))
# %%
aw = torch.optim.AdamW(model.parameters(), lr=0.1, betas=(torch.tensor([0.8]), torch.tensor(0.9)), amsgrad=True)
print(aw.param_groups[0]["betas"])
for _ in range(3):
    aw.zero_grad(); nn.functional.mse_loss(model(x), y).backward(); aw.step()
numeric(model.weight)
