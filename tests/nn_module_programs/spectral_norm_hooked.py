import numpy as np
import torch
from torch import nn
rng = np.random.default_rng(5)
w = rng.normal(size=(3, 4))
u0, s0, vt0 = np.linalg.svd(w, full_matrices=False)
w = u0 @ np.diag([4.0, 1.0, 0.3]) @ vt0
m = nn.Linear(4, 3).double()
with torch.no_grad():
    m.weight.copy_(torch.tensor(w)); m.bias.fill_(0.1)
m = nn.utils.spectral_norm(m)
print(sorted(m.state_dict()), [n for n, _ in m.named_parameters()])
for _ in range(30):
    m(torch.ones(1, 4, dtype=torch.float64))
print(torch.allclose(m.weight, torch.tensor(w) / 4.0, atol=1e-8))
nn.utils.spectral_norm(m)
# %%
m.eval()
y = m(torch.ones(2, 4, dtype=torch.float64)).sum()
y.backward()
print(m.weight_orig.grad is not None, m.weight_orig.grad.shape)
m = nn.utils.remove_spectral_norm(m)
print(sorted(m.state_dict()), torch.allclose(m.weight, torch.tensor(w) / 4.0, atol=1e-8), type(m.weight).__name__ == type(m.bias).__name__)
nn.utils.remove_spectral_norm(m)
# %%
print(nn.utils.convert_parameters.parameters_to_vector(m.parameters()).shape)
