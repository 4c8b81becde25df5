"""Reference for examples/lab06_zoo.mg: lab 6-2, softmax classification of
zoo.csv with F.cross_entropy, W zeros [16, 7], SGD lr 0.1, 1000 epochs.

As in the lesson, the bias is `torch.zeros(1)`: one scalar shared by the 7
classes.  Softmax ignores a shift common to all logits, so its gradient is
zero up to rounding and it stays at ~0; a per-class bias of shape [7] would
train to a different cost (0.100694 at epoch 1000)."""
import torch
import torch.nn.functional as F
import torch.optim as optim

import common

common.setup()
torch.manual_seed(1)

xy = common.load_csv("zoo.csv")
x_train = common.f32(xy[:, 0:-1])
y_train = common.i64(xy[:, [-1]]).squeeze()

W = common.zeros(16, 7)
b = common.zeros(1)
optimizer = optim.SGD([W, b], lr=0.1)


def compute():
    z = x_train.matmul(W) + b
    cost = F.cross_entropy(z, y_train)
    return cost, {}


common.train_full_batch(compute, optimizer, epochs=1000, log_every=100)
