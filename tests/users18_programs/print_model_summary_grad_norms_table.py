import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv1d(1, 4, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
    nn.Flatten(), nn.Linear(4 * 16, 16), nn.LayerNorm(16), nn.GELU(), nn.Linear(16, 3))
print(model)
total = 0
print(f"{'name':<12}{'shape':<18}{'numel':>8}{'trainable':>10}")
for name, p in model.named_parameters():
    total += p.numel()
    print(f"{name:<12}{str(tuple(p.shape)):<18}{p.numel():>8}{str(p.requires_grad):>10}")
print("total", total, f"{total * 4 / 1024:.2f} KiB")
# %%
x = torch.randn(8, 1, 32)
y = torch.randint(0, 3, (8,))
shapes = []
hooks = [m.register_forward_hook(lambda m, i, o: shapes.append((type(m).__name__, tuple(o.shape)))) for m in model]
out = model(x)
for h in hooks:
    h.remove()
for s in shapes:
    print(s)
loss = nn.functional.cross_entropy(out, y)
loss.backward()
print(f"loss {loss.item():.4f}")
for name, p in model.named_parameters():
    print(f"{name:<12} grad norm {p.grad.norm().item():.4f}  max {p.grad.abs().max().item():.4f}")
# %%
norms = torch.stack([p.grad.norm() for p in model.parameters()])
print(norms.shape, f"{norms.norm().item():.4f}")
clipped = nn.utils.clip_grad_norm_(model.parameters(), 0.5)
print(f"{clipped.item():.4f}", f"{torch.stack([p.grad.norm() for p in model.parameters()]).norm().item():.4f}")
print(model[0].weight.grad[0, 0])
print(model[5].weight.grad[:4], model[5].bias.grad[:4], sep="\n")
with torch.no_grad():
    print(model(x[:2]).softmax(-1))
print(model.training, model[0].weight.dtype, next(model.parameters()).device)
