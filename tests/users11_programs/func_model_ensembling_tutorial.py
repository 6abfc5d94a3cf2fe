import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)


class SimpleMLP(nn.Module):
    def __init__(self):
        super(SimpleMLP, self).__init__()
        self.fc1 = nn.Linear(12, 8)
        self.fc2 = nn.Linear(8, 6)
        self.fc3 = nn.Linear(6, 3)

    def forward(self, x):
        x = x.flatten(1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.fc2(x)
        x = F.relu(x)
        x = self.fc3(x)
        return x


device = 'cpu'
num_models = 4
data = torch.randn(num_models, 5, 3, 2, 2, device=device)
targets = torch.randint(3, (5,), device=device)
models = [SimpleMLP().to(device) for _ in range(num_models)]
minibatches = data[:num_models]
predictions_diff_minibatch_loop = [model(minibatch) for model, minibatch in zip(models, minibatches)]
minibatch = data[0]
predictions2 = [model(minibatch) for model in models]
print(len(predictions2), predictions2[0].shape)
# %%
from torch.func import stack_module_state
params, buffers = stack_module_state(models)
print(sorted(params), buffers)
print(params["fc1.weight"].shape, params["fc1.weight"].requires_grad, params["fc1.weight"].is_leaf)
from torch.func import functional_call
import copy
base_model = copy.deepcopy(models[0])
base_model = base_model.to('meta')


def fmodel(params, buffers, x):
    return functional_call(base_model, (params, buffers), (x,))


# %%
from torch.func import vmap
print([p.size(0) for p in params.values()])
minibatches = data[:num_models]
predictions1_vmap = vmap(fmodel)(params, buffers, minibatches)
print(predictions1_vmap.shape)
print(torch.allclose(predictions1_vmap, torch.stack(predictions_diff_minibatch_loop), atol=1e-3, rtol=1e-5))
predictions2_vmap = vmap(fmodel, in_dims=(0, 0, None))(params, buffers, minibatch)
print(torch.allclose(predictions2_vmap, torch.stack(predictions2), atol=1e-3, rtol=1e-5))
numeric(predictions2_vmap)
# %%
loss = F.cross_entropy(predictions2_vmap.reshape(-1, 3), targets.repeat(num_models))
loss.backward()
print(params["fc3.bias"].grad.shape)
numeric(params["fc3.bias"].grad)
# %%
stack_module_state([])
# %%
stack_module_state([nn.Linear(2, 2), nn.Linear(3, 2)])
