"""Reference for tests/e2e/adam.mg: torch.optim.Adam with lr 0.01 and
weight_decay 0.001 on a 2-8-3 leaky-ReLU softmax classifier
(F.cross_entropy), full batch."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

import common

common.setup()
torch.manual_seed(11)

x = common.f32([[-1.0, -1.0], [-1.25, -0.5], [-0.5, -1.25], [-0.75, -0.75],
                [1.0, -1.0], [1.25, -0.5], [0.5, -1.25], [0.75, -0.25],
                [0.0, 1.0], [0.25, 1.25], [-0.25, 0.75], [0.5, 0.5]])
y = common.i64([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])

fc1 = nn.Linear(2, 8)
fc2 = nn.Linear(8, 3)
model = common.cast(nn.ModuleList([fc1, fc2]))

optimizer = optim.Adam(model.parameters(), lr=0.01, weight_decay=0.001)


def compute():
    z = fc2(F.leaky_relu(fc1(x), negative_slope=0.1))
    cost = F.cross_entropy(z, y)
    accuracy = (torch.argmax(z, dim=1) == y).float().mean()
    return cost, {"accuracy": accuracy}


common.train_full_batch(compute, optimizer, epochs=200, log_every=20)
