"""Reference for tests/e2e/robust_nll.mg at -O0: the
cost as written, which is nan (0 * log(0)) or inf (log(0)) from the start."""
import torch
import torch.nn.functional as F
import torch.optim as optim

import common

common.setup()
x_train = common.f32([[1, 2, 1, 1], [2, 1, 3, 2], [3, 1, 3, 4], [4, 1, 5, 5],
                      [1, 7, 5, 5], [1, 2, 5, 6], [1, 6, 6, 6], [1, 7, 7, 7]])
y_train = common.i64([2, 2, 2, 1, 1, 1, 0, 0])
W = common.f32([[100, -100, 0], [-100, 100, 50], [100, 0, -100], [-50, 100, 100]]).requires_grad_()
b = common.zeros(3)
optimizer = optim.SGD([W, b], lr=0.01)


def compute():
    z = x_train.matmul(W) + b
    return F.nll_loss(torch.log(F.softmax(z, dim=1)), y_train), {}


common.train_full_batch(compute, optimizer, epochs=100, log_every=10)
