import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
class RBM(nn.Module):
    def __init__(self, n_vis=6, n_hin=4, k=1):
        super().__init__()
        self.W = nn.Parameter(torch.randn(n_hin, n_vis) * 1e-2)
        self.v_bias = nn.Parameter(torch.zeros(n_vis))
        self.h_bias = nn.Parameter(torch.zeros(n_hin))
        self.k = k
    def sample_from_p(self, p):
        return F.relu(torch.sign(p - torch.rand(p.size())))
    def v_to_h(self, v):
        p_h = torch.sigmoid(F.linear(v, self.W, self.h_bias))
        return p_h, self.sample_from_p(p_h)
    def h_to_v(self, h):
        p_v = torch.sigmoid(F.linear(h, self.W.t(), self.v_bias))
        return p_v, self.sample_from_p(p_v)
    def forward(self, v):
        pre_h1, h1 = self.v_to_h(v)
        h_ = h1
        for _ in range(self.k):
            pre_v_, v_ = self.h_to_v(h_)
            pre_h_, h_ = self.v_to_h(v_)
        return v, v_
    def free_energy(self, v):
        vbias_term = v.mv(self.v_bias)
        wx_b = F.linear(v, self.W, self.h_bias)
        hidden_term = wx_b.exp().add(1).log().sum(1)
        return (-hidden_term - vbias_term).mean()

rbm = RBM()
data = torch.bernoulli(torch.full((16, 6), 0.3))
data[:8, :3] = 1.0
print(data.sum(0), data.dtype)
v, v1 = rbm(data)
print(v1.requires_grad, v1.grad_fn, v1.unique())
# %%
train_op = torch.optim.SGD(rbm.parameters(), 0.1)
for epoch in range(10):
    loss_ = []
    v, v1 = rbm(data)
    loss = rbm.free_energy(v) - rbm.free_energy(v1)
    loss_.append(loss.data)
    train_op.zero_grad()
    loss.backward()
    train_op.step()
    if epoch % 3 == 0:
        print("Training loss for {} epoch: {:.4f}".format(epoch, torch.mean(torch.stack(loss_)).item()))
print(rbm.W.grad.shape, rbm.v_bias.grad)
# %%
fe = rbm.free_energy(data)
print(fe, fe.grad_fn)
print(F.softplus(F.linear(data, rbm.W, rbm.h_bias)).sum(1)[:3])
print(torch.allclose(F.softplus(F.linear(data, rbm.W, rbm.h_bias)).sum(1),
                     F.linear(data, rbm.W, rbm.h_bias).exp().add(1).log().sum(1)))
# %%
p = torch.tensor([0.0, 0.5, 1.0])
print(torch.bernoulli(p.expand(3, 3), generator=torch.Generator().manual_seed(3)))
print(torch.sign(torch.tensor([-0.0, 0.0, 2.0, -1.5])), F.relu(torch.sign(torch.tensor([-0.2, 0.3]))))
# %%
torch.bernoulli(torch.tensor([0.5, 1.5]))
