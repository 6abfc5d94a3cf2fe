import torch

# inference_mode vs no_grad: what the outputs can be used for afterwards
w = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    a = w * 2
with torch.inference_mode():
    b = w * 2
print(a.requires_grad, b.requires_grad, a.is_inference(), b.is_inference())
print(torch.is_inference_mode_enabled())
# %%
# a no_grad result can be used in a later graph; it is a constant there
(a * w).sum().backward()
print(w.grad)
# %%
# an inference tensor cannot be saved for backward
w.grad = None
try:
    (b * w).sum().backward()
except RuntimeError as e:
    print(e)
# %%
# answer: clone it outside inference mode
c = b.clone()
print(c.is_inference())
(c * w).sum().backward()
print(w.grad)
# %%
# evaluation loops: the usual pattern
model = torch.nn.Linear(2, 1)
with torch.inference_mode():
    preds = model(torch.ones(3, 2))
print(preds.requires_grad, preds.shape)
