"""Every cell of the users' notebooks in /work/shared/seeds/, run as a fresh
top-to-bottom notebook run would run them.

Each group below is one notebook cell, or a few dependent cells in notebook
order, always preceded by the notebook's import cell.  The code is the users'
code verbatim; the only edits are

* ``torch.randn(...)`` / ``torch.rand(...)`` replaced by a fixed
  ``torch.tensor([...])`` (values chosen so that the notebook's printed
  output is reproduced) -- marked with a ``# was: ...`` comment;
* ``probe(...)`` cells: additions (not in the notebook) that display the
  state a cell left behind when the cell itself prints nothing;
* the one notebook cell that is not valid Python (000, "detaching
  computation": a ``with`` statement without a body) is completed.

Two tests per group:

``test_seed_against_torch``  differential: the transcript (stdout, displayed
    value, error, warnings) of the module under test must equal torch's.
    Needs torch; torch's fresh run is the reference, so cells whose notebook
    output is stale (cells run out of order) are still checked.

``test_seed_literal``  the module under test alone against the notebook's
    literal text, for every printed value a fresh run reproduces.  Does not
    need torch.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest

ANY = object()  # notebook output not reproducible by a fresh run: not checked literally
_ADDRESS = re.compile(r"0x[0-9a-f]+")


@dataclasses.dataclass
class Cell:
    code: str
    # Literal notebook text expected from a fresh run.  ``out`` is the printed
    # text (a str, or a list of lines where ANY marks a stale line); ``value``
    # is the Out[] text (str or compiled regex); ``error`` is
    # "Type: message"; ``warns`` is a tuple of (category, source line the
    # warning points at).  ANY: not checked.
    out: Any = ""
    value: Any = None
    error: Any = None
    warns: Any = ()


def _strip(text):
    return text[1:] if isinstance(text, str) and text.startswith("\n") else text


def cell(code, **literal):
    return Cell(_strip(code), **{k: _strip(v) for k, v in literal.items()})


def probe(code, **literal):
    """A cell that is not in the notebook (shows state); literal only if given."""
    defaults = dict(out=ANY, value=ANY, error=ANY, warns=ANY)
    defaults.update(literal)
    return cell(code, **defaults)


@dataclasses.dataclass
class Group:
    id: str
    cells: list


# ---------------------------------------------------------------------------
# 000_312b366ea6ffb29e.txt

IMPORT_000 = cell("""
import torch
""")

SEED_000 = [
    Group("000-In47-addition", [IMPORT_000, cell("""
x = torch.tensor([2.0867], requires_grad=True)  # was: torch.randn(1, requires_grad=True)
print(x)
y = x+2
print(y)
y.backward()
x.grad
""", out="""
tensor([2.0867], requires_grad=True)
tensor([4.0867], grad_fn=<AddBackward0>)
""", value="tensor([1.])")]),
    Group("000-In43-multiplication", [IMPORT_000, cell("""
x = torch.tensor([1.02894], requires_grad=True)  # was: torch.randn(1, requires_grad=True)
print(x)
y2 = x*x
print(y2)
y2.backward()
x.grad
""", out="""
tensor([1.0289], requires_grad=True)
tensor([1.0587], grad_fn=<MulBackward0>)
""", value="tensor([2.0579])")]),
    Group("000-In40-exponential", [IMPORT_000, cell("""
x = torch.tensor([1.23498], requires_grad=True)  # was: torch.randn(1, requires_grad=True)
print(torch.exp(x))
y3 = torch.exp(x)
y3.backward()
x.grad
""", out="""
tensor([3.4383], grad_fn=<ExpBackward0>)
""", value="tensor([3.4383])")]),
    Group("000-In48-backward-nonscalar-error", [IMPORT_000, cell("""
x = torch.tensor([-0.6547, 1.02313], requires_grad=True)  # was: torch.randn(2, requires_grad=True)
print(torch.exp(x))
y3 = torch.exp(x)
y3.backward()
x.grad
""", out="""
tensor([0.5196, 2.7819], grad_fn=<ExpBackward0>)
""", error="RuntimeError: grad can be implicitly created only for scalar outputs")]),
    Group("000-In55-InNone-int-gradient-then-detaching", [IMPORT_000, cell("""
x = torch.tensor([1.7156, 1.351425], requires_grad=True)  # was: torch.randn(2, requires_grad=True)
print(torch.exp(x))
y3 = torch.exp(x)
print(y3)
y3.backward(torch.tensor([1 , 4]))
x.grad
""", out="""
tensor([5.5600, 3.8629], grad_fn=<ExpBackward0>)
tensor([5.5600, 3.8629], grad_fn=<ExpBackward0>)
""", value="tensor([ 5.5600, 15.4517])"),
        # In [None]: the notebook cell ends with "with torch.no_grad():" and no
        # body (an IndentationError as written); completed with a body.
        cell("""
# to not compute gradient wrt x, any of the following three options can be used:
x.requires_grad_(False)
x.detach()
with torch.no_grad():
    print((x * 2).requires_grad)
""", out="False\n"),
        probe("x, x.requires_grad, x.is_leaf, x.grad_fn, x.grad"),
    ]),
    Group("000-In60-no-detach", [IMPORT_000, cell("""
x = torch.arange(4, requires_grad=True, dtype=torch.float32)
y = x*x
u = y
z = u*x
# here z = [x1^3, x2^3, x3^3, x4^3]
z.sum().backward()

# x.grad = gradient wrt x
# x.grad = [3*x1^2, 3*x2^2, 3*x3^2, 3*x4^2]
print(x.grad)
""", out="""
tensor([ 0.,  3., 12., 27.])
""")]),
    Group("000-In61-detach", [IMPORT_000, cell("""
x = torch.arange(4, requires_grad=True, dtype=torch.float32)
y = x*x
u = y.detach()
z = u*x
# here z = [u1*x1, u2*x2, u3*x3, u4*x4]
z.sum().backward()

# u is constant now and is not dependent on any variable 
# x.grad = [u1, u2, u3, u4]
print(x.grad)
""", out="""
tensor([0., 1., 4., 9.])
""")]),
    # In [58]'s notebook output (3, 6, 9) is stale: the cell zeroes the
    # gradient, a fresh run prints 3, 3, 3.  In [62] does not use torch; it
    # is grouped with In [58] so that its test can fail.
    Group("000-In58-In62-clearing-gradient", [IMPORT_000, cell("""
# Pytorch accumulates the gradient into grad attribute, so it is required to clear them before next update
weights = torch.ones(4, requires_grad=True)

for epoch in range(3):
    model_output = (weights*3).sum()
    model_output.backward()
    print(weights.grad)
    
    # to clear gradients for next iteration
    weights.grad.zero_()
""", out=["tensor([3., 3., 3., 3.])", ANY, ANY]), cell("""
a = 2
print(f'{a=}')
""", out="a=2\n")]),
]

# ---------------------------------------------------------------------------
# 001_f911bdce46186cac.txt

IMPORT_001 = cell("""
import torch
""")
X_43 = "x = torch.tensor(4.3, requires_grad=True,dtype=torch.double)"

SEED_001 = [
    Group("001-intro-example1", [IMPORT_001, cell(X_43), cell("(x**2).backward()"),
                                 cell("x.grad", value="tensor(8.6000, dtype=torch.float64)")]),
    # Example 2's notebook outputs are stale (cells run out of order): a
    # fresh run gives x.grad 2673.2160, y.grad 1596.5040.
    Group("001-intro-example2", [IMPORT_001, cell(X_43),
                                 cell("y = torch.tensor(7.2, requires_grad=True,dtype=torch.double)"),
                                 cell("l1 = x * 3"), cell("l2 = y * l1"), cell("error = (l2 - 31)**2"),
                                 cell("error.backward()"), cell("x.grad", value=ANY), cell("y.grad", value=ANY)]),
    Group("001-intro-example3-control-flow", [IMPORT_001, cell(X_43), cell("""
if x > 0.0:
    y = 2 * x
else:
    y = - 3 * x
"""), cell("y.backward()"), cell("x.grad", value="tensor(2., dtype=torch.float64)")]),
    Group("001-intro-example4-assign-into-tensor", [IMPORT_001, cell("import numpy as np"), cell(X_43),
                                                    cell("arr = torch.zeros((10,1))"), cell("""
for i in range(10):
    arr[i] = (x**i)
"""), cell("r = arr.sum()"), cell("r.backward()"),
        cell("x.grad", value="tensor(1324555.4603, dtype=torch.float64)"),
        probe("print(arr.grad_fn, arr.dtype, arr.shape, arr.requires_grad, arr.is_leaf, x.grad.dtype)")]),
    Group("001-intro-example5-abs", [IMPORT_001, cell("""
def absv(x):
    if x <= 0:
        return -x
    else:
        return x
"""), cell("""
def dabsv(x):
    x = torch.tensor(x,requires_grad=True,dtype=torch.double)
    r = absv(x)
    r.backward()
    return x.grad
"""), cell("dabsv(-5)", value="tensor(-1., dtype=torch.float64)"),
        cell("dabsv(5)", value="tensor(1., dtype=torch.float64)"),
        cell("dabsv(0)", value="tensor(-1., dtype=torch.float64)")]),
    Group("001-indepth-example1-grad-of-nonleaf-warning", [IMPORT_001, cell(X_43), cell("y = x * x"),
                                                           cell("y.backward()"),
                                                           cell("y.grad", warns=(("UserWarning", "y.grad"),)),
                                                           cell("x.grad", value="tensor(8.6000, dtype=torch.float64)")]),
    Group("001-indepth-example2-retain-grad", [IMPORT_001, cell(X_43), cell("y = x * x"), cell("y.retain_grad()"),
                                               cell("y.backward()"),
                                               cell("y.grad", value="tensor(1., dtype=torch.float64)")]),
    Group("001-indepth-example3-accumulate-and-reset", [IMPORT_001, cell(X_43), cell("(x**2).backward()"),
                                                        cell("(x**2).backward()"),
                                                        cell("x.grad", value="tensor(17.2000, dtype=torch.float64)"),
                                                        cell("x.grad = None"), cell("(x**2).backward()"),
                                                        cell("x.grad", value="tensor(8.6000, dtype=torch.float64)")]),
    Group("001-indepth-example4-inplace-on-leaf", [IMPORT_001, cell(X_43), cell("(x**2).backward()"),
                                                   cell("x -= 0.1 * x.grad", error="RuntimeError: a leaf Variable that requires grad is being used in an in-place operation."),
                                                   cell("""
with torch.no_grad():
    x -= 0.1 * x.grad
"""), probe("x, x.grad, x.is_leaf, x.requires_grad, x.grad_fn",
            value="(tensor(3.4400, dtype=torch.float64, requires_grad=True), tensor(8.6000, dtype=torch.float64), True, True, None)")]),
    Group("001-indepth-example5-numpy", [IMPORT_001, cell(X_43),
                                         cell("x.numpy()", error="RuntimeError: Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."),
                                         cell("x", value="tensor(4.3000, dtype=torch.float64, requires_grad=True)"),
                                         cell("x = x.detach()"),
                                         cell("x", value="tensor(4.3000, dtype=torch.float64)"),
                                         cell("x.numpy()", value="array(4.3)")]),
]

# ---------------------------------------------------------------------------
# 002_c0ba5365fc84543c.txt

IN1_002 = cell("""
import torch

x = torch.tensor([1.8111, -1.0581, -1.0703])  # was: torch.randn(3)
print(x)
""", out="""
tensor([ 1.8111, -1.0581, -1.0703])
""")

SEED_002 = [
    Group("002-In1-print", [IN1_002]),
    Group("002-In2-In12-mean-of-squares", [IN1_002, cell("""
x = torch.tensor([0.86752, -1.17224, -0.05804], requires_grad=True)  # was: torch.randn(3,requires_grad=True)
x
""", value="tensor([ 0.8675, -1.1722, -0.0580], requires_grad=True)"),
        cell("y = x+2"),
        cell("print(y)", out="tensor([2.8675, 0.8278, 1.9420], grad_fn=<AddBackward0>)\n"),
        # The notebook shows IPython's pretty form "<MulBackward0 at 0x...>";
        # repr() gives "<MulBackward0 object at 0x...>".
        cell("""
z = y*y
z.grad_fn
""", value=re.compile(r"<MulBackward0 (object )?at 0x…>")),
        cell("loss = z.mean()"),
        cell("loss.backward() # dz/dx"),
        cell("print(x.grad)", out="tensor([1.9117, 0.5518, 1.2946])\n")]),
    Group("002-In19-In21-mse-then-weighted-backward", [IN1_002, cell("""
y_true = torch.tensor([1.0,2.1,3.0],)
y_pred = torch.tensor([1.30,2.79,4.02],requires_grad=True)
MSE = torch.mean((y_pred - y_true)**2)
MSE.backward()
print(y_pred.grad)
""", out="tensor([0.2000, 0.4600, 0.6800])\n"), cell("""
v = torch.tensor([1,10,100],dtype=torch.float32)
SR = (y_pred - y_true)**2
SR.backward(v)

print(y_pred.grad)
""", out="tensor([  0.8000,  14.2600, 204.6800])\n")]),
    Group("002-In34-equal-gradients", [IN1_002, cell("""
x = torch.tensor([2.,3.,4.],requires_grad=True)
y = x**2
equal_gradients = torch.tensor([1.,1.,1.],dtype=torch.float32)
y.backward(equal_gradients)
print("Equal gradients",x.grad)
""", out="Equal gradients tensor([4., 6., 8.])\n")]),
    Group("002-In35-In37-weighted-then-requires-grad-false", [IN1_002, cell("""
x = torch.tensor([2.,3.,4.],requires_grad=True)
y = x**2
gradients = torch.tensor([1.,.1,.01],dtype=torch.float32)

y.backward(gradients)
print("Weighted Gradients",x.grad)
""", out="Weighted Gradients tensor([4.0000, 0.6000, 0.0800])\n"), cell("""
x.requires_grad_(False)
print(x)
""", out="tensor([2., 3., 4.])\n")]),
    Group("002-In39-In42-detach-and-no-grad", [IN1_002, cell("""
t = torch.tensor([1,2,3],requires_grad=True,dtype=torch.float32)
print(t)
t0 = t.detach()
print(t0)
""", out="""
tensor([1., 2., 3.], requires_grad=True)
tensor([1., 2., 3.])
"""), cell("""
y = t+2
print(y)

with torch.no_grad():
    y = t+2
    print(y)
""", out="""
tensor([3., 4., 5.], grad_fn=<AddBackward0>)
tensor([3., 4., 5.])
""")]),
    Group("002-In45-accumulation", [IN1_002, cell("""
weights = torch.ones(4,requires_grad=True)

for epoch in range(3):
    model_output = (weights*3).sum()
    model_output.backward()
    print(weights.grad)
""", out="""
tensor([3., 3., 3., 3.])
tensor([6., 6., 6., 6.])
tensor([9., 9., 9., 9.])
""")]),
    Group("002-In48-zero-grad", [IN1_002, cell("""
weights = torch.ones(4,requires_grad=True)

for epoch in range(3):
    model_output = (weights*3).sum()
    model_output.backward()
    print(weights.grad)
    weights.grad.zero_() #resets the weights fo the next iteration
""", out="""
tensor([3., 3., 3., 3.])
tensor([3., 3., 3., 3.])
tensor([3., 3., 3., 3.])
""")]),
]

# ---------------------------------------------------------------------------
# 003_9469108187e59cb0.txt

IMPORT_003 = cell("""
import torch
""")

SEED_003 = [
    Group("003-In3-In10-ones-mean-backward", [IMPORT_003, cell("""
x=torch.ones(2, 2, requires_grad=True)
print(x)
""", out="""
tensor([[1., 1.],
        [1., 1.]], requires_grad=True)
"""), cell("""
y=x+2
print(y)
""", out="""
tensor([[3., 3.],
        [3., 3.]], grad_fn=<AddBackward0>)
"""), cell("""
print(y.grad_fn)
""", out="<AddBackward0 object at 0x7f8ae3759790>\n"), cell("""
z=y*y*3
out=z.mean()
print(z,out)
""", out="""
tensor([[27., 27.],
        [27., 27.]], grad_fn=<MulBackward0>) tensor(27., grad_fn=<MeanBackward0>)
"""), cell("""
a=torch.tensor([[0.2, 0.5], [0.7, 0.9]])  # was: torch.rand(2,2)
a=((a*3)/(a-1))
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)
b=(a*a).sum()
print(b.grad_fn)
""", out="""
False
True
<SumBackward0 object at 0x7f8ae3759950>
"""), cell("""
out.backward()
"""), cell("""
print(x.grad)
""", out="""
tensor([[4.5000, 4.5000],
        [4.5000, 4.5000]])
""")]),
    Group("003-In11-In15-vector-jacobian-product", [IMPORT_003, cell("""
x=torch.tensor([0.58609641, 0.72407907, 0.80250978], requires_grad=True)  # was: torch.rand(3,requires_grad=True)

y=x*2
while y.data.norm()<1000:
    y=y*2
print(y)
""", out="tensor([600.1627, 741.4570, 821.7700], grad_fn=<MulBackward0>)\n"), cell("""
v=torch.tensor([0.1,1.0,0.0001], dtype=torch.float)
y.backward(v)

print(x.grad)
""", out="tensor([1.0240e+02, 1.0240e+03, 1.0240e-01])\n"), cell("""
print(x.requires_grad)
print((x ** 2).requires_grad)

with torch.no_grad():
    print((x ** 2).requires_grad)
""", out="True\nTrue\nFalse\n"), cell("""
print(x.requires_grad)
y=x.detach()
print(y.requires_grad)
print(x.eq(y).all())
""", out="True\nFalse\ntensor(True)\n")]),
]

# ---------------------------------------------------------------------------
# 004_290c8880749ec143.txt

IMPORT_004 = cell("""
import numpy as np
import torch
from torch.autograd import grad
""")

FIRST_METHOD_004 = cell("""
x1 = torch.tensor(2.0, requires_grad = True)
x1.grad, x1.requires_grad

# y = x1**2
y1 = torch.cos(x1)
y2 = torch.sin(x1)
y = y1+y2
# print(y1, y1.grad)
# print(y2, y2.grad)
# print(y, y.grad)

print('--------------')
print(y.requires_grad, x1.grad)
# 1st way

gradients = grad( outputs = y, inputs=x1 )
print(gradients)
""", out="""
--------------
True None
(tensor(-1.3254),)
""")

SEED_004 = [
    Group("004-InNone-grad-1st-method-and-internal-calculation", [IMPORT_004, FIRST_METHOD_004, cell("""
# internal calculation of gradient
y1_grad = -torch.sin(x1)
y2_grad = torch.cos(x1)
y1_grad + y2_grad
""", value="tensor(-1.3254, grad_fn=<AddBackward0>)")]),
    Group("004-In13-grad-2nd-attempt", [IMPORT_004, cell("""
# 2nd attempt of the above code.

x1 = torch.tensor(3.0, requires_grad=True)
# x1.grad, x1.requires_grad
y = x1**2
# y = 3**2 = 9
print(y, y.requires_grad)

y2 = torch.sin(x1)
print(y2, y2.requires_grad)
# as soon as you perform some OP on tensor, the operation that was performed gets stored for future reference, a.k.a for backprop.

y3 = torch.mean(y2)
print(y3, y3.requires_grad)

# no gradient
x2 = torch.tensor(3.0)
y4 = torch.sin(x2)
print(y4, y4.requires_grad)
# requires_grad=True, PyTorch creates DAG, and stores the operations.



# Gradient computation
x1 = torch.tensor(3.0, requires_grad=True)
y1 = torch.sin(x1)

gradients = grad(outputs=y1, inputs=x1) #dy1/dx1
print(gradients)

# gradients_2 = grad(grad(outputs=y1, inputs=x1, create_graph=True))
# print(gradients_2)
""", out="""
tensor(9., grad_fn=<PowBackward0>) True
tensor(0.1411, grad_fn=<SinBackward0>) True
tensor(0.1411, grad_fn=<MeanBackward0>) True
tensor(0.1411) False
(tensor(-0.9900),)
""")]),
    Group("004-InNone-backward-retain-graph-loop", [IMPORT_004, cell("""
x1 = torch.tensor(2.0, requires_grad = True)
x1.grad, x1.requires_grad

# y = x1**2
y1 = torch.cos(x1)
# y1.retain_grad() use this if you would like calculate dy/dy1.
y2 = torch.sin(x1)
# y2.retain_grad() use this if you would like calculate dy/dy2


y = y1+y2 # 2(y1+y2)

# print(y1.grad)

y.backward(retain_graph=True)  #asking pytorch debugger to look at the "grad_fn of y" and then compute the derivative.
print(f"Gradient single derivative: {x1.grad}") #gives the 1st derivative, because we have used .backward once.
# print(x1.grad, y1.grad, y2.grad) # accessing dy/dx
# y1.grad -> dy/dy1 = (y1 + y2)/dy1 = 2.
# y2.grad -> dy/dy2 = (y1 + y2)/dy2 = 2.


# what if I can use .backward() once again??
# does using .backward() again give me 2nd derivative
# twice the .backward() -> d2y/dx2 ??
#  solution: To use .backward() twice/>twice, make sure the computation graph is not destroyed. so use retain_graph=True while computing 1st derivative.
# y.backward(retrain_graph=Tru)
# print(x1.grad)

for i in range(10):
  y.backward(retain_graph=True)
  print(x1.grad)
""", out="""
Gradient single derivative: -1.325444221496582
tensor(-2.6509)
tensor(-3.9763)
tensor(-5.3018)
tensor(-6.6272)
tensor(-7.9527)
tensor(-9.2781)
tensor(-10.6036)
tensor(-11.9290)
tensor(-13.2544)
tensor(-14.5799)
""")]),
    Group("004-In23-In18-three-backwards", [IMPORT_004, cell("""
x1 = torch.tensor(2.0, requires_grad = True)
x1.grad, x1.requires_grad

# y = x1**2
y1 = torch.cos(x1)
# y1.retain_grad() use this if you would like calculate dy/dy1.
y2 = torch.sin(x1)
# y2.retain_grad() use this if you would like calculate dy/dy2


y = y1+y2 # 2(y1+y2)


# gradients = grad(outputs=y, inputs=[x1])
y.backward(retain_graph=True)
print(x1.grad)

# 2nd derivative
y.backward(retain_graph=True)
print(x1.grad)

# 3rd deriv
y.backward()
print(x1.grad)
""", out="""
tensor(-1.3254)
tensor(-2.6509)
tensor(-3.9763)
"""),
        # In [18] is all comments (its Out is stale); a fresh run shows nothing.
        cell("""
# # internally,
# -torch.sin(x1) + torch.cos(x1)
""", out=ANY, value=ANY),
        # ... and the same cell uncommented reproduces the notebook's Out.
        probe("""
# internally,
-torch.sin(x1) + torch.cos(x1)
""", out="", value="tensor(-1.3254, grad_fn=<AddBackward0>)", error=None, warns=())]),
    Group("004-In24-R1-to-R1", [IMPORT_004, cell("""
# R1-> R1
x = torch.tensor(2.0, requires_grad=True)
y = 2*x
print(y)
y.backward() #dy/dx
print(x.grad)
""", out="""
tensor(4., grad_fn=<MulBackward0>)
tensor(2.)
""")]),
    Group("004-In25-RN-to-R1-cumsum-select", [IMPORT_004, cell("""
# RN -> R1
x = torch.tensor([2.0, 2.0, 2.0],requires_grad=True)
def operation(x):
  val = 2*x
  val = torch.cumsum(val, dim=0)
  return val[-1]

y = operation(x)
print(y)

y.backward()
print(x.grad)
""", out="""
tensor(12., grad_fn=<SelectBackward0>)
tensor([2., 2., 2.])
""")]),
    Group("004-In26-RN-to-R1-indexing", [IMPORT_004, cell("""
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)

def operation(x):
  val = 2*x[0] + 3*x[1] -3*x[2]
  return val

y = operation(x)
print(y)

y.backward()
print(x.grad)
""", out="""
tensor(-1., grad_fn=<SubBackward0>)
tensor([ 2.,  3., -3.])
""")]),
    # The notebook's last line (tensor([ 2.0000,  3.2000, -2.4000])) is stale;
    # a fresh run gives tensor([ 2.,  4., -4.]).
    Group("004-InNone-Rn-to-Rm-ones-vector", [IMPORT_004, cell("""
# Rn -> Rm (n,m > 1)

x = torch.tensor([1.0, 2.0, -2.0], requires_grad=True)
print(x.grad)
# y1 = torch.sin(x1)
y1 = x**2
print(y1)
print(x.grad)
# y2 = torch.cos()


# we want gradient -> [dy1/dx1, dy1/dx2, dy1/dx3]
# y1.backward([1.0, 0.0, 0.0])
# print(x.grad)

# convert vector to scalar
# y = [y1, y2, y3]

input_key = torch.tensor([[1.0, 0.0, 0.0],
                          [0.0, 1.0, 0.0],
                          [0.0, 0.0, 1.0]])

# final_gradient = []

# for row in input_key:
#   print(row)
#   gradient = y1.backward(row, retain_graph=True)
#   final_gradient.append(gradient)


# print(final_gradient)
# print(x.grad)
# tensor([ 2.,  4., -4.]) -> 1st method


# 2nd method
y1.backward(torch.tensor([1.0, 1.0, 1.0]))
print(x.grad)
# tensor([ 2.,  4., -4.])

# we can use .backward(torch.tensor(1.0, 0.0, 1.0)) -> in this case, only gradients of x1, x3 will be computed.
# Also, we can make use of .backward(torch.tensor(1.0, 0.8, 1.8)) API to do gradient scaling/weightage -> x1 100, x2 80%, x3 180%



""", out=["None", "tensor([1., 4., 4.], grad_fn=<PowBackward0>)", "None", ANY])]),
    Group("004-In37-jacobian-rows", [IMPORT_004, cell("""
# 2nd attempt
# Rn -> Rm (n,m > 1)

x = torch.tensor([1.0, 2.0, -2.0], requires_grad=True)
print(x.grad)
# y1 = torch.sin(x1)
y1 = x**2
print(y1)
print(x.grad)

# backprop
# y1.backward()
# print(x.grad)

# Let's compute just 1st row
# key = torch.tensor([1.0, 0.0, 0.0])
# y1.backward(key)
# print(x.grad)


# 1st way
# y1.backward(torch.tensor([1, 1, 1]))
# print(x.grad)

#2d way
input_key = torch.tensor([[1.0, 0.0, 0.0],
                          [0.0, 1.0, 0.0],
                          [0.0, 0.0, 1.0]])

final_jacobian = []
for key in input_key:

  x.grad = None
  gradients = y1.backward(key, retain_graph=True)

  final_jacobian.append(x.grad)

print(final_jacobian)
""", out="""
None
tensor([1., 4., 4.], grad_fn=<PowBackward0>)
None
[tensor([2., 0., -0.]), tensor([0., 4., -0.]), tensor([ 0.,  0., -4.])]
""")]),
    Group("004-InNone-tensors-without-grad", [IMPORT_004, cell("""

# create tensors with requires_grad = true
x = torch.tensor(3.0)
# x = np.array([3.0])
# whenever you create a tensor with required_grad = True, the .grad is empty.
# print(x.grad)
y = torch.tensor(4.0)

# print the tensors
print("x:", x)
print("y:", y)

# define a function z of above created tensors
z = x*y
print("z:", z)

# call backward function for z to compute the gradients
# dz/dx, dz/dy -> z.backward()
# z.backward(retain_graph=True)
#  z = x*y ; DAG gets destroyed.

# # Access and print the gradients w.r.t x, and y
# dx = x.grad
# dy = y.grad
# # x.grad = 0
# # y.grad = 0
# # z.backward(retain_graph=True)
# z.backward(retain_graph=True)
# print("x.grad :", dx)
# print("y.grad :", dy)
# # pytorch accumulates the gradients.
# z.backward()

""", out="""
x: tensor(3.)
y: tensor(4.)
z: tensor(12.)
""")]),
    Group("004-InNone-two-inputs-and-gradient-argument", [IMPORT_004, cell("""
x = torch.tensor(3.0, requires_grad= True)
y = torch.tensor(4.0, requires_grad = True)

z = x*y
print(x.grad, y.grad)
h = z.mean()
print(z)
print(h)
z.backward()
print(x.grad, y.grad)


x1 = torch.tensor([1.2, 2.4, 3.3], requires_grad = True)
x2 = torch.tensor([4.4, 5.2, 5.5], requires_grad=True)
f = x1*x2 + torch.sin(x2) + torch.log(x1)
g = f.mean()
print(f, g)
f.backward(gradient=torch.tensor([1., 1., 1.]))
# g.backward()
print(x1.grad, x2.grad)
""", out="""
None None
tensor(12., grad_fn=<MulBackward0>)
tensor(12., grad_fn=<MeanBackward0>)
tensor(4.) tensor(3.)
tensor([ 4.5107, 12.4720, 18.6384], grad_fn=<AddBackward0>) tensor(11.8737, grad_fn=<MeanBackward0>)
tensor([5.2333, 5.6167, 5.8030]) tensor([0.8927, 2.8685, 4.0087])
""")]),
    Group("004-InNone-grad-with-retain-graph", [IMPORT_004, cell("""
# create tensors with requires_grad = true
x = torch.tensor(3.0, requires_grad = True)
y = torch.tensor(4.0, requires_grad = True)

# print the tensors
print("x:", x)
print("y:", y)

# define a function z of above created tensors
z = x*y
print("z:", z)
# z.retain_graph = True
# call backward function for z to compute the gradients
dx2 = grad(z, x, retain_graph=True)
dy2 = grad(z, y)
# Access and print the gradients w.r.t x, and y
# dx = x.grad
# dy = y.grad
print("x.grad :", dx2)
print("y.grad :", dy2)
""", out="""
x: tensor(3., requires_grad=True)
y: tensor(4., requires_grad=True)
z: tensor(12., grad_fn=<MulBackward0>)
x.grad : (tensor(4.),)
y.grad : (tensor(3.),)
""")]),
]

GROUPS = SEED_000 + SEED_001 + SEED_002 + SEED_003 + SEED_004


def _ids(groups):
    return [g.id for g in groups]


def _has_literal(group):
    return any(
        any(getattr(c, f) is not ANY for f in ("out", "value", "error", "warns"))
        for c in group.cells
    )


LITERAL_GROUPS = [g for g in GROUPS if _has_literal(g)]


# ---------------------------------------------------------------------------
# tests


@pytest.mark.parametrize("group", GROUPS, ids=_ids(GROUPS))
def test_seed_against_torch(group, differential):
    differential(*[c.code for c in group.cells])


def _check_text(field, expected, got, problems):
    if expected is ANY:
        return
    if isinstance(expected, re.Pattern):
        if got is None or not expected.fullmatch(got):
            problems.append(f"{field}: expected to match {expected.pattern!r}, got {got!r}")
        return
    if isinstance(expected, str):
        expected = _ADDRESS.sub("0x…", expected)
    if got != expected:
        problems.append(f"{field}:\n  notebook: {expected!r}\n  got:      {got!r}")


def _check_lines(expected, got, problems):
    if expected is ANY:
        return
    if isinstance(expected, str):
        return _check_text("printed output", expected, got, problems)
    lines = got.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != len(expected) or any(e is not ANY and _ADDRESS.sub("0x…", e) != g for e, g in zip(expected, lines)):
        problems.append(f"printed output:\n  notebook: {expected!r} (ANY = stale line, not checked)\n  got:      {lines!r}")


@pytest.mark.parametrize("group", LITERAL_GROUPS, ids=_ids(LITERAL_GROUPS))
def test_seed_literal(group, mut, run_cells):
    results = run_cells(mut, [c.code for c in group.cells])
    failures = []
    for index, (c, r) in enumerate(zip(group.cells, results)):
        problems: list[str] = []
        _check_lines(c.out, r.stdout, problems)
        _check_text("displayed value", c.value, r.value, problems)
        _check_text("error", c.error, r.error, problems)
        if c.warns is not ANY:
            got = tuple((cat, where.split(": ", 1)[-1]) for cat, _msg, where in r.warnings)
            if got != tuple(c.warns):
                problems.append(f"warnings (category, source line shown):\n  notebook: {tuple(c.warns)!r}\n  got:      {r.warnings!r}")
        if problems:
            failures.append(f"cell {index}:\n{c.code.rstrip()}\n-> " + "\n-> ".join(problems))
    assert not failures, "\n\n".join(failures)
