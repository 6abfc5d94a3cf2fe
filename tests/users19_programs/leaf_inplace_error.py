import torch

# "a leaf Variable that requires grad is being used in an in-place operation"
w = torch.ones(3, requires_grad=True)
try:
    w += 1
except RuntimeError as e:
    print(e)
try:
    w.add_(torch.ones(3))
except RuntimeError as e:
    print(e)
try:
    w[0] = 5.0
except RuntimeError as e:
    print(e)
print(w)
# %%
# views of a leaf complain with their own message
try:
    w[1:].mul_(2)
except RuntimeError as e:
    print(e)
# %%
# answers: no_grad, or .data (which autograd does not see)
with torch.no_grad():
    w += 1
    w[0] = 5.0
print(w, w.is_leaf, w.grad_fn)
w.data.mul_(0.5)
print(w)
# %%
# initialising a parameter in place: nn.init works because it runs under no_grad
p = torch.nn.Parameter(torch.empty(2, 2))
torch.nn.init.constant_(p, 0.25)
print(p)
try:
    p.fill_(1.0)
except RuntimeError as e:
    print(e)
with torch.no_grad():
    p.fill_(1.0)
print(p)
# %%
# in-place on a leaf that does not require grad is fine, and then requiring grad
q = torch.zeros(2, dtype=torch.float64)
q += 3
q.requires_grad_()
(q * q).sum().backward()
print(q.grad)
