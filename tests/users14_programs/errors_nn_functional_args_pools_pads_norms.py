import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(22)
def show(fn):
    try:
        r = fn()
        print("ok", r if not isinstance(r, torch.Tensor) or r.numel() < 7 else tuple(r.shape))
    except Exception as e:
        print(type(e).__name__, ":", e)
x = torch.randn(2, 3, 4, 4)
show(lambda: F.linear(torch.randn(2, 3), torch.randn(4, 3), torch.randn(3)))
show(lambda: F.linear(torch.randn(2, 3), torch.randn(4, 3), torch.randn(2, 4)))
show(lambda: F.linear(torch.randn(2, 3), torch.randn(4, 3), torch.randn(3, 4)))
show(lambda: F.layer_norm(x, (3, 4)))
show(lambda: F.layer_norm(x, (4,), weight=torch.ones(3)))
show(lambda: F.group_norm(x, 2))
show(lambda: F.group_norm(x, 3, weight=torch.ones(4)))
show(lambda: F.batch_norm(x, torch.zeros(4), torch.ones(3)))
show(lambda: F.batch_norm(x, torch.zeros(3), torch.ones(3), training=True, momentum=0.1).shape)
show(lambda: F.instance_norm(x, torch.zeros(4), torch.ones(4)))
show(lambda: F.conv_transpose2d(x, torch.randn(3, 2, 3, 3), stride=2, output_padding=2))
show(lambda: F.conv_transpose2d(x, torch.randn(3, 2, 3, 3), stride=2, output_padding=1, dilation=1))
show(lambda: F.conv_transpose2d(x, torch.randn(4, 2, 3, 3)))
show(lambda: F.max_pool2d(x, 2, padding=2))
show(lambda: F.avg_pool2d(x, 3, padding=2))
show(lambda: F.max_pool2d(x, 0))
show(lambda: F.max_pool2d(x, 2, stride=0))
show(lambda: F.max_pool2d(x, 2, dilation=0))
show(lambda: F.avg_pool1d(x, 2))
show(lambda: F.adaptive_avg_pool2d(x, (2, 2, 2)))
show(lambda: F.adaptive_max_pool2d(x, -1))
show(lambda: F.pixel_shuffle(x, 2))
show(lambda: F.affine_grid(torch.randn(2, 2, 3), (3, 1, 4, 4), align_corners=False))
show(lambda: F.affine_grid(torch.randn(2, 3, 3), (2, 1, 4, 4), align_corners=False))
show(lambda: F.pad(x, (1, 1), value=2.0).shape)
show(lambda: F.pad(x, (1, 1, 1), value=2.0))
show(lambda: F.pad(x, (5, 5), mode="reflect"))
show(lambda: F.pad(x, (1, 1), mode="circular").shape)
show(lambda: F.pad(x, (5, 5), mode="circular"))
show(lambda: F.pad(x, (-1, -1)).shape)
show(lambda: F.pad(x, (1, 1), mode="bogus"))
show(lambda: F.normalize(x, p=0, dim=1).shape)
show(lambda: F.local_response_norm(x, 2).shape)
show(lambda: F.softmax(x, dim=4))
show(lambda: F.glu(torch.randn(3, 5)))
show(lambda: F.prelu(x, torch.ones(2)))
show(lambda: F.threshold(x, 0.5, 0.0, inplace=True).shape)
show(lambda: nn.PReLU(4)(x))
show(lambda: nn.LayerNorm([3, 5])(x))
show(lambda: nn.GroupNorm(2, 4)(x))
show(lambda: nn.InstanceNorm2d(3)(torch.randn(3, 4, 4)).shape)
show(lambda: nn.InstanceNorm1d(3)(torch.randn(3, 4)).shape)
# %%
x3 = torch.randn(1, 2, 3, 4, 4)
for fn in [lambda: F.max_pool1d(x[0], 2, stride=0), lambda: F.avg_pool1d(x[0], 2, stride=0),
           lambda: F.max_pool1d(x[0], 2, dilation=0), lambda: F.max_pool1d(x[0], 0), lambda: F.max_pool2d(x, 2, padding=-1),
           lambda: F.max_pool2d(x, 2, stride=-1), lambda: F.avg_pool1d(x[0], 2, stride=-1),
           lambda: F.adaptive_max_pool2d(x, (2, 2, 2)), lambda: F.adaptive_avg_pool1d(x[0], (2, 2)),
           lambda: F.adaptive_max_pool1d(x[0], (2, 2)), lambda: F.adaptive_avg_pool3d(x3, (2, 2)),
           lambda: F.adaptive_max_pool3d(x3, (2, 2)), lambda: F.adaptive_avg_pool3d(x3, -1), lambda: F.adaptive_max_pool3d(x3, -1),
           lambda: F.adaptive_avg_pool2d(x[0], (-1, 2)), lambda: F.adaptive_max_pool2d(x[0], (2, -1)),
           lambda: F.adaptive_avg_pool2d(x, 0), lambda: F.adaptive_max_pool2d(x, (0, 2)), lambda: F.adaptive_avg_pool1d(x[0], -1),
           lambda: F.pad(x[0, 0], (1, 1, 1, 1), mode="reflect"), lambda: F.pad(x[0, 0, 0], (1, 1), mode="circular"),
           lambda: F.pad(x, (1, 1, 1, 1, 1, 1, 1, 1), mode="reflect"), lambda: F.pad(x, (1, 1, 2, 2), mode="circular"),
           lambda: F.layer_norm(x, (4,), bias=torch.ones(2, 2)), lambda: F.layer_norm(x, ()),
           lambda: F.linear(torch.randn(5, 2, 3), torch.randn(4, 3), torch.randn(3)),
           lambda: F.linear(torch.randn(3), torch.randn(4, 3), torch.randn(3)),
           lambda: F.linear(torch.randn(2, 3), torch.randn(4, 3), torch.randn(1, 1, 4)),
           lambda: F.affine_grid(torch.randn(1, 2, 3), (2, 1, 4, 4), align_corners=False),
           lambda: F.instance_norm(x, weight=torch.ones(4)), lambda: F.instance_norm(x, bias=torch.ones(5))]:
    show(fn)
