import torch
import torch.nn as nn
torch.manual_seed(0)

backbone = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 6), nn.ReLU())
head = nn.Linear(6, 2)
model = nn.Sequential(backbone, head)
for p in backbone.parameters():
    p.requires_grad_(False)
trainable = [p for p in model.parameters() if p.requires_grad]
print(len(trainable), sum(p.numel() for p in trainable))
opt = torch.optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=0.1)
x, t = torch.randn(8, 4), torch.tensor([0, 1, 1, 0, 1, 0, 0, 1])
w0 = backbone[0].weight.clone()
for step in range(5):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(x), t)
    loss.backward()
    opt.step()
    print(step, f"{loss.item():.4f}")
print(backbone[0].weight.grad, torch.equal(w0, backbone[0].weight))
print(head.weight.grad is not None)
# %%
# unfreeze the last backbone layer and add it as a new param group with a smaller lr
for p in backbone[2].parameters():
    p.requires_grad = True
opt.add_param_group({"params": backbone[2].parameters(), "lr": 0.01})
print([len(g["params"]) for g in opt.param_groups], [g["lr"] for g in opt.param_groups])
opt.zero_grad(set_to_none=True)
print(head.weight.grad)
loss = nn.functional.cross_entropy(model(x), t)
loss.backward()
opt.step()
print(backbone[2].bias.grad.shape, backbone[0].bias.grad)
# setting .grad = None by hand skips a parameter in step()
head.bias.grad = None
b0 = head.bias.clone()
opt.step()
print(torch.equal(b0, head.bias))
# %%
# requires_grad_ on a non-leaf raises; on a leaf it returns the tensor
h = model(x)
try:
    h.requires_grad_(False)
except RuntimeError as e:
    print(e)
z = torch.zeros(2)
print(z.requires_grad_() is z, z.requires_grad)
print(model.requires_grad_(False) is model, any(p.requires_grad for p in model.parameters()))
