import torch
def run(cls, dtype=torch.float32, **kw):
    w = torch.tensor([1.5, -0.5], requires_grad=True, dtype=dtype)
    opt = cls([w], **kw)
    for _ in range(25):
        opt.zero_grad()
        loss = (1 - w[0]) ** 2 + 0.5 * (w[1] - 0.3 * w[0]) ** 2 + 0.1 * w[1] ** 4
        loss.backward()
        opt.step()
    return w.detach(), sorted(opt.state[w].keys())
for cls, kw in [(torch.optim.Adam, dict(lr=0.05, amsgrad=True)), (torch.optim.AdamW, dict(lr=0.05, weight_decay=0.1)),
                (torch.optim.RMSprop, dict(lr=0.01, momentum=0.5, centered=True)), (torch.optim.Adagrad, dict(lr=0.1)),
                (torch.optim.Adamax, dict(lr=0.05)), (torch.optim.Adamax, dict(lr=0.05, weight_decay=0.1, maximize=False)),
                (torch.optim.NAdam, dict(lr=0.05)), (torch.optim.NAdam, dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True)),
                (torch.optim.NAdam, dict(lr=0.05, weight_decay=0.1)),
                (torch.optim.RAdam, dict(lr=0.05)), (torch.optim.RAdam, dict(lr=0.05, weight_decay=0.1)),
                (torch.optim.RAdam, dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True)),
                (torch.optim.Adadelta, dict(lr=1.0)), (torch.optim.Adadelta, dict(lr=0.5, rho=0.8, weight_decay=0.01)),
                (torch.optim.SGD, dict(lr=0.01, momentum=0.9, dampening=0.1))]:
    print(cls.__name__, *run(cls, **kw))
    print(cls.__name__, *run(cls, dtype=torch.float64, **kw))
for cls in (torch.optim.Adamax, torch.optim.NAdam, torch.optim.RAdam, torch.optim.Adadelta):
    try:
        cls([torch.zeros(1, requires_grad=True)], lr=-1)
    except ValueError as e:
        print(e)
