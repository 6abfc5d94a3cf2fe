import torch
import torch.nn as nn

torch.manual_seed(18)

class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(c, momentum=0.2)
        self.act = nn.SiLU()
        self.drop = nn.Dropout2d(0.1)

    def forward(self, x):
        return x + self.drop(self.act(self.bn(self.conv(x))))

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 5, stride=2, padding=2, padding_mode="reflect")
        self.blocks = nn.ModuleList([Block(8) for _ in range(2)])
        self.heads = nn.ModuleDict({"cls": nn.Linear(8, 10), "reg": nn.Linear(8, 1)})
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.register_buffer("scale", torch.ones(1))

net = Net()
print(net)
# %%
sd = net.state_dict()
print(list(sd.keys()))
print({k: tuple(v.shape) for k, v in sd.items() if "bn" in k})
print(sd["blocks.0.bn.num_batches_tracked"])
print(len(list(net.modules())), len(list(net.children())))
print([n for n, m in net.named_modules()][:6])
# %%
opt = torch.optim.AdamW([
    {"params": net.stem.parameters(), "lr": 1e-3},
    {"params": net.blocks.parameters()},
    {"params": net.heads.parameters(), "weight_decay": 0.0},
], lr=3e-4, betas=(0.9, 0.95))
print(opt)
sgd = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, nesterov=True)
print(sgd)
sched = torch.optim.lr_scheduler.StepLR(sgd, step_size=2, gamma=0.5)
print(sched.state_dict())
# %%
print(opt.state_dict()["param_groups"][2])
print(net.heads["cls"])
print(repr(net.blocks[0].bn))
print(nn.Sequential(nn.Conv1d(2, 3, 3), nn.MaxPool1d(2), nn.ConvTranspose1d(3, 2, 3, stride=2)))
print(nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.ZeroPad2d((1, 1, 2, 0)), nn.PixelShuffle(2)))
