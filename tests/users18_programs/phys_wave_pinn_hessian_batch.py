import torch
import torch.nn as nn
from torch.func import functional_call, hessian, vmap, jacrev

torch.manual_seed(3)
class Wave(nn.Module):
    def __init__(self, width=12):
        super().__init__()
        self.l1 = nn.Linear(2, width)
        self.l2 = nn.Linear(width, 1)
    def forward(self, xt):
        return self.l2(torch.sin(self.l1(xt))).squeeze(-1)
    def extra_repr(self):
        return "u(x, t) for u_tt = c^2 u_xx"

model = Wave()
print(model)
params = dict(model.named_parameters())
u = lambda p, xt: functional_call(model, p, (xt,))
xt = torch.rand(5, 2)
H = vmap(hessian(u, argnums=1), in_dims=(None, 0))(params, xt)
print(H.shape)
c = 2.0
res = H[:, 1, 1] - c ** 2 * H[:, 0, 0]
print(res.shape, res.dtype)
# %%
# same second derivatives by nested autograd.grad
x = xt.clone().requires_grad_(True)
out = model(x)
g = torch.autograd.grad(out.sum(), x, create_graph=True)[0]
uxx = torch.autograd.grad(g[:, 0].sum(), x, create_graph=True)[0][:, 0]
utt = torch.autograd.grad(g[:, 1].sum(), x, create_graph=True)[0][:, 1]
print(torch.allclose(uxx, H[:, 0, 0], atol=1e-5), torch.allclose(utt, H[:, 1, 1], atol=1e-5))
loss = (utt - c ** 2 * uxx).pow(2).mean()
loss.backward()
print({k: None if v.grad is None else tuple(v.grad.shape) for k, v in model.named_parameters()})
# %%
J = vmap(jacrev(u, argnums=1), in_dims=(None, 0))(params, xt)
print(J.shape, torch.allclose(J, g.detach(), atol=1e-6))
