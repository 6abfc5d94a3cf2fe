import torch

# "memory keeps growing": appending the loss tensor keeps every graph alive
torch.manual_seed(0)
model = torch.nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
X = torch.randn(6, 3)
y = torch.randn(6, 1)
history = []
for epoch in range(3):
    opt.zero_grad()
    loss = torch.nn.functional.mse_loss(model(X), y)
    loss.backward()
    opt.step()
    history.append(loss)
print(history)
total = sum(history)
print(total)
# %%
# answer: store loss.item() (a Python float) or loss.detach()
history = []
detached = []
for epoch in range(3):
    opt.zero_grad()
    loss = torch.nn.functional.mse_loss(model(X), y)
    loss.backward()
    opt.step()
    history.append(loss.item())
    detached.append(loss.detach())
print([round(h, 5) for h in history])
print(torch.stack(detached))
# %%
# running loss with += on a tensor builds a graph too
running = 0.0
for epoch in range(2):
    loss = torch.nn.functional.mse_loss(model(X), y)
    running += loss
print(type(running).__name__, running.grad_fn)
running = 0.0
for epoch in range(2):
    loss = torch.nn.functional.mse_loss(model(X), y)
    running += loss.item()
print(type(running).__name__, round(running, 5))
