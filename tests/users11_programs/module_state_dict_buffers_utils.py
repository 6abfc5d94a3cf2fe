import torch
import torch.nn as nn
from collections import OrderedDict
torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(OrderedDict([("fc", nn.Linear(3, 4)), ("bn", nn.BatchNorm1d(4)), ("act", nn.ReLU())]))
        self.head = nn.Linear(4, 2)
        self.register_buffer("scale", torch.tensor(2.0))
        self.register_buffer("cache", torch.zeros(2), persistent=False)
        self.alpha = nn.Parameter(torch.ones(1))

    def forward(self, x):
        return self.head(self.encoder(x)) * self.scale * self.alpha

    def extra_repr(self):
        return "scale=2"


net = Net()
print(net)
print(list(net.state_dict().keys()))
print([n for n, _ in net.named_buffers()])
print(net.get_submodule("encoder.bn"), net.get_parameter("encoder.fc.bias").shape, net.get_buffer("scale"))
# %%
net.get_submodule("encoder.nothere")
# %%
net.get_parameter("scale")
# %%
sd = net.state_dict(prefix="model.", keep_vars=True)
print(list(sd)[:2], sd["model.alpha"].requires_grad, type(sd["model.alpha"]).__name__)
sd = net.state_dict()
print(sd["alpha"].requires_grad, sd["encoder.bn.num_batches_tracked"])
# %%
net.train()
net(torch.randn(5, 3))
print(net.encoder.bn.num_batches_tracked, net.encoder.bn.running_mean)
net.eval()
print(net.training, net.encoder.bn.training)
n2 = Net()
res = n2.load_state_dict(net.state_dict())
print(res, n2.encoder.bn.num_batches_tracked)
print(torch.equal(n2(torch.ones(1, 3)), net(torch.ones(1, 3))) if not n2.eval() is None else None)
# %%
n2.requires_grad_(False)
print([p.requires_grad for p in n2.parameters()])
n2.head.requires_grad_()
print([n for n, p in n2.named_parameters() if p.requires_grad])
# %%
n3 = Net().double()
print(n3.head.weight.dtype, n3.scale.dtype, n3.encoder.bn.num_batches_tracked.dtype)
n3.to(torch.float32)
print(n3.alpha.dtype)
n3.half()
print(n3.head.bias.dtype)
n3.float()
# %%
def post_hook(module, incompatible_keys):
    print("post", incompatible_keys)


h = n3.register_load_state_dict_post_hook(post_hook)
n3.load_state_dict(net.state_dict())
h.remove()
# %%
n3.register_module("extra", nn.Identity())
n3.add_module("more", nn.Tanh())
print([n for n, _ in n3.named_children()])
del n3.extra
print([n for n, _ in n3.named_children()])
n3.head = None
print(n3.head, [n for n, _ in n3.named_children()])
# %%
n3.add_module("bad.name", nn.ReLU())
# %%
n3.register_buffer("alpha", torch.ones(1))
# %%
n3.cache = torch.ones(3)
print(n3.cache, "cache" in n3.state_dict())
n3.cache = nn.Parameter(torch.zeros(1))
