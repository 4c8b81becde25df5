"""Reference for tests/e2e/robust_bce.mg at -O2: the confident lab 5 model
trained with F.binary_cross_entropy_with_logits, the stable loss that mgc
fuses the hand-written cost into."""
import torch
import torch.nn.functional as F
import torch.optim as optim

import common

common.setup()
x_train = common.f32([[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]])
y_train = common.f32([[0], [0], [0], [1], [1], [1]])
W = common.f32([[5], [1]]).requires_grad_()
b = common.zeros(1)
optimizer = optim.SGD([W, b], lr=0.1)


def compute():
    z = x_train.matmul(W) + b
    return F.binary_cross_entropy_with_logits(z, y_train), {}


common.train_full_batch(compute, optimizer, epochs=100, log_every=10)
