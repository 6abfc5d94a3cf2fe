import torch
from torch.func import vmap

torch.manual_seed(0)
def noisy(x):
    return x + torch.randn(())
try:
    vmap(noisy)(torch.zeros(3))
except RuntimeError as e:
    print(e)
same = vmap(noisy, randomness="same")(torch.zeros(3))
print(same[0] == same[1], same.shape)
diff = vmap(noisy, randomness="different")(torch.zeros(3))
print(diff.shape, (diff[0] != diff[1]).item())
# %%
def f(x, y):
    return x @ y
print(vmap(f, in_dims=(0, None))(torch.ones(4, 2, 3), torch.ones(3)).shape)
print(vmap(vmap(torch.dot))(torch.ones(2, 3, 4), torch.ones(2, 3, 4)))
try:
    vmap(f)(torch.ones(4, 3), torch.ones(5, 3))
except ValueError as e:
    print(e)
try:
    vmap(lambda t: t.item())(torch.ones(3))
except RuntimeError as e:
    print(e)
print(vmap(lambda t: (t.sum(), t * 2), out_dims=(0, 1))(torch.ones(2, 3))[1].shape)
