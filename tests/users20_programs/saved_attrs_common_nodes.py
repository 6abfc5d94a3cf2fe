import torch

x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = torch.tensor([0.5, 0.5, 2.0], requires_grad=True)
m = x * y
print(m.grad_fn._saved_self, m.grad_fn._saved_other)
print(m.grad_fn._saved_self is x, m.grad_fn._saved_self.equal(x))
p = x ** 3
print(p.grad_fn._saved_exponent, p.grad_fn._saved_self)
# %%
s = torch.softmax(x, dim=0)
print(s.grad_fn._saved_result, s.grad_fn._saved_result.equal(s))
e = x.exp()
t = x.tanh()
g = x.sigmoid()
print(e.grad_fn._saved_result, t.grad_fn._saved_result, g.grad_fn._saved_result)
# %%
q = (x * y).sum()
q.backward()
try:
    m.grad_fn._saved_self
except RuntimeError as err:
    print(err)
print(x.grad, y.grad)
