import torch
import torch.nn as nn
import torch.nn.functional as F
x = torch.tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [0.7, -0.8, 0.9], [1.0, 1.1, -1.2]], requires_grad=True)
lin = nn.Linear(3, 2)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[0.5, -0.3, 0.2], [0.1, 0.4, -0.6]]))
    lin.bias.fill_(0.25)
y = lin(x)
print(y.grad_fn, y.grad_fn.next_functions)
print(y.grad_fn.next_functions[2][0].next_functions[0][0].variable is lin.weight)
print(y.grad_fn.next_functions[0][0].variable is lin.bias, y.grad_fn.next_functions[1][0].variable is x)
print(F.linear(x, lin.weight).grad_fn.next_functions)
# %%
target = torch.zeros(4, 2)
loss = F.mse_loss(y, target)
print(loss.grad_fn.next_functions)
print(loss.grad_fn.next_functions[0][0] is y.grad_fn)
print(F.mse_loss(y, y * 2).grad_fn.next_functions)
# %%
ce = F.cross_entropy(y, torch.tensor([0, 1, 0, 1]))
print(ce.grad_fn, ce.grad_fn.next_functions)
print(ce.grad_fn.next_functions[0][0].next_functions)
print(F.nll_loss(F.log_softmax(y, 1), torch.tensor([1, 1, 0, 0])).grad_fn.next_functions)
# %%
p = torch.sigmoid(y)
print(F.binary_cross_entropy(p, torch.ones(4, 2)).grad_fn.next_functions)
print(F.binary_cross_entropy_with_logits(y, torch.ones(4, 2)).grad_fn.next_functions)
print(F.binary_cross_entropy_with_logits(y, torch.ones(4, 2), pos_weight=torch.ones(2)).grad_fn.next_functions)
# %%
print(F.softmax(x, 1).grad_fn.next_functions, F.softmax(x[0], 0).grad_fn)
print(F.log_softmax(x, -1).grad_fn.next_functions)
print(x.std().grad_fn.next_functions, x.var(0).grad_fn.next_functions, x.logsumexp(0).grad_fn.next_functions)
print(F.layer_norm(x, (3,)).grad_fn.next_functions, torch.dist(x, x * 2).grad_fn.next_functions)
# %%
loss.backward()
numeric([lin.weight.grad, lin.bias.grad, x.grad])
