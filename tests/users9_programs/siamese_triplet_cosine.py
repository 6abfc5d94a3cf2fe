import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
embed = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 4))
triplet = nn.TripletMarginLoss(margin=0.5, p=2)
cos_loss = nn.CosineEmbeddingLoss(margin=0.1)
opt = torch.optim.SGD(embed.parameters(), lr=0.05, momentum=0.9)
anchor, positive, negative = torch.randn(5, 6), torch.randn(5, 6), torch.randn(5, 6)
positive = anchor + 0.1 * positive
for step in range(4):
    opt.zero_grad()
    a, p, n = embed(anchor), embed(positive), embed(negative)
    l1 = triplet(a, p, n)
    l2 = cos_loss(a, n, -torch.ones(5))
    loss = l1 + l2
    loss.backward()
    opt.step()
    print(step, f"{l1.item():.4f}", f"{l2.item():.4f}")
sim = F.cosine_similarity(embed(anchor), embed(positive))
print(sim.shape, sim.grad_fn.name())
numeric(sim)
print(F.pairwise_distance(a, p).shape, torch.cdist(a, n).shape)
