import copy
import torch
import torch.nn as nn
from torch.func import stack_module_state, functional_call, vmap

torch.manual_seed(0)
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 6)
        self.fc2 = nn.Linear(6, 3)
    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))

models = [MLP() for _ in range(3)]
params, buffers = stack_module_state(models)
print(sorted(params.keys()))
print(params["fc1.weight"].shape, params["fc1.weight"].requires_grad, params["fc1.weight"].is_leaf)
base_model = copy.deepcopy(models[0]).to("meta")

def fmodel(params, buffers, x):
    return functional_call(base_model, (params, buffers), (x,))

x = torch.randn(2, 4)
out = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, x)
print(out.shape)
print(torch.allclose(out[1], models[1](x), atol=1e-6))
out.sum().backward()
print(params["fc2.bias"].grad)
minibatches = torch.randn(3, 2, 4)
out2 = vmap(fmodel)(params, buffers, minibatches)
numeric(out2)
