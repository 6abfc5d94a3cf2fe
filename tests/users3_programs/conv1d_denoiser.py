# ruff: noqa: F821
import torch
import torch.nn as nn
torch.manual_seed(23)

# a tiny 1-D convolutional denoiser trained on noisy sines
t = torch.linspace(0, 6.2832, 64)
clean = torch.stack([torch.sin(f * t) for f in (1.0, 2.0, 3.0, 0.5)]).unsqueeze(1)
noisy = clean + 0.2 * torch.randn_like(clean)
model = nn.Sequential(
    nn.Conv1d(1, 4, kernel_size=5, padding=2),
    nn.ReLU(),
    nn.Conv1d(4, 4, kernel_size=3, padding=1, dilation=1),
    nn.ReLU(),
    nn.Conv1d(4, 1, kernel_size=5, padding="same"),
)
print(model)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(20):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(noisy), clean)
    loss.backward()
    opt.step()
    if epoch % 5 == 0:
        print(f"epoch {epoch} mse {loss.item():.5f}")
numeric([loss, model[0].weight.grad, model[4].bias])
# %%
model.eval()
with torch.no_grad():
    out = model(noisy)
print(out.shape, out.requires_grad, f"{nn.functional.mse_loss(out, clean).item():.5f}")
pool = nn.MaxPool1d(4)
avg = nn.AvgPool1d(4, stride=2)
print(pool(out).shape, avg(out).shape, nn.AdaptiveAvgPool1d(3)(out).shape)
numeric([pool(out), avg(out)])
