"""Reference for tests/e2e/lab03_gd.mg: lab 3's gradient descent on
cost(W) = mean((x W - y)^2) with optim.SGD(lr=0.15), full batch."""
import torch
import torch.optim as optim

import common

common.setup()

x_train = common.f32([[1], [2], [3]])
y_train = common.f32([[1], [2], [3]])
W = common.zeros(1)
optimizer = optim.SGD([W], lr=0.15)


def compute():
    hypothesis = x_train * W
    cost = torch.mean((hypothesis - y_train) ** 2)
    return cost, {}


common.train_full_batch(compute, optimizer, epochs=10, log_every=1)
