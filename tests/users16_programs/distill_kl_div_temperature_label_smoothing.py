import torch
import torch.nn.functional as F

torch.manual_seed(5)
teacher = torch.nn.Linear(6, 4)
student = torch.nn.Linear(6, 4)
x = torch.randn(8, 6)
y = torch.randint(0, 4, (8,))
T = 3.0
with torch.no_grad():
    t_logits = teacher(x)
s_logits = student(x)
kd = F.kl_div(F.log_softmax(s_logits / T, dim=1), F.softmax(t_logits / T, dim=1), reduction="batchmean") * T * T
ce = F.cross_entropy(s_logits, y, label_smoothing=0.1)
loss = 0.7 * kd + 0.3 * ce
loss.backward()
print(f"{kd.item():.6f} {ce.item():.6f} {loss.item():.6f}")
print(kd.grad_fn.name(), ce.grad_fn.name(), loss.grad_fn.name())
print(student.bias.grad)
# %%
kd_lt = F.kl_div(F.log_softmax(s_logits / T, 1), F.log_softmax(t_logits / T, 1), reduction="batchmean", log_target=True)
print(torch.allclose(kd_lt * T * T, kd))
print(F.kl_div(F.log_softmax(s_logits, 1), F.softmax(t_logits, 1), reduction="mean"))
print(F.kl_div(F.log_softmax(s_logits, 1), F.softmax(t_logits, 1), reduction="none").shape)
print(F.kl_div(F.log_softmax(s_logits, 1), F.softmax(t_logits, 1)))
# %%
crit = torch.nn.KLDivLoss(reduction="batchmean", log_target=True)
print(crit, crit(F.log_softmax(s_logits, 1), F.log_softmax(t_logits, 1)))
soft_targets = F.softmax(t_logits, 1)
print(F.cross_entropy(s_logits, soft_targets), F.cross_entropy(s_logits, soft_targets, label_smoothing=0.2))
w = torch.tensor([1.0, 2.0, 0.5, 1.0])
print(F.cross_entropy(s_logits, y, weight=w, label_smoothing=0.1))
print(F.cross_entropy(s_logits, soft_targets, weight=w))
# %%
opt = torch.optim.SGD(student.parameters(), lr=0.5)
for ep in range(5):
    opt.zero_grad()
    s = student(x)
    l = F.kl_div(F.log_softmax(s / T, 1), F.softmax(t_logits / T, 1), reduction="batchmean") * T * T
    l.backward()
    opt.step()
    print(ep, f"{l.item():.5f}", (s.argmax(1) == t_logits.argmax(1)).float().mean().item())
# %%
F.cross_entropy(s_logits, y, label_smoothing=1.5)
# %%
F.kl_div(s_logits, t_logits, reduction="batchmean", log_target=True).item() >= 0
