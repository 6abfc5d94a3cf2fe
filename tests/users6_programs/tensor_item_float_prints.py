import torch
torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
loss = (w ** 2).sum()
print(loss.item(), float(loss.detach()), loss.tolist(), round(loss.item(), 4))
print(f"{loss.item():.6f}", f"{loss:.3f}", w.detach().numpy().round(3))
print(w.grad, loss.requires_grad, loss.is_leaf, loss.grad_fn.name())
loss.backward()
print(w.grad, (w.grad == 2 * w).all().item())
print(int(torch.tensor(3.7)), bool(torch.tensor([0.0]).sum()), torch.tensor(2.5).item())
try:
    w.numpy()
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    float(w.detach())     # (detached: torch warns about requires_grad once per process, so the warning depends on test order)
except (RuntimeError, TypeError, ValueError) as e:
    print(type(e).__name__, e)
