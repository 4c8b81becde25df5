"""Reference for examples/lab11_hihello.mg: lab 11-1's "hihello" with one
nn.RNN(5, 5, batch_first=True) whose hidden state at every step is the logits
of the next character; F.cross_entropy over every step (the lesson's
outputs.view(-1, 5)), Adam at lr 0.1, 100 full-batch steps.  After training
it prints the predicted string (argmax at every step) on stderr, which
should read "ihello"."""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

import common

common.setup()

CHARS = "hielo"
x = common.i64([[CHARS.index(c) for c in "hihell"]])
y = common.i64([[CHARS.index(c) for c in "ihello"]])

torch.manual_seed(0)
rnn = common.cast(nn.RNN(5, 5, batch_first=True))
optimizer = optim.Adam(rnn.parameters(), lr=0.1)


def compute():
    z, _ = rnn(F.one_hot(x, 5).to(common.FLOAT))
    cost = F.cross_entropy(z.reshape(-1, 5), y.view(-1))
    accuracy = (torch.argmax(z, dim=2) == y).float().mean()
    return cost, {"accuracy": accuracy}


common.train_full_batch(compute, optimizer, epochs=100, log_every=10)
with torch.no_grad():
    z, _ = rnn(F.one_hot(x, 5).to(common.FLOAT))
    print("predicted:", "".join(CHARS[i] for i in torch.argmax(z, dim=2)[0].tolist()), file=sys.stderr)
