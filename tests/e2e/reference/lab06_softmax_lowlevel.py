"""Reference for examples/lab06_softmax_lowlevel.mg: lab 6, softmax
classification on the toy data with the cross-entropy written by hand
(one-hot * -log(softmax)), W zeros [4, 3], b zeros [3], SGD lr 0.1."""
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
    hypothesis = F.softmax(x_train.matmul(W) + b, dim=1)
    y_one_hot = torch.zeros_like(hypothesis)
    y_one_hot.scatter_(1, y_train.unsqueeze(1), 1)
    cost = (y_one_hot * -torch.log(hypothesis)).sum(dim=1).mean()
    return cost, {}


common.train_full_batch(compute, optimizer, epochs=1000, log_every=100)
