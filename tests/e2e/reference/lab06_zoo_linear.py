"""Reference for examples/lab06_zoo_linear.mg: lab 6-2, the
SoftmaxClassifierModel (nn.Linear(16, 7)) on zoo.csv with F.cross_entropy,
SGD lr 0.1, 1000 epochs.  The layer is the first random draw after
torch.manual_seed(1) (in the lesson, a torch.rand and a torch.randint of the
cross-entropy demo come first; the .mg has no such draws)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

import common

common.setup()
torch.manual_seed(1)


class SoftmaxClassifierModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(16, 7)

    def forward(self, x):
        return self.linear(x)


model = common.cast(SoftmaxClassifierModel())

xy = common.load_csv("zoo.csv")
x_train = common.f32(xy[:, 0:-1])
y_train = common.i64(xy[:, [-1]]).squeeze()

optimizer = optim.SGD(model.parameters(), lr=0.1)


def compute():
    prediction = model(x_train)
    cost = F.cross_entropy(prediction, y_train)
    return cost, {}


common.train_full_batch(compute, optimizer, epochs=1000, log_every=100)
