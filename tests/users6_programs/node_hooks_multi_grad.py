import torch
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
c = a * b
d = c.sin()
seen = []
h1 = d.grad_fn.register_hook(lambda gi, go: seen.append(("post", [None if g is None else g.shape for g in gi])))
h2 = d.grad_fn.register_prehook(lambda go: seen.append(("pre", go[0].shape)))
d.sum().backward(retain_graph=True)
print(seen)
h1.remove(); h2.remove()
# %%
fired = []
handle = torch.autograd.graph.register_multi_grad_hook((a, b), lambda grads: fired.append([g is not None for g in grads]))
(a * 2).sum().backward()
(a * b).sum().backward()
print(fired)
handle.remove()
any_fired = []
h = torch.autograd.graph.register_multi_grad_hook((a, b), lambda g: any_fired.append(g.shape), mode="any")
(b * 3).sum().backward()
print(any_fired)
h.remove()
# %%
c = a * b
c.grad_fn.register_prehook(lambda go: (go[0] * 10,))
c.sum().backward()
print(a.grad, b.grad)
