import torch
from torch.autograd.functional import jacobian, hessian, vjp, jvp, hvp, vhp

def exp_reducer(x):
    return x.exp().sum(dim=1)
inputs = torch.tensor([[0.1, 0.2], [0.3, -0.4]])
print(jacobian(exp_reducer, inputs))
print(jacobian(exp_reducer, inputs, create_graph=True))
print(jacobian(exp_reducer, inputs, vectorize=True))
print(jacobian(exp_reducer, inputs, vectorize=True, strategy="forward-mode"))
# %%
def exp_adder(x, y):
    return 2 * x.exp() + 3 * y
inputs = (torch.tensor([0.5, -0.1]), torch.tensor([1.0, 2.0]))
jacobian(exp_adder, inputs)
# %%
def pow_reducer(x):
    return x.pow(3).sum()
inputs = torch.tensor([[0.5, 1.0], [-1.5, 2.0]])
hessian(pow_reducer, inputs)
# %%
hessian(pow_reducer, inputs, create_graph=True)
# %%
def pow_adder_reducer(x, y):
    return (2 * x.pow(2) + 3 * y.pow(2)).sum()
inputs = (torch.tensor([0.5, 1.0]), torch.tensor([-1.0, 0.25]))
hessian(pow_adder_reducer, inputs)
# %%
numeric([[h.detach() for h in row] for row in
         hessian(pow_adder_reducer, inputs, vectorize=True, outer_jacobian_strategy="forward-mode")])
# %%
def exp_reducer(x):
    return x.exp().sum(dim=1)
inputs = torch.tensor([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [-0.1, -0.2, -0.3, -0.4], [1., 0., 1., 0.]])
v = torch.ones(4)
vjp(exp_reducer, inputs, v)
# %%
vjp(exp_reducer, inputs, v, create_graph=True)
# %%
def adder(x, y):
    return 2 * x + 3 * y
inputs = (torch.tensor([0.1, 0.2]), torch.tensor([0.3, 0.4]))
v = torch.ones(2)
vjp(adder, inputs, v)
# %%
def exp_reducer(x):
    return x.exp().sum(dim=1)
inputs = torch.tensor([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [-0.1, -0.2, -0.3, -0.4], [1., 0., 1., 0.]])
v = torch.ones(4, 4)
jvp(exp_reducer, inputs, v)
# %%
numeric(jvp(exp_reducer, inputs, v, create_graph=True))
# %%
def adder(x, y):
    return 2 * x + 3 * y
inputs = (torch.tensor([0.1, 0.2]), torch.tensor([0.3, 0.4]))
v = (torch.ones(2), torch.ones(2))
jvp(adder, inputs, v)
# %%
def pow_reducer(x):
    return x.pow(3).sum()
inputs = torch.tensor([[0.5, 1.0], [-1.5, 2.0]])
v = torch.ones(2, 2)
print(vhp(pow_reducer, inputs, v))
print(vhp(pow_reducer, inputs, v, create_graph=True))
def pow_adder_reducer(x, y):
    return (2 * x.pow(2) + 3 * y.pow(2)).sum()
inputs = (torch.tensor([0.5, 1.0]), torch.tensor([-1.0, 0.25]))
v = (torch.zeros(2), torch.ones(2))
print(vhp(pow_adder_reducer, inputs, v))
print(hvp(pow_adder_reducer, inputs, v))
# %%
jacobian(lambda x: x.sum(), torch.ones(2), strategy="forward-mode", vectorize=True)
# %%
jacobian(lambda x: x * 2, torch.ones(2), strategy="sideways")
# %%
vjp(lambda x: x * 2, torch.ones(2))
# %%
hessian(lambda x: x * 2, torch.ones(2))
# %%
jacobian(lambda x: torch.ones(2), torch.ones(2))
# %%
jacobian(lambda x: torch.ones(2), torch.ones(2), strict=True)
