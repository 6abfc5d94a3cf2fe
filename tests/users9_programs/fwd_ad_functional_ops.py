import torch
import torch.autograd.forward_ad as fwAD
import torch.nn.functional as F

torch.manual_seed(3)
x = torch.randn(2, 5)
v = torch.randn(2, 5)
w = torch.randn(4, 5)
with fwAD.dual_level():
    dx = fwAD.make_dual(x, v)
    for name, fn in [("relu", F.relu), ("gelu", F.gelu), ("silu", F.silu), ("softplus", F.softplus),
                     ("elu", F.elu), ("leaky", lambda t: F.leaky_relu(t, 0.1)),
                     ("softmax", lambda t: F.softmax(t, dim=-1)), ("logsm", lambda t: F.log_softmax(t, dim=1)),
                     ("linear", lambda t: F.linear(t, w)), ("layer_norm", lambda t: F.layer_norm(t, (5,))),
                     ("normalize", lambda t: F.normalize(t, dim=1)), ("tanh", torch.tanh),
                     ("dropout_eval", lambda t: F.dropout(t, 0.5, training=False))]:
        out = fn(dx)
        p, t = fwAD.unpack_dual(out)
        print(name, t.shape)
        print(t)
# %%
with fwAD.dual_level():
    dx = fwAD.make_dual(x, v)
    loss = F.mse_loss(dx, torch.zeros(2, 5))
    print(fwAD.unpack_dual(loss).tangent)
    ce = F.cross_entropy(dx, torch.tensor([1, 3]))
    print(fwAD.unpack_dual(ce))
