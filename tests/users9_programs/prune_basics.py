import torch
import torch.nn as nn
import torch.nn.utils.prune as prune
torch.manual_seed(0)
m = nn.Linear(4, 3)
prune.l1_unstructured(m, name="weight", amount=0.5)
print([n for n, _ in m.named_parameters()], [n for n, _ in m.named_buffers()])
print(m.weight_mask)
print((m.weight == 0).sum().item(), prune.is_pruned(m))
m(torch.ones(1, 4)).sum().backward()
print(m.weight_orig.grad)
prune.remove(m, "weight")
print([n for n, _ in m.named_parameters()])
m2 = nn.Linear(3, 3)
prune.random_unstructured(m2, "bias", amount=1)
print(m2.bias)
prune.ln_structured(m2, "weight", amount=0.34, n=2, dim=0)
print(m2.weight_mask)
# %%
import copy
m = nn.Linear(3, 2)
prune.l1_unstructured(m, "weight", amount=2)
print(list(m.state_dict().keys()))
try:
    m2 = copy.deepcopy(m)
    print(type(m2).__name__, torch.equal(m2.weight, m.weight))
except RuntimeError as e:
    print(str(e)[:60])
with torch.no_grad():
    m3 = copy.deepcopy(nn.Linear(1, 1))
print(m3)
m4 = nn.Linear(3, 2)
prune.identity(m4, "weight")
print(m4.load_state_dict(m.state_dict()))
print(m4.weight)
