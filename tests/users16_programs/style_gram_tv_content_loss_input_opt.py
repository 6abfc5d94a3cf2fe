import torch
import torch.nn.functional as F

torch.manual_seed(0)
features = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, padding=1), torch.nn.ReLU(),
                               torch.nn.Conv2d(4, 4, 3, padding=1), torch.nn.ReLU())
for p in features.parameters():
    p.requires_grad_(False)
content = torch.rand(1, 3, 8, 8)
style = torch.rand(1, 3, 8, 8)

def gram(f):
    b, c, h, w = f.shape
    f = f.view(b, c, h * w)
    return torch.bmm(f, f.transpose(1, 2)) / (c * h * w)

def tv(img):
    return (img[..., 1:, :] - img[..., :-1, :]).abs().mean() + (img[..., :, 1:] - img[..., :, :-1]).abs().mean()

with torch.no_grad():
    c_feat = features(content)
    s_gram = gram(features(style))
print(s_gram.shape, s_gram[0, 0])
img = content.clone().requires_grad_(True)
opt = torch.optim.Adam([img], lr=0.05)
for it in range(8):
    opt.zero_grad()
    f = features(img)
    lc = F.mse_loss(f, c_feat)
    ls = F.mse_loss(gram(f), s_gram)
    lt = tv(img)
    loss = lc + 100 * ls + 0.1 * lt
    loss.backward()
    opt.step()
    with torch.no_grad():
        img.clamp_(0, 1)
    print(it, f"{lc.item():.6f} {ls.item():.8f} {lt.item():.5f}")
print(img.grad.shape, img.is_leaf, img.grad_fn)
# %%
f = features(img)
print(gram(f).grad_fn.name(), f.view(1, 4, 64).grad_fn.name())
g = torch.einsum("bchw,bdhw->bcd", f, f) / (4 * 64)
print(torch.allclose(g, gram(f)))
# %%
x = torch.rand(2, 3, 4, 4, requires_grad=True)
print(torch.nn.functional.normalize(x, dim=1).shape)
tv(x).backward()
print(x.grad[0, 0])
# %%
features(torch.rand(1, 1, 8, 8))
