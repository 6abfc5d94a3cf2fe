import torch

# the asker's loop: w = w - lr * w.grad
torch.manual_seed(1)
X = torch.randn(8, 2)
y = X @ torch.tensor([2.0, -3.0]) + 1.0
w = torch.zeros(2, requires_grad=True)
lr = 0.1
for step in range(2):
    loss = ((X @ w - y) ** 2).mean()
    loss.backward()
    print(step, round(loss.item(), 4), w.is_leaf)
    w = w - lr * w.grad
# %%
# second iteration: w is no longer a leaf, so w.grad is None
print(w.grad_fn)
print(w.grad)
# %%
# answer: update in place under no_grad and zero the grad
w = torch.zeros(2, requires_grad=True)
b = torch.zeros((), requires_grad=True)
for step in range(5):
    loss = ((X @ w + b - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    print(step, f"{loss.item():.4f}", w.is_leaf, w.requires_grad)
print(w, b)
# %%
# a second answer: rebuild a leaf each step with detach().requires_grad_()
w = torch.zeros(2, requires_grad=True)
for step in range(3):
    loss = ((X @ w - y) ** 2).mean()
    (g,) = torch.autograd.grad(loss, w)
    w = (w - lr * g).detach().requires_grad_()
print(w, w.is_leaf)
