import torch
import torch.nn.functional as F

torch.manual_seed(0)
T = 5
causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
window = torch.triu(causal, diagonal=-1)
print(window.int())
q = torch.randn(1, T, 4, requires_grad=True)
k = torch.randn(1, T, 4)
scores = q @ k.transpose(-2, -1) / 2.0
att = scores.masked_fill(~window, float("-inf")).softmax(-1)
print(att[0].round(decimals=4))
att.sum().backward()
print(q.grad.abs().max() < 1e-5, q.grad.shape)
# %%
pad = torch.tensor([[True, True, False, False, False]])
m = pad[:, None, :] & causal
s = torch.randn(1, T, T, requires_grad=True)
w = s.masked_fill(~m, float("-inf")).softmax(-1)
print(w[0])
w.nan_to_num(0.0).sum().backward()
print(s.grad[0].abs().max() < 1e-6, torch.isnan(s.grad).any())  # (the exact gradient is 0: rounding noise)
# %%
safe = torch.where(m.any(-1, keepdim=True), s.masked_fill(~m, float("-inf")), torch.zeros(()))
w2 = safe.softmax(-1)
print(w2[0, 2:], torch.isnan(w2).any())
print(F.scaled_dot_product_attention(q, k, k, attn_mask=window).shape)
out = F.scaled_dot_product_attention(q.detach(), k, k, is_causal=True)
manual = torch.softmax((q.detach() @ k.transpose(-2, -1)) / 2.0 + torch.zeros(T, T).masked_fill(~causal, float("-inf")), -1) @ k
print(torch.allclose(out, manual, atol=1e-6))
# %%
print(torch.triu(torch.ones(3, 4), diagonal=2), torch.tril(torch.ones(3, 4), diagonal=-1))
print(torch.ones(2, 3).tril_(), torch.full((3, 3), float("-inf")).triu(1))
print(torch.tril_indices(3, 3), torch.triu_indices(3, 4, offset=1))
# %%
scores.masked_fill(window, 0.0).masked_fill_(window.float(), 1.0)
