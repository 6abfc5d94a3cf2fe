import torch

x = torch.tensor([1.0, 2.0], requires_grad=True)

@torch.no_grad()
def evaluate(v):
    return v * 2

@torch.enable_grad()
def train_step(v):
    return v * 2

print(evaluate(x).requires_grad, train_step(x).requires_grad)
with torch.no_grad():
    print(train_step(x).requires_grad, torch.is_grad_enabled())
    with torch.enable_grad():
        print((x * 3).requires_grad)
# %%
@torch.set_grad_enabled(False)
def frozen(v):
    return v + 1

print(frozen(x).requires_grad, torch.is_grad_enabled())
with torch.set_grad_enabled(False):
    print((x + 1).requires_grad)
torch.set_grad_enabled(False)
print((x + 1).requires_grad)
torch.set_grad_enabled(True)
print((x + 1).requires_grad)
# %%
with torch.inference_mode():
    y = x * 2
print(y.requires_grad, y.is_inference(), x.is_inference(), torch.is_inference_mode_enabled())
try:
    (y * x).sum().backward()
except RuntimeError as e:
    print(e)
@torch.inference_mode()
def predict(v):
    return v.exp()
print(predict(x).is_inference())
with torch.inference_mode(mode=False):
    print((x * 2).requires_grad)
