import torch

# collecting per-step losses into a tensor the beginner way
w = torch.tensor([0.5, -1.0], requires_grad=True)
losses = []
for step in range(3):
    loss = ((w - step) ** 2).sum()
    losses.append(loss)
history = torch.tensor(losses)
print(history, history.requires_grad)
# %%
# mixing numbers and tensors, nested rows
row = torch.tensor([w[0], 1.0, w[1]])
grid = torch.tensor([[w[0], w[1]], [w[1], w[0]]])
print(row, grid)
print(torch.tensor([w[0].detach(), w[1].item()]))
with torch.no_grad():
    print(torch.tensor([w[0], w[1]]))
# %%
print(torch.stack(losses), torch.stack(losses).grad_fn.name())
print(torch.tensor([l.item() for l in losses]))
