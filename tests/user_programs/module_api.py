import torch
from torch import nn
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), nn.Softmax(dim=-1))
print(model)
for name, p in model.named_parameters():
    print(name, tuple(p.shape), p.requires_grad)
sd = model.state_dict()
print(list(sd.keys()))
model2 = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2), nn.Softmax(dim=-1))
model2.load_state_dict(sd)
x = torch.tensor([[0.1, 0.2, 0.3]])
print(torch.equal(model(x), model2(x)))
model.eval()
print(model.training, model[0].training)
print(model[0].weight.dtype, model[0].weight.is_leaf)
model.double()
print(model[0].weight.dtype)
for p in model.parameters():
    p.requires_grad_(False)
print(any(p.requires_grad for p in model.parameters()))
print(len(list(model.modules())), len(list(model.children())))
print(nn.utils.parameters_to_vector(model.parameters()).shape)
