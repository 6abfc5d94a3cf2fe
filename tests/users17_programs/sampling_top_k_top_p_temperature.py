import torch
import torch.nn.functional as F

torch.manual_seed(0)
def top_k_top_p_filtering(logits, top_k=0, top_p=0.0, filter_value=-float("Inf")):
    top_k = min(top_k, logits.size(-1))
    if top_k > 0:
        indices_to_remove = logits < torch.topk(logits, top_k)[0][..., -1, None]
        logits[indices_to_remove] = filter_value
    if top_p > 0.0:
        sorted_logits, sorted_indices = torch.sort(logits, descending=True)
        cumulative_probs = torch.cumsum(F.softmax(sorted_logits, dim=-1), dim=-1)
        sorted_indices_to_remove = cumulative_probs > top_p
        sorted_indices_to_remove[..., 1:] = sorted_indices_to_remove[..., :-1].clone()
        sorted_indices_to_remove[..., 0] = 0
        indices_to_remove = sorted_indices_to_remove.scatter(1, sorted_indices, sorted_indices_to_remove)
        logits[indices_to_remove] = filter_value
    return logits

logits = torch.randn(2, 8)
print(logits)
f1 = top_k_top_p_filtering(logits.clone(), top_k=3)
print(f1)
f2 = top_k_top_p_filtering(logits.clone(), top_p=0.7)
print(f2, torch.isinf(f2).sum(1))
# %%
probs = F.softmax(f2 / 0.8, dim=-1)
print(probs, probs.sum(-1))
g = torch.Generator().manual_seed(42)
samples = torch.multinomial(probs, num_samples=5, replacement=True, generator=g)
print(samples, samples.dtype)
print(torch.multinomial(probs, 2, generator=g))
# %%
x = torch.tensor([[2.0, 1.0, 0.1, -1.0]], requires_grad=True)
for T in (0.5, 1.0, 2.0):
    p = F.softmax(x / T, -1)
    ent = -(p * p.log()).sum()
    (g_ent,) = torch.autograd.grad(ent, x)
    print(T, p.detach(), f"{ent.item():.4f}", g_ent)
# %%
greedy = logits.argmax(-1, keepdim=True)
print(greedy, torch.gather(F.log_softmax(logits, -1), 1, greedy).squeeze(1))
vals, idx = torch.sort(logits, dim=-1, descending=True, stable=True)
print(idx[:, :3], torch.argsort(logits, dim=-1, descending=True)[:, :3])
# %%
torch.multinomial(torch.tensor([0.0, 0.0]), 1)
# %%
torch.multinomial(torch.tensor([0.5, 0.5]), 3)
