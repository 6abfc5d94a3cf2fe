import torch
w = torch.tensor([1.0, 2.0], requires_grad=True)
for i in range(3):
    loss = (w ** 2).sum()
    loss.backward()
    with torch.no_grad():
        w.sub_(0.1 * w.grad)
        w.grad.zero_()
print(w, w.grad, w.is_leaf, w.requires_grad)
w.data = torch.tensor([5.0, 6.0])
print(w)
w2 = w.detach().requires_grad_()
print(w2.is_leaf)
with torch.enable_grad():
    print((w * 2).requires_grad)
with torch.set_grad_enabled(False):
    print((w * 2).requires_grad)
@torch.no_grad()
def f(x):
    return x * 2
print(f(w).requires_grad)
with torch.inference_mode():
    print((w * 3).requires_grad)
print(torch.is_grad_enabled())
