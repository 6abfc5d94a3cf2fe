import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x.exp()
z = (y * 3).sum()
def node_hook(grad_inputs, grad_outputs):
    print("node hook", [None if g is None else g.tolist() for g in grad_inputs], [g.tolist() for g in grad_outputs])
def pre_hook(grad_outputs):
    print("pre hook", [g.tolist() for g in grad_outputs])
    return (grad_outputs[0] * 2,)
h1 = y.grad_fn.register_hook(node_hook)
h2 = y.grad_fn.register_prehook(pre_hook)
x.register_post_accumulate_grad_hook(lambda p: print("accumulated", p.grad.tolist()))
z.backward()
print(x.grad)
print(y.grad_fn.name(), y.grad_fn.metadata, type(y.grad_fn).__name__)
h1.remove(); h2.remove()
# %%
class Twice(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a * 2
    @staticmethod
    def backward(ctx, g):
        print("Twice.backward", g)
        return g * 2
p = torch.tensor([3.0], requires_grad=True)
q = Twice.apply(p)
q.register_hook(lambda g: print("hook on q", g))
q.retain_grad()
r = q ** 2
r.backward()
print(q.grad, p.grad, q.grad_fn.name(), type(q.grad_fn).__name__)
print(r.grad_fn.next_functions[0][0].name())
