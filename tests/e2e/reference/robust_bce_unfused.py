"""Reference for tests/e2e/robust_bce.mg at -O0: the cost exactly as written,
which is nan from the first epoch (0 * log(0) for the confident sample)."""
import torch
import torch.optim as optim

import common

common.setup()
x_train = common.f32([[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]])
y_train = common.f32([[0], [0], [0], [1], [1], [1]])
W = common.f32([[5], [1]]).requires_grad_()
b = common.zeros(1)
optimizer = optim.SGD([W, b], lr=0.1)


def compute():
    h = torch.sigmoid(x_train.matmul(W) + b)
    return -(y_train * torch.log(h) + (1 - y_train) * torch.log(1 - h)).mean(), {}


common.train_full_batch(compute, optimizer, epochs=100, log_every=10)
