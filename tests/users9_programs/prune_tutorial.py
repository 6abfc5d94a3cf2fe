import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.prune as prune

# the pruning tutorial's LeNet, abridged
torch.manual_seed(0)
class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 3, 3)
        self.conv2 = nn.Conv2d(3, 4, 3)
        self.fc1 = nn.Linear(4 * 2 * 2, 6)
        self.fc2 = nn.Linear(6, 2)
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.relu(self.conv2(x))
        return self.fc2(F.relu(self.fc1(x.flatten(1))))

model = LeNet()
module = model.conv1
print(list(module.named_parameters())[0][0], list(module.named_buffers()))
prune.random_unstructured(module, name="weight", amount=0.3)
print([n for n, _ in module.named_parameters()], [n for n, _ in module.named_buffers()])
print(module.weight_mask.sum(), module.weight.grad_fn.name())
prune.l1_unstructured(module, name="bias", amount=1)
print(module.bias)
prune.ln_structured(module, name="weight", amount=0.5, n=2, dim=0)
print(module.weight_mask.sum((1, 2, 3)))
hook = list(module._forward_pre_hooks.values())[-1]
print(type(hook).__name__, [type(h).__name__ for h in hook])
out = model(torch.randn(2, 1, 10, 10))
out.sum().backward()
print(module.weight_orig.grad.ne(0).sum().item(), (module.weight_mask == 0).sum().item())
prune.remove(module, "weight")
print([n for n, _ in module.named_parameters()], (module.weight == 0).sum().item())
# %%
parameters_to_prune = ((model.conv2, "weight"), (model.fc1, "weight"), (model.fc2, "weight"))
prune.global_unstructured(parameters_to_prune, pruning_method=prune.L1Unstructured, amount=0.2)
for m, n in parameters_to_prune:
    print(type(m).__name__, int((getattr(m, n) == 0).sum()), getattr(m, n).nelement())
print(prune.is_pruned(model), prune.is_pruned(nn.Linear(1, 1)))
try:
    prune.l1_unstructured(model.fc2, "weight", amount=1.5)
except ValueError as e:
    print(e)
try:
    prune.remove(model.fc2, "bias")
except ValueError as e:
    print(str(e).split(" of module")[0])
prune.custom_from_mask(model.fc2, "bias", mask=torch.tensor([0.0, 1.0]))
print(model.fc2.bias)
print(prune.L1Unstructured(amount=2).prune(torch.tensor([3.0, -1.0, 0.5, 2.0])))
