import torch
import torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
w = torch.randn(2, 4, dtype=torch.float64, requires_grad=True)
b = torch.randn(2, dtype=torch.float64, requires_grad=True)
for fn in (F.linear, lambda a, ww, bb: F.gelu(F.linear(a, ww, bb)), lambda a, ww, bb: F.softmax(F.linear(a, ww, bb), -1)):
    print(torch.autograd.gradcheck(fn, (x, w, b), check_forward_ad=True), torch.autograd.gradgradcheck(fn, (x, w, b)))
# %%
print(torch.autograd.gradcheck(lambda a: F.layer_norm(a, (4,)), (x,), check_forward_ad=True, check_backward_ad=True))
print(torch.autograd.gradcheck(lambda a: torch.linalg.solve(a[:, :3] @ a[:, :3].T + torch.eye(3, dtype=torch.float64), a), (x,), check_forward_ad=True))
