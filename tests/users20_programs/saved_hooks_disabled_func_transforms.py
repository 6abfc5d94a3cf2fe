import torch

# a library refusing saved-tensor hooks, and torch.func's reverse transforms doing the same
x = torch.tensor([0.5, 1.5], requires_grad=True)
with torch.autograd.graph.disable_saved_tensors_hooks("this feature does not work with hooks"):
    y = (x.sin() * x).sum()
    try:
        with torch.autograd.graph.save_on_cpu():
            pass
    except RuntimeError as e:
        print(e)
y.backward()
print(x.grad)
# %%
with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
    try:
        with torch.autograd.graph.disable_saved_tensors_hooks("no hooks allowed"):
            pass
    except RuntimeError as e:
        print(e)
# %%
f = lambda v: (v.exp() * v).sum()
v = torch.tensor([0.1, -0.2])
with torch.autograd.graph.save_on_cpu():
    for name, fn in [("grad", lambda: torch.func.grad(f)(v)), ("jacrev", lambda: torch.func.jacrev(f)(v)),
                     ("jacfwd", lambda: torch.func.jacfwd(f)(v)), ("vjp", lambda: torch.func.vjp(f, v)[0])]:
        try:
            print(name, fn())
        except RuntimeError as e:
            print(name, "->", e)
# %%
print(torch.func.grad(f)(v), torch.autograd.functional.jacobian(f, v))
with torch.autograd.graph.save_on_cpu():
    print(torch.autograd.functional.jacobian(f, v))
