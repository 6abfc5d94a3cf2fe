import torch
torch.manual_seed(0)
X = torch.randn(20, 3)
y = X @ torch.tensor([0.5, -1.0, 2.0]) + 0.3
results = {}
for name, make in [("SGD", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
                   ("Adam", lambda p: torch.optim.Adam(p, lr=0.1)),
                   ("AdamW", lambda p: torch.optim.AdamW(p, lr=0.1, weight_decay=0.01)),
                   ("Adagrad", lambda p: torch.optim.Adagrad(p, lr=0.5)),
                   ("RMSprop", lambda p: torch.optim.RMSprop(p, lr=0.05)),
                   ("Rprop", lambda p: torch.optim.Rprop(p, lr=0.05)),
                   ("Adamax", lambda p: torch.optim.Adamax(p, lr=0.2)),
                   ("NAdam", lambda p: torch.optim.NAdam(p, lr=0.1)),
                   ("RAdam", lambda p: torch.optim.RAdam(p, lr=0.1)),
                   ("Adadelta", lambda p: torch.optim.Adadelta(p, lr=1.0)),
                   ("LBFGS", lambda p: torch.optim.LBFGS(p, lr=1, max_iter=5, line_search_fn="strong_wolfe"))]:
    w = torch.zeros(3, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    opt = make([w, b])
    def closure():
        opt.zero_grad()
        loss = ((X @ w + b - y) ** 2).mean()
        loss.backward()
        return loss
    for i in range(25):
        loss = opt.step(closure)
    results[name] = round(loss.item(), 4)
    print(f"{name:9s} {results[name]:.4f}", w.detach().numpy().round(2), b.detach().numpy().round(2))
print(min(results, key=results.get))
