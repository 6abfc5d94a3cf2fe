import torch

# the output requires grad if any input does
x = torch.tensor([1.0, 2.0])
w = torch.tensor([0.5, 0.5], requires_grad=True)
print((x + 1).requires_grad, (x * w).requires_grad, torch.cat([x, w]).requires_grad)
print(torch.stack([x, x]).requires_grad, (x @ w).requires_grad)
# %%
# comparisons, argmax, integer casts never require grad
print((w > 0).requires_grad, w.argmax().requires_grad, w.long().requires_grad)
print(w.round().requires_grad, w.floor().requires_grad, w.sign().requires_grad)
print(w.detach().requires_grad, w.clone().requires_grad, w.float().requires_grad)
# %%
# parameters, buffers and module outputs
lin = torch.nn.Linear(2, 1)
lin.register_buffer("scale", torch.ones(1))
print(lin.weight.requires_grad, lin.scale.requires_grad)
out = lin(x)
print(out.requires_grad, (out * lin.scale).requires_grad)
with torch.no_grad():
    print(lin(x).requires_grad)
# %%
# freezing one layer: the output still requires grad through the other
net = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1))
net[0].requires_grad_(False)
y = net(x)
print(y.requires_grad)
y.backward()
print(net[0].weight.grad, net[1].weight.grad is not None)
# %%
# in-place writes of a tensor that requires grad into one that does not
buf = torch.zeros(3, dtype=torch.float64)
print(buf.requires_grad)
buf[1] = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
print(buf.requires_grad, buf.is_leaf, buf.grad_fn)
buf.copy_(torch.ones(3, dtype=torch.float64))
print(buf.requires_grad, buf.grad_fn)
