import torch
import torch.nn.functional as F
x = torch.tensor([[1.0, 2.0, 0.5], [0.1, -1.0, 2.0]], requires_grad=True)
print(F.cross_entropy(x, torch.tensor([-100, -100])))
# %%
print(F.nll_loss(x.log_softmax(1), torch.tensor([-100, -100]), reduction="sum"))
# %%
F.cross_entropy(x, torch.tensor([0, 1], dtype=torch.int32))
# %%
F.cross_entropy(x, torch.tensor([0, 3]))
# %%
F.cross_entropy(x, torch.tensor([0.2, 0.8]))
# %%
print(F.cross_entropy(x, torch.tensor([0, 2]), label_smoothing=0.3, reduction="none"))
# %%
F.cross_entropy(x, torch.tensor([0, 2]), label_smoothing=-0.1)
# %%
F.cross_entropy(x, torch.tensor([0, 2]), weight=torch.ones(2))
# %%
print(F.binary_cross_entropy_with_logits(x, torch.ones(2, 3), pos_weight=torch.tensor([1.0, 2.0, 3.0]), reduction="none"))
# %%
F.binary_cross_entropy_with_logits(x, torch.ones(2, 3), pos_weight=torch.tensor([1.0, 2.0]))
# %%
F.binary_cross_entropy(x.sigmoid(), torch.ones(2, 3), weight=torch.tensor([1.0, 2.0]))
# %%
print(F.kl_div(x.log_softmax(1), torch.tensor([[0.2, 0.3, 0.5], [0.0, 0.5, 0.5]]), reduction="batchmean"))
# %%
print(F.mse_loss(x, torch.zeros(2, 3), reduction="avg"))
# %%
print(F.huber_loss(x, torch.zeros(2, 3), reduction="sum", delta=0.5), F.smooth_l1_loss(x, torch.zeros(2, 3), beta=0.5))
# %%
print(F.poisson_nll_loss(x, torch.ones(2, 3), full=True, reduction="none"))
# %%
print(F.gaussian_nll_loss(x, torch.zeros(2, 3), torch.ones(2, 1), full=True))
# %%
print(torch.nn.CrossEntropyLoss(label_smoothing=0.1, ignore_index=1)(x, torch.tensor([1, 2])))
# %%
print(F.nll_loss(x.log_softmax(1), torch.tensor([1, 2]), weight=torch.tensor([0.0, 0.0, 0.0])))
# %%
F.binary_cross_entropy(x.sigmoid(), torch.ones(2, 3), weight=torch.ones(3, 2, 3))
# %%
print(F.binary_cross_entropy(x.sigmoid(), torch.ones(2, 3), weight=torch.tensor([[1.0], [2.0]])))
# %%
F.nll_loss(x.log_softmax(1), torch.tensor([0, 1]), weight=torch.ones(4))
# %%
F.cross_entropy(x, torch.rand(2, 3), weight=torch.ones(2))
