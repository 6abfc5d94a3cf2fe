import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
for op in ("add_", "mul_", "zero_", "fill_"):
    try:
        if op in ("zero_",):
            getattr(w, op)()
        else:
            getattr(w, op)(1.0)
    except RuntimeError as e:
        print(op, "->", e)
# %%
try:
    w[0] = 5.0
except RuntimeError as e:
    print(e)
try:
    w += 1
except RuntimeError as e:
    print(e)
# %%
v = w[:1]
try:
    v.mul_(2)
except RuntimeError as e:
    print(e)
with torch.no_grad():
    w.mul_(2)
    w[1] = 7.0
print(w, w.requires_grad, w.is_leaf)
# %%
p = torch.nn.Parameter(torch.ones(2))
try:
    p.sub_(0.1)
except RuntimeError as e:
    print(e)
p.data.sub_(0.1)
print(p)
