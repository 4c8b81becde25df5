"""Reference for tests/e2e/conv_init.mg: initializers on 4-D tensors, with
torch.nn.init's fans, drawn in the .mg's order (nn.Conv2d's own draws,
then kaiming_uniform_ on a param, nn.Linear, and the init statements), and
five full-batch SGD steps through two convolutions and a linear layer."""
import re

import torch
import torch.nn as nn
import torch.nn.functional as F

import common

common.setup()
torch.manual_seed(3)

c1 = nn.Conv2d(2, 3, (3, 2), padding=1)
c2 = nn.Conv2d(3, 2, 2, stride=2, bias=False)
k = torch.empty(3, 2, 3, 2)
torch.nn.init.kaiming_uniform_(k, a=1)
fc = nn.Linear(12, 1)
torch.nn.init.xavier_uniform_(c2.weight, gain=2)
torch.nn.init.xavier_normal_(c1.weight)
k = k.to(common.FLOAT).requires_grad_()
model = common.cast(nn.Sequential(c1, nn.ReLU(), c2, nn.Tanh(), nn.Flatten(), fc))

# the .mg's inline images, read from the .mg itself so the two cannot differ
source = (common.REPO / "tests" / "e2e" / "conv_init.mg").read_text()
images = source[source.index("inline(x = ") + len("inline(x = "):source.index(",\n                y =")]
values = [float(v) for v in re.findall(r"-?\d+\.\d+", images)]
x = common.f32(values).view(3, 2, 4, 5)
y = common.f32([[0.5], [-0.25], [1.0]])

optimizer = torch.optim.SGD(list(model.parameters()) + [k], lr=0.1)


def compute():
    return F.mse_loss(model(x), y) + common.f32(0.01) * torch.mean(k * k), {}


common.train_full_batch(compute, optimizer, epochs=5, log_every=1)
