import torch
# Newton's method with autograd.grad and create_graph (values printed to 12 digits: linalg.solve's
# last bits are the LAPACK build's, MKL in torch, OpenBLAS in NumPy, and differ by CPU)
x = torch.tensor([1.5, -0.5], dtype=torch.float64, requires_grad=True)
def f(x):
    return (x[0] - 2) ** 4 + (x[0] - 2 * x[1]) ** 2
for it in range(5):
    y = f(x)
    g, = torch.autograd.grad(y, x, create_graph=True)
    H = torch.stack([torch.autograd.grad(g[i], x, retain_graph=True)[0] for i in range(2)])
    step = torch.linalg.solve(H, g)
    with torch.no_grad():
        x -= step
    print(it, f"{f(x).item():.12g}", x.detach().numpy().round(6))
print(x.grad)
