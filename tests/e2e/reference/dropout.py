"""Reference for tests/e2e/dropout.mg: two linear layers with F.dropout(p=0.3)
in training mode between them, full batch, SGD; the dropout masks come from
the global generator after the layers' init draws, one mask per step."""
import torch
import torch.nn.functional as F
import torch.optim as optim

import common

common.setup()
torch.manual_seed(11)
l1 = torch.nn.Linear(4, 16)
l2 = torch.nn.Linear(16, 3)
x = common.f32([[1, 2, 1, 1], [2, 1, 3, 2], [3, 1, 3, 4], [4, 1, 5, 5],
                [1, 7, 5, 5], [1, 2, 5, 6], [1, 6, 6, 6], [1, 7, 7, 7]])
y = common.i64([2, 2, 2, 1, 1, 1, 0, 0])
optimizer = optim.SGD(list(l1.parameters()) + list(l2.parameters()), lr=0.05)


def compute():
    z = l2(F.dropout(F.relu(l1(x)), p=0.3, training=True))
    return F.cross_entropy(z, y), {}


common.train_full_batch(compute, optimizer, epochs=50, log_every=5)
