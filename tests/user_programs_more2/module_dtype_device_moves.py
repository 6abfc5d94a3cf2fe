import torch
import torch.nn as nn
torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = nn.Sequential(nn.Linear(2, 3), nn.SiLU(), nn.Linear(3, 1)).to(device)
print(device, next(model.parameters()).device, next(model.parameters()).dtype)
model = model.double()
print({p.dtype for p in model.parameters()})
x = torch.randn(4, 2, device=device, dtype=torch.float64)
print(model(x).dtype)
model.to(torch.float32)
print(model[0].weight.dtype, model[0].weight.requires_grad, model[0].weight.is_leaf)
print(model)
print(sum(p.numel() for p in model.parameters() if p.requires_grad))
print([name for name, _ in model.named_modules()], len(list(model.children())))
# %%
torch.set_default_dtype(torch.float64)
lin = nn.Linear(2, 2)
print(lin.weight.dtype, torch.tensor(1.5).dtype, torch.arange(3.0).dtype, torch.tensor(2).dtype)
print(torch.zeros(2).dtype, torch.randn(2).dtype, torch.get_default_dtype())
print((torch.ones(2, dtype=torch.float32) + torch.tensor(1.0)).dtype)
torch.set_default_dtype(torch.float32)
# %%
# the model's outputs under eval and no_grad vs forgetting no_grad
model.eval()
out = model(torch.ones(1, 2))
print(out.requires_grad, out.grad_fn.name())
with torch.no_grad():
    out2 = model(torch.ones(1, 2))
print(out2.requires_grad, out2.grad_fn)
@torch.no_grad()
def evaluate(m, inp):
    return m(inp)
print(evaluate(model, torch.ones(1, 2)).requires_grad, torch.is_grad_enabled())
print(out.item() == out2.item(), f"{out.item():.6f}")
