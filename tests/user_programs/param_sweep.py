import torch
results = []
for a in torch.linspace(0.5, 2.0, 4):
    a = a.clone().requires_grad_(True)
    t = torch.linspace(0, 1, 11)
    y = torch.exp(-a * t) * torch.cos(3 * t)
    area = torch.trapezoid(y, t)
    area.backward()
    results.append((round(a.item(), 3), round(area.item(), 5), round(a.grad.item(), 5)))
print(results)
amps = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
freqs = torch.tensor([[0.5], [1.0], [1.5]])
t = torch.arange(0, 2, 0.5)
sig = (amps[:, None] * torch.sin(freqs * t)).sum(0)
print(sig)
sig.norm().backward()
print(amps.grad)
