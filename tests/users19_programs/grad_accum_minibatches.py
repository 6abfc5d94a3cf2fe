import torch
import torch.nn as nn

# accumulating gradients over micro-batches equals one big batch (when the loss is scaled)
torch.manual_seed(0)
X = torch.randn(8, 3, dtype=torch.float64)
Y = torch.randn(8, 1, dtype=torch.float64)
model = nn.Linear(3, 1).double()
loss_fn = nn.MSELoss()
model.zero_grad()
loss_fn(model(X), Y).backward()
full = model.weight.grad.clone()
# %%
model.zero_grad()
steps = 4
for i in range(steps):
    xb, yb = X[2 * i:2 * i + 2], Y[2 * i:2 * i + 2]
    loss = loss_fn(model(xb), yb) / steps
    loss.backward()
print(torch.allclose(full, model.weight.grad))
# %%
# forgetting to divide by the number of accumulation steps
model.zero_grad()
for i in range(steps):
    loss_fn(model(X[2 * i:2 * i + 2]), Y[2 * i:2 * i + 2]).backward()
print(torch.allclose(full * steps, model.weight.grad))
# %%
# the optimizer steps every `steps` batches
opt = torch.optim.SGD(model.parameters(), lr=0.1)
opt.zero_grad()
for i in range(8):
    loss = loss_fn(model(X[i:i + 1]), Y[i:i + 1]) / 4
    loss.backward()
    if (i + 1) % 4 == 0:
        opt.step()
        opt.zero_grad()
        print(i, model.weight.grad, [round(v, 6) for v in model.weight.detach().view(-1).tolist()])
# %%
# forgetting zero_grad: the second epoch's gradient includes the first's
w = torch.tensor([1.0], requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
for epoch in range(3):
    loss = (w * 2 - 1) ** 2
    loss.sum().backward()
    print(epoch, w.grad.item())
    opt.step()
print(w)
