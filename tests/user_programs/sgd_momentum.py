import torch
import numpy as np
rng = np.random.default_rng(3)
X = torch.tensor(rng.normal(size=(50, 3)))
w_true = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
y = X @ w_true + 0.1 * torch.tensor(rng.normal(size=50))
w = torch.zeros(3, dtype=torch.float64, requires_grad=True)
b = torch.zeros(1, dtype=torch.float64, requires_grad=True)
opt = torch.optim.SGD([w, b], lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-4)
for epoch in range(40):
    opt.zero_grad()
    pred = X @ w + b
    loss = torch.nn.functional.mse_loss(pred, y)
    loss.backward()
    opt.step()
print(w, b)
print(loss)
print(opt.state_dict()['param_groups'])
print(len(opt.state), list(opt.state[w].keys()))
