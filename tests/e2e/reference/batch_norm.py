"""Reference for tests/e2e/batch_norm.mg: nn.BatchNorm2d(2) on [N, 2, 3, 3]
images, then a linear layer and nn.BatchNorm1d(4, eps=1e-3, momentum=0.3),
trained in mini-batches of 4 (the last of each epoch 2 rows) with Adam; the
eval data evaluated in model.eval() after epochs 2, 4 and 6 and after
training."""
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
import torch

import common

common.setup()
torch.manual_seed(5)
bn2 = nn.BatchNorm2d(2)
fc = nn.Linear(18, 4, bias=False)
bn1 = nn.BatchNorm1d(4, eps=1e-3, momentum=0.3)
out = nn.Linear(4, 3)
model = common.cast(nn.Sequential(bn2, nn.ReLU(), nn.Flatten(), fc, bn1, nn.ReLU(), out))
x = common.f32([[[[0.49, 0.97, 1.18], [1.77, 0.96, 1.69], [-1.88, -0.14, 1.77]], [[0.6, 1.6, -1.55], [-0.12, -1.01, 0.18], [0.3, -1.95, -1.13]]], [[[-0.88, 1.67, 1.06], [-1.36, 1.19, -1.44], [0.47, -1.49, -1.99]], [[1.49, -1.16, -1.14], [1.93, 1.49, -0.84], [1.85, 0.16, 0.71]]], [[[-1.18, 1.76, 0.76], [1.87, 1.57, -0.8], [-0.56, -1.34, -1.42]], [[-1.74, -0.79, 0.41], [-1.99, 0.71, -0.65], [-0.76, 1.27, -0.08]]], [[[-0.74, -0.08, 0.82], [-1.77, 1.9, -1.91], [1.0, 1.38, -1.93]], [[1.15, -0.54, 0.31], [-1.96, -1.81, -1.28], [1.82, -1.21, 1.02]]], [[[1.72, 1.77, -0.62], [-0.58, 0.1, 1.1], [-1.57, 0.99, 1.19]], [[1.44, -1.85, 1.78], [-1.64, -0.64, 0.44], [1.67, -0.64, 1.7]]], [[[0.18, -0.75, -0.73], [-1.29, -1.69, -1.4], [0.76, 1.99, -1.35]], [[-1.81, 1.95, 0.13], [-0.38, -1.05, 0.38], [1.31, -0.18, -0.31]]]])
y = common.i64([0, 1, 2, 1, 0, 2])
optimizer = optim.Adam(model.parameters(), lr=0.05)


def compute(X, Y):
    z = model(X)
    accuracy = (torch.argmax(z, dim=1) == Y).float().mean()
    return F.cross_entropy(z, Y), {"accuracy": accuracy}


common.train_minibatch((x, y), compute, optimizer, epochs=6, log_every=1, batch_size=4,
                       after_epoch=common.every(2, 6, (x, y), compute, model))
common.evaluate((x, y), compute, model)
