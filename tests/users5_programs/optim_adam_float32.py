import torch
torch.manual_seed(7)
w = torch.randn(5, 3, requires_grad=True)
b = torch.zeros(3, requires_grad=True)
opt = torch.optim.Adam([w, b], lr=0.01)
x = torch.randn(20, 5)
y = torch.randn(20, 3)
for i in range(12):
    opt.zero_grad()
    loss = ((x @ w + b - y) ** 2).mean()
    loss.backward()
    opt.step()
numeric(w)
numeric(b)
print(opt.state[w]["step"])
# %%
opt = torch.optim.AdamW([w], lr=0.003, weight_decay=0.1, amsgrad=True)
for i in range(6):
    opt.zero_grad()
    ((x @ w - y) ** 2).mean().backward()
    opt.step()
numeric(w)
