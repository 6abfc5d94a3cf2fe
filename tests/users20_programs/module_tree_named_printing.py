import torch
import torch.nn as nn

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.heads = nn.ModuleDict({"cls": nn.Linear(4, 2), "reg": nn.Linear(4, 1)})
        self.scales = nn.ParameterList([nn.Parameter(torch.ones(1)), nn.Parameter(torch.zeros(2))])
        self.register_buffer("steps", torch.tensor(0))
        self.register_buffer("cache", torch.zeros(2), persistent=False)

model = nn.Sequential(nn.Sequential(nn.Linear(3, 4), nn.Tanh()), Block())
print(model)
# %%
for name, p in model.named_parameters():
    print(name, tuple(p.shape), p.requires_grad)
print([n for n, _ in model.named_buffers()], list(model.state_dict().keys())[-1])
# %%
for name, mod in model.named_modules():
    print(repr(name), type(mod).__name__)
print([type(c).__name__ for c in model.children()])
print(model[1].scales)
# %%
model[0][0].weight.requires_grad_(False)
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
total = sum(p.numel() for p in model.parameters())
print(trainable, total)
print(model.get_submodule("1.heads.reg"), model.get_parameter("1.scales.1"))
