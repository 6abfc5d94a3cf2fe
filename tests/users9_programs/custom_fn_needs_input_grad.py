import torch

VERBOSE = True

class LinearFunction(torch.autograd.Function):
    # the "extending autograd" docs example, with a bias that may be None
    @staticmethod
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input, weight, bias)
        output = input.mm(weight.t())
        if bias is not None:
            output += bias.unsqueeze(0).expand_as(output)
        return output

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, bias = ctx.saved_tensors
        grad_input = grad_weight = grad_bias = None
        if VERBOSE:
            print("needs_input_grad:", ctx.needs_input_grad)
        if ctx.needs_input_grad[0]:
            grad_input = grad_output.mm(weight)
        if ctx.needs_input_grad[1]:
            grad_weight = grad_output.t().mm(input)
        if bias is not None and ctx.needs_input_grad[2]:
            grad_bias = grad_output.sum(0)
        return grad_input, grad_weight, grad_bias

torch.manual_seed(0)
x = torch.randn(4, 3, dtype=torch.double)
w = torch.randn(2, 3, dtype=torch.double, requires_grad=True)
b = torch.randn(2, dtype=torch.double, requires_grad=True)
out = LinearFunction.apply(x, w, b)
print(out.grad_fn)
out.pow(2).sum().backward()
print(w.grad)
print(b.grad)
# %%
x.requires_grad_()
out = LinearFunction.apply(x, w)
out.sum().backward()
print(x.grad)
print(torch.autograd.gradcheck(LinearFunction.apply, (x, w, b)))
