import torch
w1 = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
w2 = torch.tensor([0.5], dtype=torch.float64, requires_grad=True)
out = (w1 * w2).sum() + w1.pow(2).sum()
out.backward(inputs=[w1], retain_graph=True)
print(w1.grad, w2.grad)
out.backward(inputs=w2)
print(w1.grad, w2.grad)
# %%
x = torch.tensor([1.0, -1.0], dtype=torch.float64, requires_grad=True)
h = x * 3
y = h.exp().sum()
y.backward(inputs=[h])
print(h.grad, x.grad)
try:
    (x * 2).sum().backward(inputs=[])
except RuntimeError as e:
    print(type(e).__name__, e)
z = torch.tensor([1.0], requires_grad=True)
try:
    (x * 2).sum().backward(inputs=[z])
    print(z.grad)
except RuntimeError as e:
    print(type(e).__name__, e)
