"""Reference for tests/e2e/sequence.mg: lab 11's "hihello" characters with a
per-step classifier in place of the RNN: each character of a window, one-hot
over the five characters h, i, e, l, o, goes through two nn.Linear layers
applied to every step ([N, T, 5] -> [N, T, 8] -> [N, T, 5]), and the loss is
F.cross_entropy over every step (the lesson's outputs.view(-1, 5)).  Adam at
lr 0.1, full batch, as lab 11-1 trains."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

import common

common.setup()

CHARS = "hielo"
TEXT = "hihellohihellohihello"
WINDOWS = [TEXT[i:i + 7] for i in range(7)]
x = common.i64([[CHARS.index(c) for c in w[:-1]] for w in WINDOWS])
y = common.i64([[CHARS.index(c) for c in w[1:]] for w in WINDOWS])

torch.manual_seed(0)
fc1 = nn.Linear(5, 8)
fc2 = nn.Linear(8, 5)
model = common.cast(nn.ModuleList([fc1, fc2]))
optimizer = optim.Adam(model.parameters(), lr=0.1)


def compute():
    xo = F.one_hot(x, 5).to(common.FLOAT)
    z = fc2(torch.tanh(fc1(xo)))
    cost = F.cross_entropy(z.view(-1, 5), y.view(-1))
    accuracy = (torch.argmax(z, dim=2) == y).float().mean()
    last_accuracy = (torch.argmax(z[:, -1], dim=1) == y[:, -1]).float().mean()
    return cost, {"accuracy": accuracy, "last_accuracy": last_accuracy}


common.train_full_batch(compute, optimizer, epochs=100, log_every=10)
