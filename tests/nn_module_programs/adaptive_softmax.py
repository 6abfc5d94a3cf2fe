import numpy as np
import torch
from torch import nn
rng = np.random.default_rng(7)
asm = nn.AdaptiveLogSoftmaxWithLoss(8, 10, cutoffs=[3, 6], div_value=2.0, head_bias=True).double()
with torch.no_grad():
    for p in asm.parameters():
        p.copy_(torch.tensor(rng.normal(size=tuple(p.shape)) * 0.5))
print(asm)
print([(n, tuple(p.shape)) for n, p in asm.named_parameters()])
x = torch.tensor(rng.normal(size=(6, 8)), requires_grad=True)
target = torch.tensor([0, 4, 9, 2, 7, 5])
out, loss = asm(x, target)
print(out, loss)
loss.backward()
print(x.grad[1], asm.tail[1][0].weight.grad[0])
print(asm.log_prob(x).exp().sum(1))
print(asm.predict(x))
o1, l1 = asm(x[0], target[0])
print(o1, l1)
# %%
asm(x, torch.tensor([0, 4, 10, 2, 7, 5]))
# %%
nn.AdaptiveLogSoftmaxWithLoss(8, 10, cutoffs=[6, 3])
# %%
asm(x, target[:3])
