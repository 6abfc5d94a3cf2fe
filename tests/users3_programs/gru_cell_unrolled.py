# ruff: noqa: F821  (numeric() is defined by the harness, tests/conftest.py)
import torch
import torch.nn as nn
torch.manual_seed(0)

# a GRU cell unrolled by hand over a short sine sequence, predicting the next value
cell = nn.GRUCell(1, 8)
head = nn.Linear(8, 1)
print(cell)
print([tuple(p.shape) for p in cell.parameters()])
t = torch.linspace(0, 6.28, 21)
seq = torch.sin(t).unsqueeze(-1)
opt = torch.optim.Adam(list(cell.parameters()) + list(head.parameters()), lr=0.02)
for epoch in range(30):
    h = torch.zeros(1, 8)
    loss = 0.0
    for i in range(seq.shape[0] - 1):
        h = cell(seq[i:i + 1], h)
        loss = loss + (head(h) - seq[i + 1]).pow(2).mean()
    loss = loss / (seq.shape[0] - 1)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if epoch % 10 == 0:
        print(f"epoch {epoch} loss {loss.item():.4f}")
print(h.shape, h.grad_fn is not None)
numeric([loss, cell.weight_ih.grad, cell.bias_hh.grad, head.weight])
# %%
with torch.no_grad():
    h = torch.zeros(1, 8)
    preds = []
    for i in range(5):
        h = cell(seq[i:i + 1], h)
        preds.append(head(h).item())
print(len(preds), h.requires_grad)
numeric(preds)
