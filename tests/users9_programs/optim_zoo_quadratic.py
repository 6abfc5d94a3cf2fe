import torch

A = torch.tensor([[3.0, 0.5], [0.5, 1.0]])
def run(make, steps=15):
    torch.manual_seed(0)
    w = torch.tensor([2.0, -1.0], requires_grad=True)
    opt = make([w])
    for _ in range(steps):
        opt.zero_grad()
        loss = 0.5 * w @ A @ w
        loss.backward()
        opt.step()
    return w.detach(), loss.item()

for name, make in [
    ("Adagrad", lambda p: torch.optim.Adagrad(p, lr=0.5, lr_decay=0.01)),
    ("Adamax", lambda p: torch.optim.Adamax(p, lr=0.2)),
    ("NAdam", lambda p: torch.optim.NAdam(p, lr=0.2, momentum_decay=0.004)),
    ("RAdam", lambda p: torch.optim.RAdam(p, lr=0.2)),
    ("RAdam_dec", lambda p: torch.optim.RAdam(p, lr=0.2, weight_decay=0.1, decoupled_weight_decay=True)),
    ("Rprop", lambda p: torch.optim.Rprop(p, lr=0.1, etas=(0.4, 1.3))),
    ("ASGD", lambda p: torch.optim.ASGD(p, lr=0.1, t0=5)),
    ("Adadelta", lambda p: torch.optim.Adadelta(p, lr=1.0, rho=0.8)),
    ("SGD_nesterov", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, dampening=0)),
    ("Adam_max", lambda p: torch.optim.Adam(p, lr=0.1, maximize=False, amsgrad=True, weight_decay=0.01)),
]:
    w, l = run(make)
    print(name, w, f"{l:.6f}")
