import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
class MoE(nn.Module):
    def __init__(self, d=4, n_experts=4, k=2):
        super().__init__()
        self.gate = nn.Linear(d, n_experts, bias=False)
        self.experts = nn.ModuleList([nn.Linear(d, d) for _ in range(n_experts)])
        self.k = k
    def forward(self, x):
        logits = self.gate(x)
        probs = F.softmax(logits, dim=-1)
        topv, topi = probs.topk(self.k, dim=-1)
        topv = topv / topv.sum(-1, keepdim=True)
        out = torch.zeros_like(x)
        for e, expert in enumerate(self.experts):
            mask = (topi == e)
            rows = mask.any(-1).nonzero(as_tuple=True)[0]
            if rows.numel() == 0:
                continue
            w = (topv * mask).sum(-1)[rows].unsqueeze(-1)
            out.index_add_(0, rows, w * expert(x[rows]))
        frac = F.one_hot(topi[:, 0], probs.shape[-1]).float().mean(0)
        aux = probs.shape[-1] * (frac * probs.mean(0)).sum()
        return out, aux, topi

moe = MoE()
x = torch.randn(6, 4)
out, aux, topi = moe(x)
print(topi, out.grad_fn, aux)
# %%
(out.pow(2).mean() + 0.01 * aux).backward()
print(moe.gate.weight.grad.round(decimals=4))  # (an entry of ~3e-5 is float32 cancellation noise)
print([e.weight.grad is None for e in moe.experts], moe.experts[0].bias.grad)
# %%
logits = moe.gate(x)
noisy = logits + torch.randn_like(logits) * F.softplus(torch.ones_like(logits))
vals, idx = torch.topk(noisy, 2, dim=1)
sparse = torch.full_like(noisy, float("-inf")).scatter(1, idx, vals)
gates = F.softmax(sparse, dim=1)
print(gates, gates.grad_fn)
gates[:, 0].sum().backward()
print(moe.gate.weight.grad.abs().sum() > 0)
# %%
importance = gates.sum(0)
cv2 = importance.float().var() / (importance.float().mean() ** 2 + 1e-10)
print(importance, cv2)
load = (gates > 0).sum(0)
print(load, load.dtype, load.float().std(unbiased=False))
print(torch.bincount(topi.flatten(), minlength=4), torch.histc(topi.float(), bins=4, min=0, max=3))
# %%
opt = torch.optim.AdamW(moe.parameters(), lr=0.01)
y = torch.randn(6, 4)
for step in range(10):
    opt.zero_grad(set_to_none=True)
    out, aux, topi = moe(x)
    loss = F.mse_loss(out, y) + 0.01 * aux
    loss.backward()
    opt.step()
print(round(loss.item(), 4), topi.tolist())
# %%
torch.zeros(3, 4).index_add_(0, torch.tensor([0, 5]), torch.ones(2, 4))
