import torch
from torch.func import grad, vmap, jacrev, jacfwd, hessian, vjp, jvp, functional_call

x = torch.randn([])
cos_x = grad(lambda x: torch.sin(x))(x)
assert torch.allclose(cos_x, x.cos())
neg_sin_x = grad(grad(lambda x: torch.sin(x)))(x)
assert torch.allclose(neg_sin_x, -x.sin())
print("grad ok")
# %%
torch.manual_seed(0)
batch_size, feature_size = 3, 5
weights = torch.randn(feature_size, requires_grad=True)
def model(feature_vec):
    assert feature_vec.dim() == 1
    return feature_vec.dot(weights).relu()
examples = torch.randn(batch_size, feature_size)
result = vmap(model)(examples)
print(result.detach(), result.requires_grad)
# %%
def compute_loss(weights, example, target):
    y = example.dot(weights)
    return ((y - target) ** 2).mean()
targets = torch.randn(batch_size)
inputs = (weights, examples, targets)
grad_weight_per_example = vmap(grad(compute_loss), in_dims=(None, 0, 0))(*inputs)
print(grad_weight_per_example.shape)
print(grad_weight_per_example.detach())
# %%
x = torch.randn(5)
jacobian = jacrev(torch.sin)(x)
expected = torch.diag(torch.cos(x))
assert torch.allclose(jacobian, expected)
print(torch.allclose(jacfwd(torch.sin)(x), expected))
print(hessian(torch.sin)(torch.tensor(0.5)))
_, vjp_fn = vjp(torch.sin, x)
print(torch.allclose(vjp_fn(torch.ones(5))[0], x.cos()))
print(torch.allclose(jvp(torch.sin, (x,), (torch.ones(5),))[1], x.cos()))
# %%
net = torch.nn.Linear(3, 1)
params = {k: v.detach() for k, v in net.named_parameters()}
def loss_fn(p, xb, yb):
    return ((functional_call(net, p, (xb,)) - yb) ** 2).mean()
xb, yb = torch.randn(8, 3), torch.randn(8, 1)
g = grad(loss_fn)(params, xb, yb)
print({k: v.shape for k, v in g.items()})
try:
    grad(lambda v: v)(torch.randn(3))
except RuntimeError as e:
    print(e)
try:
    vmap(torch.sum, in_dims=1)(torch.randn(3))
except ValueError as e:
    print(e)
