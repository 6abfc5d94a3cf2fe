import torch
from torch import nn
from torch.nn import functional as F


class VAE(nn.Module):
    def __init__(self):
        super(VAE, self).__init__()
        self.fc1 = nn.Linear(16, 8)
        self.fc21 = nn.Linear(8, 2)
        self.fc22 = nn.Linear(8, 2)
        self.fc3 = nn.Linear(2, 8)
        self.fc4 = nn.Linear(8, 16)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5*logvar)
        eps = torch.randn_like(std)
        return mu + eps*std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 16))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, 16), reduction='sum')
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD


torch.manual_seed(0)
model = VAE()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
data = (torch.rand(12, 1, 4, 4) > 0.5).float()
model.train()
train_loss = 0
for epoch in range(1, 4):
    for batch_idx in range(3):
        batch = data[batch_idx * 4:(batch_idx + 1) * 4]
        optimizer.zero_grad()
        recon_batch, mu, logvar = model(batch)
        loss = loss_function(recon_batch, batch, mu, logvar)
        loss.backward()
        train_loss += loss.item()
        optimizer.step()
    print('====> Epoch: {} Average loss: {:.4f}'.format(epoch, train_loss / len(data)))
print(recon_batch.grad_fn, mu.shape)
# %%
p = torch.tensor([0.2, 0.7, 0.9], requires_grad=True)
t = torch.tensor([0., 1., 1.])
l1 = F.binary_cross_entropy(p, t, size_average=False)
print(l1)
l2 = F.binary_cross_entropy(p, t, reduce=False)
print(l2)
l3 = nn.BCELoss(size_average=False)(p, t)
print(l3)
l4 = F.mse_loss(p, t, size_average=False, reduce=True)
print(l4)
l1.backward()
print(p.grad)
# %%
print(nn.BCELoss(size_average=False).reduction, nn.MSELoss(reduce=False).reduction, nn.L1Loss(size_average=True, reduce=False).reduction)
print(F.l1_loss(p, t, reduce=False, size_average=True))
print(F.nll_loss(torch.log_softmax(torch.ones(2, 3), 1), torch.tensor([0, 2]), size_average=False))
print(F.kl_div(torch.log(p.detach()), t, reduction='batchmean'))
print(F.kl_div(torch.log(p.detach()), t, size_average=False))
