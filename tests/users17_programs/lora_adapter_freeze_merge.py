import math
import torch
import torch.nn as nn

torch.manual_seed(0)
class LoRALinear(nn.Module):
    def __init__(self, base: nn.Linear, r=2, alpha=4):
        super().__init__()
        self.base = base
        self.base.weight.requires_grad_(False)
        if self.base.bias is not None:
            self.base.bias.requires_grad_(False)
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.scaling = alpha / r
    def forward(self, x):
        return self.base(x) + (x @ self.lora_A.T @ self.lora_B.T) * self.scaling
    def merge(self):
        with torch.no_grad():
            self.base.weight += (self.lora_B @ self.lora_A) * self.scaling

model = nn.Sequential(nn.Linear(5, 8), nn.GELU(), nn.Linear(8, 3))
model[0] = LoRALinear(model[0])
model[2] = LoRALinear(model[2], r=1, alpha=1)
trainable = [n for n, p in model.named_parameters() if p.requires_grad]
print(trainable)
print(sum(p.numel() for p in model.parameters() if p.requires_grad), sum(p.numel() for p in model.parameters()))
# %%
x, y = torch.randn(10, 5), torch.randint(0, 3, (10,))
opt = torch.optim.AdamW((p for p in model.parameters() if p.requires_grad), lr=1e-2, weight_decay=0.0)
base_before = model[0].base.weight.clone()
for step in range(10):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    if step % 3 == 0:
        print(step, f"{loss.item():.5f}", model[0].lora_B.grad.abs().sum() > 0)
print(torch.equal(base_before, model[0].base.weight), model[0].base.weight.grad)
# %%
with torch.no_grad():
    before = model(x)
model[0].merge(); model[2].merge()
for m in (model[0], model[2]):
    nn.init.zeros_(m.lora_B)
with torch.no_grad():
    after = model(x)
print(torch.allclose(before, after, atol=1e-5), after.requires_grad)
print(model[0].base.weight.requires_grad, model[0].base.weight.is_leaf)
# %%
sd = {k: v for k, v in model.state_dict().items() if "lora_" in k}
print(sorted(sd), sd["0.lora_A"].shape)
missing, unexpected = model.load_state_dict(sd, strict=False)
print(len(missing), unexpected)
model.requires_grad_(False)
print(any(p.requires_grad for p in model.parameters()))
# %%
loss = nn.functional.cross_entropy(model(x), y)
loss.backward()
