import torch
from torch import nn
torch.manual_seed(0)
lin = nn.Linear(3, 2)
x = torch.randn(4, 3)
out = lin(x)
print(out.grad_fn.name(), [type(f).__name__ if f is not None else None for f, _ in out.grad_fn.next_functions])
out.grad_fn.metadata["tag"] = "first layer"
print(out.grad_fn.metadata)
print(nn.functional.relu(out).grad_fn.name(), torch.relu(out).grad_fn.name(), out.clamp(min=0).grad_fn.name())
print(out.sum(dim=0).grad_fn.name(), out.mean(1).grad_fn.name(), out.max(dim=1)[0].grad_fn.name(), out.amax(1).grad_fn.name())
print(out.reshape(-1).grad_fn.name(), out.view(8).grad_fn.name(), out.transpose(0, 1).grad_fn.name(), out.t().contiguous().grad_fn.name())
print(out.unsqueeze(0).grad_fn.name(), out.squeeze().grad_fn.name(), out[:, None].grad_fn.name(), out[[0, 1]].grad_fn.name())
print(torch.cat([out, out]).grad_fn.name(), torch.stack([out, out]).grad_fn.name(), out.split(1)[0].grad_fn.name())
print(nn.functional.softmax(out, 1).grad_fn.name(), nn.functional.dropout(out, 0.5, training=False).grad_fn.name())
