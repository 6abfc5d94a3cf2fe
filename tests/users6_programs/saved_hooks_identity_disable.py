import torch
# identity-valued hooks (numpy round trip, cpu copies) leave gradients as they are
x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda t: t.detach().numpy().copy(), lambda a: torch.from_numpy(a)):
    y = (x.sin() * x.cos()).sum()
y.backward()
print(x.grad)
# %%
with torch.autograd.graph.disable_saved_tensors_hooks("no hooks here please"):
    try:
        with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
            pass
    except RuntimeError as e:
        print(type(e).__name__, e)
    try:
        with torch.autograd.graph.save_on_cpu():
            pass
    except RuntimeError as e:
        print(type(e).__name__, e)
print("after")
with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
    print((x * 2).sum().item())
# %%
hooks = torch.autograd.graph.save_on_cpu(pin_memory=True)
print(type(hooks).__name__, isinstance(hooks, torch.autograd.graph.saved_tensors_hooks))
with hooks:
    z = (x.exp() * x).sum()
x.grad = None
z.backward()
print(x.grad)
