import torch
from torch import nn
w = nn.Parameter(torch.tensor([1.0, -2.0]))
opt = torch.optim.SGD([w], lr=0.1, momentum=0.5)
def pre(o, args, kwargs):
    print("pre", type(o).__name__, len(args), kwargs)
def post(o, args, kwargs):
    print("post", w)
h1 = opt.register_step_pre_hook(pre)
h2 = opt.register_step_post_hook(post)
(w ** 2).sum().backward()
opt.step()
h1.remove()
opt.step()
h2.remove()
opt.step()
print(w)
# %%
opt.register_state_dict_pre_hook(lambda o: print("sd pre"))
def sd_post(o, sd):
    sd["extra"] = 1
    return sd
opt.register_state_dict_post_hook(sd_post)
sd = opt.state_dict()
print(sorted(sd), sd["state"][0]["momentum_buffer"])
def load_pre(o, sd):
    print("load pre", sorted(sd))
    sd = dict(sd)
    sd.pop("extra")
    return sd
opt.register_load_state_dict_pre_hook(load_pre)
opt.register_load_state_dict_post_hook(lambda o: print("load post", o.param_groups[0]["lr"]))
opt.load_state_dict(sd)
# %%
opt.register_step_pre_hook(lambda o, a, k: 5)
opt.step()
# %%
sched = torch.optim.lr_scheduler.StepLR(opt, 1, 0.5)
w2 = nn.Parameter(torch.ones(1))
opt2 = torch.optim.Adam([w2], lr=0.1)
opt2.register_step_post_hook(lambda o, a, k: print("adam post", o.param_groups[0]["lr"]))
s2 = torch.optim.lr_scheduler.ExponentialLR(opt2, 0.9)
for _ in range(2):
    w2.sum().backward()
    opt2.step()
    s2.step()
print(w2)
