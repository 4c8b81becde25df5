"""Reference for examples/lab05_classifier.mg: lab 5, the BinaryClassifier
nn.Module (nn.Linear(8, 1) + sigmoid) on diabetes.csv with
F.binary_cross_entropy, SGD lr 1, 100 epochs, logged every 10."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

import common

common.setup()
torch.manual_seed(1)


class BinaryClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(8, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        return self.sigmoid(self.linear(x))


model = common.cast(BinaryClassifier())

xy = common.load_csv("diabetes.csv")
x_train = common.f32(xy[:, 0:-1])
y_train = common.f32(xy[:, [-1]])

optimizer = optim.SGD(model.parameters(), lr=1)


def compute():
    hypothesis = model(x_train)
    cost = F.binary_cross_entropy(hypothesis, y_train)
    accuracy = ((hypothesis >= 0.5).float() == y_train).float().mean()
    return cost, {"accuracy": accuracy}


common.train_full_batch(compute, optimizer, epochs=100, log_every=10)
