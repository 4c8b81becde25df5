"""Reference for tests/e2e/shared_gradient.mg: params a and b that enter the
loss only as a + b (equal gradients), a param c the loss does not reach
(.grad None: SGD skips it, weight decay included), SGD with momentum 0.9,
weight decay 0.01 and Nesterov, full batch."""
import torch
import torch.optim as optim

import common

common.setup()
torch.manual_seed(1)

x = common.f32([[1], [2], [3]])
y = common.f32([[2], [4], [6.5]])

a = common.f32([0.5]).requires_grad_()
c = torch.empty(3).normal_(0, 1).to(common.FLOAT).requires_grad_()
b = common.f32([0.25]).requires_grad_()
W = torch.empty(1, 5).normal_(0, 1).to(common.FLOAT).requires_grad_()

optimizer = optim.SGD([a, c, b, W], lr=0.05, momentum=0.9, weight_decay=0.01, nesterov=True)


def compute():
    z = x * (a + b)
    cost = ((z - y) ** 2).mean() + ((x @ W) ** 2).mean()
    return cost, {"c_sum": c.sum()}


common.train_full_batch(compute, optimizer, epochs=20, log_every=5)
