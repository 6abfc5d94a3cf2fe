import torch
torch.set_default_dtype(torch.float64)
torch.manual_seed(21)
T, n = 250, 4
mu = torch.tensor([0.0004, 0.0002, 0.0006, 0.0001])
L = torch.tensor([[0.010, 0, 0, 0], [0.004, 0.008, 0, 0], [0.002, 0.001, 0.012, 0], [0.0, 0.002, 0.003, 0.006]])
rets = mu + torch.randn(T, n) @ L.T
logits = torch.zeros(n, requires_grad=True)
opt = torch.optim.Adam([logits], lr=0.1)
for it in range(30):
    w = torch.softmax(logits, 0)
    port = rets @ w
    wealth = torch.cumprod(1 + port, 0)
    peak = torch.cummax(wealth, 0).values
    mdd = ((peak - wealth) / peak).max()
    sharpe = port.mean() / port.std() * 250 ** 0.5
    loss = -sharpe + 2.0 * mdd
    opt.zero_grad(); loss.backward(); opt.step()
    if it % 10 == 9:
        print(f"it {it+1}: sharpe {sharpe.item():.4f} mdd {mdd.item():.4f} w {w.detach()}")
# %%
C = torch.cov(rets.T)
Cw = torch.cov(rets.T, aweights=torch.linspace(0.5, 1.5, T))
Cf = torch.cov(rets.T, correction=0, fweights=torch.randint(1, 3, (T,)))
print(torch.allclose(C, C.T), (Cw - C).abs().max() < 1e-4, Cf.shape)
print(torch.diff(wealth.detach()[:5]), torch.diff(wealth.detach()[:5], n=2), torch.diff(wealth.detach()[:3], prepend=torch.tensor([1.0])))
var = torch.quantile(port.detach(), torch.tensor([0.01, 0.05]), interpolation="lower")
es = port.detach()[port.detach() <= var[1]].mean()
print(var, f"{es.item():.6f}")
# %%
# risk parity by gradient of portfolio volatility
w = torch.full((n,), 0.25, requires_grad=True)
Sig = C.detach()
for it in range(200):
    vol = torch.sqrt(w @ Sig @ w)
    mrc = torch.autograd.grad(vol, w, create_graph=True)[0]
    rc = w * mrc
    loss = ((rc - vol / n) ** 2).sum()
    g, = torch.autograd.grad(loss, w)
    with torch.no_grad():
        w -= 50.0 * g
        w.clamp_(min=1e-6)
        w /= w.sum()
print(w.detach(), (w * torch.autograd.grad(torch.sqrt(w @ Sig @ w), w)[0]).detach())
