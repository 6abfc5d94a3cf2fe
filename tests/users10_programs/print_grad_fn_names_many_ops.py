import torch
import torch.nn.functional as F
x = torch.randn(2, 3, requires_grad=True)
w = torch.randn(4, 3, requires_grad=True)
for y in [F.linear(x, w), F.relu(x), F.gelu(x), F.softmax(x, 1), F.log_softmax(x, 1), F.layer_norm(x, (3,)), F.dropout(x, 0.0),
          F.mse_loss(x, torch.zeros(2, 3)), F.cross_entropy(x, torch.tensor([0, 1])), F.silu(x), F.leaky_relu(x), F.elu(x),
          F.softplus(x), F.normalize(x), F.pad(x, (1, 1)), F.embedding(torch.tensor([0, 1]), w), F.cosine_similarity(x, x),
          x @ w.T, torch.mm(x, w.T), x.matmul(w.t()), torch.einsum('ij,kj->ik', x, w), x.T, x.mT, x.flatten(), x.unsqueeze(0),
          x.sum(1), x.mean(), x.var(), x.std(0), x.norm(dim=1), x.abs(), x.clamp(0, 1), x[0], x[:, 1:], x[[0, 1]],
          torch.cat([x, x]), torch.stack([x, x]), x.repeat(2, 1), x.expand(2, 2, 3), x.permute(1, 0), x.transpose(0, 1), x.contiguous(),
          x.exp(), x.sigmoid(), x.tanh(), x * 2, 2 / (x + 5), x - 1, -x, x.pow(2), x ** 0.5, x.max(), x.max(1)[0], x.amax(1), x.logsumexp(1),
          x.cumsum(0), x.cumprod(1), x.softmax(0), torch.where(x > 0, x, -x), x.masked_fill(x > 0, 0.0), x.gather(1, torch.tensor([[0], [1]])),
          x.index_select(0, torch.tensor([1])), x.squeeze(), x.reshape(3, 2), x.view(-1), x.split(1)[0], x.chunk(3, 1)[1], x.narrow(1, 0, 2),
          x.diag_embed() if False else x.sort(1)[0], x.topk(2)[0], x.prod(), x.trace() if False else x.sum(), x.lerp(torch.zeros(2, 3), 0.5),
          torch.addmm(torch.zeros(2, 4), x, w.T), x.sqrt(), x.log(), x.sin(), x.atan2(x), x.hypot(x), x.fmod(1.5), x.remainder(1.5), x.floor(),
          x.erf(), x.sign(), x.square(), x.rsqrt(), x.mul(x).add(1), x.addcmul(x, x), x.outer if False else x.flip(0), x.roll(1), x.tril(), x.triu(1)]:
    print(y.grad_fn.name() if y.grad_fn is not None else None, end=" ")
