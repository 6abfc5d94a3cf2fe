import torch
from torch import nn
from torch.func import grad, jacrev, jacfwd, vmap, vjp, jvp
cases = {
    "jacrev float": lambda: jacrev(lambda x: 1.0)(torch.ones(2)),
    "jacfwd float": lambda: jacfwd(lambda x: 1.0)(torch.ones(2)),
    "jacrev list": lambda: jacrev(lambda x: [x, 1])(torch.ones(2)),
    "vjp float": lambda: vjp(lambda x: 1.0, torch.ones(2)),
    "vjp empty": lambda: vjp(lambda x: (), torch.ones(2)),
    "jvp empty": lambda: jvp(lambda x: (), (torch.ones(2),), (torch.ones(2),)),
    "grad of a float": lambda: grad(lambda x: x)(1.0),
    "jacrev of a float": lambda: jacrev(lambda x: x)(1.0),
    "jvp float primal": lambda: jvp(lambda x: x, (1.0,), (1.0,)),
    "jvp float tangent": lambda: jvp(lambda x: x, (torch.ones(2),), (1.0,)),
    "grad list arg": lambda: grad(lambda x: x[0].sum())([torch.ones(2), 2.0]),
    "argnums twice": lambda: grad(lambda x, y: (x * y).sum(), argnums=(0, -2))(torch.ones(2), torch.ones(2)),
    "vmap in_dims str": lambda: vmap(lambda x: x, in_dims="a")(torch.ones(2)),
    "vmap in_dims list": lambda: vmap(lambda x: x, in_dims=[0])(torch.ones(2)),
    "vmap out_dims str": lambda: vmap(lambda x: x, out_dims="a")(torch.ones(2)),
}
for k, c in cases.items():
    try:
        c()
        print(k, "ok")
    except (RuntimeError, ValueError) as e:
        print(f"{k}: {type(e).__name__}: {e}")
# %%
rnn_cases = {
    "lstm input size": lambda: nn.LSTM(2, 3)(torch.ones(4, 1, 3)),
    "gru input size": lambda: nn.GRU(2, 3, batch_first=True)(torch.ones(1, 4, 3)),
    "rnn dtype": lambda: nn.RNN(2, 3)(torch.ones(4, 1, 2, dtype=torch.float64)),
    "lstm 1-tuple state": lambda: nn.LSTM(2, 3)(torch.ones(4, 1, 2), (torch.zeros(1, 1, 3),)),
    "lstm state shape": lambda: nn.LSTM(2, 3)(torch.ones(4, 1, 2), (torch.zeros(1, 2, 3), torch.zeros(1, 1, 3))),
    "gru state shape": lambda: nn.GRU(2, 3)(torch.ones(4, 1, 2), torch.zeros(2, 1, 3)),
    "lstmcell input": lambda: nn.LSTMCell(2, 3)(torch.ones(1, 3)),
    "grucell hidden": lambda: nn.GRUCell(2, 3)(torch.ones(1, 2), torch.zeros(1, 4)),
    "grucell batch": lambda: nn.GRUCell(2, 3)(torch.ones(2, 2), torch.zeros(1, 3)),
    "lstmcell c": lambda: nn.LSTMCell(2, 3)(torch.ones(1, 2), (torch.zeros(1, 3), torch.zeros(1, 5))),
    "rnncell input": lambda: nn.RNNCell(2, 3)(torch.ones(1, 4)),
}
for k, c in rnn_cases.items():
    try:
        c()
        print(k, "ok")
    except Exception as e:
        print(f"{k}: {type(e).__name__}: {e}")
# %%
w = torch.ones(1, requires_grad=True)
for k, c in {"adam lr 2 elems": lambda: torch.optim.Adam([w], lr=torch.tensor([0.1, 0.2])),
             "sgd lr 2 elems": lambda: torch.optim.SGD([w], lr=torch.tensor([0.1, 0.2])),
             "rmsprop lr 2 elems": lambda: torch.optim.RMSprop([w], lr=torch.tensor([0.1, 0.2])),
             "adam tensor lr foreach": lambda: torch.optim.Adam([w], lr=torch.tensor(0.1), foreach=True),
             "adam tensor lr": lambda: torch.optim.Adam([w], lr=torch.tensor(0.1)),
             "lbfgs lr 2 elems": lambda: torch.optim.LBFGS([w], lr=torch.tensor([1.0, 2.0]))}.items():
    try:
        print(k, c())
    except ValueError as e:
        print(f"{k}: {e}")
