"""Reference for tests/e2e/batch_norm_full.mg: Linear, nn.BatchNorm1d(6),
ReLU, Linear, trained on the whole batch with SGD and momentum; the lessons'
loop runs the model in training mode once an epoch (epochs + 1 times), and
the eval data is evaluated in model.eval() after the lines of epochs 0, 2,
4, 6, 8 and 9 and after training."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

import common

common.setup()
torch.manual_seed(3)
fc1 = nn.Linear(4, 6)
bn = nn.BatchNorm1d(6)
fc2 = nn.Linear(6, 3)
model = common.cast(nn.Sequential(fc1, bn, nn.ReLU(), fc2))
x = common.f32([[1, 2, 3, 4], [2, 1, 0, -1], [0.5, 0.2, -0.3, 1], [3, -1, 2, 0],
                [1, 1, 1, 1], [-2, 0, 1, 3], [0, 0, 2, 2]])
y = common.i64([0, 1, 2, 0, 1, 2, 0])
xe = common.f32([[1, 0, 3, 4], [2, 2, 0, -1], [0.5, 1.2, -0.3, 1]])
ye = common.i64([0, 1, 2])
optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)


def compute_on(X, Y):
    z = model(X)
    accuracy = (torch.argmax(z, dim=1) == Y).float().mean()
    return F.cross_entropy(z, Y), {"accuracy": accuracy}


common.train_full_batch(lambda: compute_on(x, y), optimizer, epochs=9, log_every=2,
                        after_epoch=common.every(2, 9, (xe, ye), compute_on, model))
common.evaluate((xe, ye), compute_on, model)
