import torch
import torch.nn as nn

# two heads on one trunk: the second backward fails
torch.manual_seed(0)
trunk = nn.Linear(3, 4)
head_a = nn.Linear(4, 1)
head_b = nn.Linear(4, 1)
x = torch.randn(5, 3)
feat = torch.tanh(trunk(x))
loss_a = head_a(feat).pow(2).mean()
loss_b = head_b(feat).abs().mean()
loss_a.backward()
try:
    loss_b.backward()
except RuntimeError as e:
    print(str(e).split(".")[0])
# %%
# answer 1: add the losses and call backward once
trunk.zero_grad()
feat = torch.tanh(trunk(x))
loss_a = head_a(feat).pow(2).mean()
loss_b = head_b(feat).abs().mean()
(loss_a + loss_b).backward()
g_sum = trunk.weight.grad.clone()
# %%
# answer 2: retain_graph on the first backward; the gradients are the same
trunk.zero_grad()
feat = torch.tanh(trunk(x))
head_a(feat).pow(2).mean().backward(retain_graph=True)
head_b(feat).abs().mean().backward()
print(torch.allclose(g_sum, trunk.weight.grad))
# %%
# answer 3: weight the losses; the weights scale the gradients linearly
trunk.zero_grad()
feat = torch.tanh(trunk(x))
(0.5 * head_a(feat).pow(2).mean() + 0.5 * head_b(feat).abs().mean()).backward()
print(torch.allclose(g_sum * 0.5, trunk.weight.grad))
# %%
# stopping one loss from updating the trunk: detach its input
trunk.zero_grad()
head_a.zero_grad()
feat = torch.tanh(trunk(x))
head_a(feat.detach()).pow(2).mean().backward()
print(trunk.weight.grad, head_a.weight.grad.shape)
