"""Reference for examples/lab05_bce.mg: lab 5, logistic regression on the toy
data with F.binary_cross_entropy (W, b zeros, SGD lr 1, 1000 epochs)."""
import torch
import torch.nn.functional as F
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
    cost = F.binary_cross_entropy(hypothesis, y_train)
    accuracy = ((hypothesis >= 0.5).float() == y_train).float().mean()
    return cost, {"accuracy": accuracy}


common.train_full_batch(compute, optimizer, epochs=1000, log_every=100)
