import numpy as np
import torch
rng = np.random.default_rng(1)
X = torch.tensor(rng.normal(size=(20, 3)), dtype=torch.float32)
true_w = torch.tensor([[2.0], [-3.4], [1.5]])
y = X @ true_w + 4.2 + 0.01 * torch.tensor(rng.normal(size=(20, 1)), dtype=torch.float32)
w = torch.zeros(3, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.1
for epoch in range(30):
    y_hat = torch.matmul(X, w) + b
    loss = ((y_hat - y) ** 2 / 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    if epoch % 10 == 9:
        print(f'epoch {epoch + 1}, loss {loss:.5f}')     # (X @ w's float32 last bit is the BLAS build's)
        print(f"epoch {epoch + 1}: loss={loss.item():.4f}")
print(f'error in estimating w: {true_w - w.reshape(true_w.shape)}')
print(f'error in estimating b: {4.2 - b}')
print(w.grad, b.grad, w.is_leaf, w.requires_grad)
# %%
# the old-style w.data update, and .grad = None between steps
w = torch.zeros(3, requires_grad=True)
for step in range(5):
    loss = ((X @ w - y.squeeze()) ** 2).sum()
    loss.backward()
    w.data = w.data - 0.005 * w.grad.data
    w.grad = None
    print(step, round(loss.item(), 3), w)
print(w.grad)
# %%
# forgetting to zero the grad: gradients accumulate
w = torch.tensor([1.0, 1.0], requires_grad=True)
for i in range(3):
    loss = (w ** 2).sum()
    loss.backward()
    print(i, w.grad)
with torch.no_grad():
    w.sub_(0.1 * w.grad)
print(w, w.grad_fn, w.grad.requires_grad)
# %%
# update without no_grad: the error users hit
w = torch.tensor([1.0, 2.0], requires_grad=True)
(w ** 2).sum().backward()
w -= 0.1 * w.grad
# %%
w = w - 0.1 * w.grad
print(w, w.is_leaf)
(w ** 2).sum().backward()
print(w.grad)
