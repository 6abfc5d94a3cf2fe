import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(32, 4)
y = X.sum(1, keepdim=True).tanh()
model = nn.Sequential(nn.Linear(4, 8), nn.SiLU(), nn.Linear(8, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
history = []
for epoch in range(1, 31):
    opt.zero_grad()
    loss = nn.functional.smooth_l1_loss(model(X), y, beta=0.5)
    loss.backward()
    gn = nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    history.append(loss.item())
    if epoch % 10 == 0:
        print(f"Epoch [{epoch}/30], Loss: {loss.item():.4f}, grad norm {gn:.3f}")
        print("epoch %d loss %.5f" % (epoch, loss))
        print("loss", loss, "detached", loss.detach(), "data", loss.data)
print(min(history) == history[-1], len(history))
# %%
with torch.no_grad():
    pred = model(X[:3])
print(pred)
numeric(pred.squeeze().tolist())
print(pred.numpy().shape, type(pred.numpy()).__name__)
print(torch.round(pred * 100) / 100)
print(pred.round(decimals=2))
print(f"{pred.mean():.3e}", f"{pred.std():10.4f}|", f"{pred.sum().item():+.2f}")
for name, p in model.named_parameters():
    print(f"{name:12s} {str(tuple(p.shape)):10s} mean={p.mean():.4f} requires_grad={p.requires_grad}")
