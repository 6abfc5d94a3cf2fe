import torch
import torch.nn as nn
import torch.nn.utils.prune as prune

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 2))
lin = model[0]
prune.l1_unstructured(lin, name="weight", amount=0.5)
print([n for n, _ in lin.named_parameters()], [n for n, _ in lin.named_buffers()])
print(lin.weight_mask, lin.weight_mask.dtype)
print([type(h).__name__ for h in lin._forward_pre_hooks.values()])  # (the keys are a process-wide handle counter)
print(int(lin.weight_mask.sum()), lin.weight.grad_fn)
# %%
x = torch.randn(5, 4)
out = model(x).sum()
out.backward()
print(lin.weight_orig.grad)
print((lin.weight_orig.grad * (1 - lin.weight_mask)).abs().sum())
# %%
prune.random_unstructured(model[2], name="bias", amount=1)
print(model[2].bias, model[2].bias_mask)
prune.ln_structured(lin, name="weight", amount=0.34, n=2, dim=0)
print(lin.weight_mask.sum(1))
print(type(lin._forward_pre_hooks[next(iter(lin._forward_pre_hooks))]).__name__)
# %%
prune.remove(lin, "weight")
print([n for n, _ in lin.named_parameters()], hasattr(lin, "weight_mask"), lin.weight.requires_grad)
print((lin.weight == 0).sum())
print(list(model.state_dict().keys()))
# %%
parameters_to_prune = ((model[0], "bias"), (model[2], "weight"))
prune.global_unstructured(parameters_to_prune, pruning_method=prune.L1Unstructured, amount=4)
print(model[0].bias_mask, model[2].weight_mask.sum())
print(prune.is_pruned(model), prune.is_pruned(nn.Linear(2, 2)))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(3):
    opt.zero_grad()
    model(x).pow(2).mean().backward()
    opt.step()
print((model[2].weight == 0).sum(), model[2].weight_orig.grad.shape)
# %%
prune.l1_unstructured(lin, name="weight", amount=1.5)
# %%
prune.remove(nn.Linear(2, 2), "weight")
