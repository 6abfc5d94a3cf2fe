import torch
from torch import nn
torch.manual_seed(5)
model = nn.Sequential(nn.Linear(4, 8), nn.GELU(), nn.Linear(8, 2))
opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
x = torch.randn(12, 4)
y = torch.randint(0, 2, (12,))
lossf = nn.CrossEntropyLoss(label_smoothing=0.1)
for epoch in range(3):
    opt.zero_grad(set_to_none=True)
    for chunk in range(3):
        xb, yb = x[chunk * 4:(chunk + 1) * 4], y[chunk * 4:(chunk + 1) * 4]
        loss = lossf(model(xb), yb) / 3
        loss.backward()
    norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.5)
    opt.step()
    print(epoch, f"{loss.item():.5f}", f"{norm.item():.5f}")
# %%
nn.utils.clip_grad_value_(model.parameters(), 0.01)
print(max(p.grad.abs().max().item() for p in model.parameters()) <= 0.01)
vec = nn.utils.parameters_to_vector(model.parameters())
print(vec.shape)
nn.utils.vector_to_parameters(torch.zeros_like(vec), model.parameters())
print(model[0].bias)
# %%
print(nn.utils.clip_grad_norm_(model.parameters(), 1.0, norm_type="inf"))
print(nn.utils.get_total_norm([p.grad for p in model.parameters()], norm_type=2.0))
