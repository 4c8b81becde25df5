"""Reference for tests/e2e/sequence_csv.mg: the windows of sequence.py read
from a CSV file, the characters already one-hot ([N, 6, 5]: 30 columns, the
5 of step 1 then the 5 of step 2, ...) and the next characters as 6 label
columns; the loss adds to every step's cross-entropy that of the last step
alone, through z[:, -1], so that the gradient of indexing is checked against
autograd's.  SGD at lr 0.5, full batch.

Running it also writes the data file the .mg reads, ../hihello.csv."""
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

import common

common.setup()

CHARS = "hielo"
TEXT = "hihellohihellohihello"
WINDOWS = [TEXT[i:i + 7] for i in range(7)]
ids = np.array([[CHARS.index(c) for c in w[:-1]] for w in WINDOWS])
labels = np.array([[CHARS.index(c) for c in w[1:]] for w in WINDOWS])
onehot = np.eye(5, dtype=np.float32)[ids]  # [7, 6, 5]

with open(Path(__file__).resolve().parent.parent / "hihello.csv", "w") as f:
    f.write("# windows of 'hihello' repeated: 30 one-hot columns (6 steps of 5), 6 labels\n")
    for row_x, row_y in zip(onehot.reshape(7, 30), labels):
        f.write(",".join("%d" % v for v in row_x) + "," + ",".join("%d" % v for v in row_y) + "\n")

x = common.f32(onehot)
y = common.i64(labels)

torch.manual_seed(0)
fc1 = nn.Linear(5, 8)
fc2 = nn.Linear(8, 5)
model = common.cast(nn.ModuleList([fc1, fc2]))
optimizer = optim.SGD(model.parameters(), lr=0.5)


def compute():
    z = fc2(torch.tanh(fc1(x)))
    cost = F.cross_entropy(z.view(-1, 5), y.view(-1)) + F.cross_entropy(z[:, -1], y[:, -1])
    accuracy = (torch.argmax(z, dim=2) == y).float().mean()
    return cost, {"accuracy": accuracy}


common.train_full_batch(compute, optimizer, epochs=100, log_every=10)
