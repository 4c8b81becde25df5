"""Reference for examples/lab06_cross_entropy.mg: lab 6, softmax
classification on the toy data with F.cross_entropy, W zeros [4, 3], b zeros
[3], SGD lr 0.1."""
import torch
import torch.nn.functional as F
import torch.optim as optim

import common

common.setup()
torch.manual_seed(1)

x_train = common.f32([[1, 2, 1, 1],
                      [2, 1, 3, 2],
                      [3, 1, 3, 4],
                      [4, 1, 5, 5],
                      [1, 7, 5, 5],
                      [1, 2, 5, 6],
                      [1, 6, 6, 6],
                      [1, 7, 7, 7]])
y_train = common.i64([2, 2, 2, 1, 1, 1, 0, 0])

W = common.zeros(4, 3)
b = common.zeros(3)
optimizer = optim.SGD([W, b], lr=0.1)


def compute():
    z = x_train.matmul(W) + b
    cost = F.cross_entropy(z, y_train)
    return cost, {}


common.train_full_batch(compute, optimizer, epochs=1000, log_every=100)
