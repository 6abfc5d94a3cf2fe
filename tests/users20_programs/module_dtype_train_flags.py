import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(2, 3), nn.Dropout(0.5), nn.Sequential(nn.BatchNorm1d(3), nn.Linear(3, 1)))
print([m.training for m in net.modules()])
net.eval()
print([m.training for m in net.modules()], net.training)
net[2].train()
print([m.training for m in net.modules()])
# %%
net.double()
print({n: p.dtype for n, p in net.named_parameters()})
print({n: b.dtype for n, b in net.named_buffers()})
net.to(torch.float32)
print(net[0].weight.dtype, net[2][0].num_batches_tracked.dtype)
# %%
net.requires_grad_(False)
print([p.requires_grad for p in net.parameters()])
net[2][1].requires_grad_()
print([n for n, p in net.named_parameters() if p.requires_grad])
# %%
net.half()
print(net[0].weight.dtype, net[0](torch.ones(1, 2, dtype=torch.float16)).dtype)
net.float()
out = net(torch.tensor([[1.0, 2.0], [3.0, -1.0]]))
print(out.shape, out.requires_grad, out.grad_fn.name())
