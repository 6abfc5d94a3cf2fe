import torch
p = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
opt = torch.optim.Adam([p], lr=0.1)
opt.register_step_pre_hook(lambda o, args, kwargs: print("pre", type(o).__name__))
opt.register_step_post_hook(lambda o, args, kwargs: print("post", o.state[p]["step"]))
p.grad = torch.tensor([0.5, 0.5])
opt.step()
print(opt)
# %%
opt.register_state_dict_post_hook(lambda o, sd: sd.__setitem__("extra", 1))
print(sorted(opt.state_dict().keys()))
opt.register_load_state_dict_pre_hook(lambda o, sd: print("loading", sorted(sd.keys())))
opt.load_state_dict(opt.state_dict())
# %%
opt.zero_grad(set_to_none=False)
print(p.grad)
opt.zero_grad()
print(p.grad)
# %%
torch.optim.SGD([], lr=0.1)
# %%
torch.optim.SGD([p], lr=0.1, nesterov=True)
# %%
torch.optim.Adam([p], betas=(1.0, 0.9))
