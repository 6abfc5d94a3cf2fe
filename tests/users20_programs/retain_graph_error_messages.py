import torch

w = torch.tensor([1.5, -0.5], requires_grad=True)
loss = (w.exp() * w).sum()
loss.backward()
try:
    loss.backward()
except RuntimeError as e:
    print(str(e)[:120])
# %%
loss = (w * 3).sum()
loss.backward()
loss.backward()
print(w.grad)
# %%
h = w.tanh()
l1 = h.sum()
l2 = (h * 2).sum()
l1.backward(retain_graph=True)
l2.backward()
print(w.grad)
try:
    (h ** 2).sum().backward()
except RuntimeError as e:
    print("second:", str(e)[:60])
# %%
s = w.sigmoid()
print(s.grad_fn._saved_result)
s.sum().backward()
try:
    s.grad_fn._saved_result
except RuntimeError as e:
    print(e)
