"""Reference for examples/lab05_logistic.mg: lab 5, logistic regression on the
toy data with the cost written by hand (W, b zeros, SGD lr 1, 1000 epochs)."""
import torch
import torch.optim as optim

import common

common.setup()
torch.manual_seed(1)

x_train = common.f32([[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]])
y_train = common.f32([[0], [0], [0], [1], [1], [1]])

W = common.zeros(2, 1)
b = common.zeros(1)
optimizer = optim.SGD([W, b], lr=1)


def compute():
    hypothesis = torch.sigmoid(x_train.matmul(W) + b)
    cost = -(y_train * torch.log(hypothesis) +
             (1 - y_train) * torch.log(1 - hypothesis)).mean()
    accuracy = ((hypothesis >= 0.5).float() == y_train).float().mean()
    return cost, {"accuracy": accuracy}


common.train_full_batch(compute, optimizer, epochs=1000, log_every=100)
