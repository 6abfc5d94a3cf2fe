import torch
import torch.nn.functional as F

# "my loss becomes -inf / nan": log(softmax(x)) vs log_softmax
logits = torch.tensor([[100.0, 0.0, -100.0]], requires_grad=True)
p = torch.softmax(logits, dim=1)
print(p)
lp = torch.log(p)
print(lp)
lp[0, 2].backward()
print(logits.grad)
# %%
logits.grad = None
lp = F.log_softmax(logits, dim=1)
print(lp)
lp[0, 2].backward()
print(logits.grad)
# %%
# sigmoid + BCELoss vs BCEWithLogitsLoss at large logits
z = torch.tensor([30.0, -30.0], requires_grad=True)
t = torch.tensor([0.0, 1.0])
loss = F.binary_cross_entropy(torch.sigmoid(z), t)
print(loss)
loss.backward()
print(z.grad)
z.grad = None
loss = F.binary_cross_entropy_with_logits(z, t)
print(loss)
loss.backward()
print(z.grad)
# %%
# logsumexp vs log(sum(exp)) in float64
v = torch.tensor([800.0, 799.0], dtype=torch.float64, requires_grad=True)
naive = torch.log(torch.exp(v).sum())
print(naive)
naive.backward()
print(v.grad)
v.grad = None
stable = torch.logsumexp(v, dim=0)
print(stable)
stable.backward()
print(v.grad)
