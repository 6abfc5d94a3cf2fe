import torch
import torch.nn.functional as F

def attempt(fn):
    try:
        print(fn())
    except Exception as e:
        print(type(e).__name__, e)

attempt(lambda: F.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([2.0])))
attempt(lambda: F.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([2.0])))
attempt(lambda: F.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([2])))
attempt(lambda: F.binary_cross_entropy(torch.tensor([0.2]), torch.tensor([1])))
attempt(lambda: F.binary_cross_entropy(torch.tensor([0.2]).double(), torch.tensor([1.0])))
attempt(lambda: F.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([True])))
attempt(lambda: F.binary_cross_entropy(torch.tensor([1]), torch.tensor([1])))
attempt(lambda: F.binary_cross_entropy(torch.tensor([1]), torch.tensor([1.0])))
attempt(lambda: F.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([float('nan')])))
attempt(lambda: F.binary_cross_entropy(torch.tensor([float('nan')]), torch.tensor([1.0])))
attempt(lambda: torch.nn.BCELoss()(torch.tensor([0.5]), torch.tensor([1.5])))
attempt(lambda: F.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([1.0]), weight=torch.tensor([2.0], dtype=torch.float64)))
# %%
p = torch.tensor([0.0, 1.0, 0.3], requires_grad=True)
l = F.binary_cross_entropy(p, torch.tensor([0.0, 1.0, 1.0]), reduction='sum')
l.backward()
print(l, p.grad)
print(F.binary_cross_entropy(torch.tensor([[0.2, 0.4]]), torch.tensor([[1.0, 0.0]]), weight=torch.tensor([2.0, 1.0])))
print(torch.nn.BCELoss(weight=torch.tensor([1.0, 3.0]), reduction='none')(torch.tensor([0.2, 0.4]), torch.tensor([1.0, 0.0])))
print(F.binary_cross_entropy_with_logits(torch.tensor([100.0, -100.0]), torch.tensor([0.0, 1.0]), pos_weight=torch.tensor([2.0, 3.0])))
print(F.gaussian_nll_loss(torch.tensor([1.0, 2.0]), torch.tensor([1.5, 1.0]), torch.tensor([0.5, 1e-8]), full=True))
print(F.poisson_nll_loss(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 3.0]), log_input=False, full=True))
print(F.cross_entropy(torch.zeros(3, 4), torch.tensor([0, 1, 2]), label_smoothing=0.1, weight=torch.tensor([1.0, 2.0, 3.0, 4.0])))
print(F.kl_div(torch.tensor([-1.0, -2.0]), torch.tensor([-0.5, -0.5]), log_target=True, reduction='sum'))
