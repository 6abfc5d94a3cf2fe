import torch
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
seen = []
h = torch.autograd.graph.register_multi_grad_hook((a, b), lambda grads: seen.append([None if g is None else g.tolist() for g in grads]))
(a * b).sum().backward()
print(seen)
h.remove()
# %%
c = a * 2
d = c.exp()
d.grad_fn.register_prehook(lambda gout: print("pre", gout[0]))
d.grad_fn.register_hook(lambda gin, gout: print("post", gin[0].shape, gout[0].shape))
d.sum().backward()
print(a.grad)
# %%
x = torch.ones(2, requires_grad=True)
y = x * 3
y.retain_grad()
y.register_hook(lambda g: g + 1)
z = (y * y).sum()
z.backward()
print(y.grad, x.grad)
# %%
m = torch.nn.Linear(2, 1)
m.register_state_dict_post_hook(lambda mod, sd, prefix, local: sd.__setitem__(prefix + "extra", torch.zeros(1)))
print(sorted(m.state_dict().keys()))
res = m.load_state_dict({"weight": torch.ones(1, 2), "bias": torch.zeros(1)})
print(res)
def post(mod, incompatible):
    print("loaded", incompatible.missing_keys)
m.register_load_state_dict_post_hook(post)
print(m.load_state_dict({"weight": torch.ones(1, 2)}, strict=False))
# %%
p = torch.tensor([1.0, 2.0], requires_grad=True)
q = torch.tensor([0.5], requires_grad=True)
r = torch.tensor([7.0], requires_grad=True)
calls = []
h = torch.autograd.graph.register_multi_grad_hook((p, q, r), lambda gs: calls.append([None if g is None else g.tolist() for g in gs]))
(p.sum() * q).sum().backward()
(p * 3).sum().backward()
print(calls)
h.remove()
got = []
h2 = torch.autograd.graph.register_multi_grad_hook((p, q), lambda g: got.append(g.tolist()), mode="any")
(p.sum() * q).sum().backward()
(p.sum() * q).sum().backward()
print(got)
# %%
torch.autograd.graph.register_multi_grad_hook((p,), print, mode="some")
