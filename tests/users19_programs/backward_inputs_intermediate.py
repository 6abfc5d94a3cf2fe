import torch

# "how do I get the gradient of an intermediate only?" -- backward(inputs=...) vs autograd.grad
x = torch.tensor([1.0, 2.0], requires_grad=True)
h = x * 2
loss = (h * h).sum()
loss.backward(inputs=[h])
print(h.grad, h.retains_grad, x.grad)
# %%
# backward(inputs=[h]) ran h's own node: a second backward through it fails
try:
    (h * 3).sum().backward(inputs=[x])
except RuntimeError as e:
    print(str(e)[:60])
# %%
# autograd.grad only captures the gradient: h's node is left alone
h = x * 2
(g,) = torch.autograd.grad((h * h).sum(), h)
print(g, h.retains_grad, h.grad)
(h * 3).sum().backward()
print(x.grad)
# %%
# later backwards keep accumulating into h.grad (it retains its grad now)
x.grad = None
h = x.exp()
(h * 3).sum().backward(inputs=[h], retain_graph=True)
print(h.grad)
(h * 3).sum().backward()
print(h.grad, x.grad)
# %%
# only the listed leaves accumulate
a = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
b = torch.tensor([3.0, 4.0], dtype=torch.float64, requires_grad=True)
(a * b).sum().backward(inputs=[b])
print(a.grad, b.grad)
c = torch.tensor([1.0, 2.0])
try:
    (a * c).sum().backward(inputs=[c])
except RuntimeError as e:
    print(e)
try:
    (a * c).sum().backward(inputs=[])
except RuntimeError as e:
    print(e)
