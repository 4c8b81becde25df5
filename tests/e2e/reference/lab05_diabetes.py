"""Reference for examples/lab05_diabetes.mg: lab 5, "Training with Real Data
using low-level Binary Cross Entropy Loss" on diabetes.csv (W, b zeros, SGD
lr 1, 100 epochs, logged every 10 with the accuracy)."""
import torch
import torch.optim as optim

import common

common.setup()
torch.manual_seed(1)

xy = common.load_csv("diabetes.csv")
x_train = common.f32(xy[:, 0:-1])
y_train = common.f32(xy[:, [-1]])

W = common.zeros(8, 1)
b = common.zeros(1)
optimizer = optim.SGD([W, b], lr=1)


def compute():
    hypothesis = torch.sigmoid(x_train.matmul(W) + b)
    cost = -(y_train * torch.log(hypothesis) +
             (1 - y_train) * torch.log(1 - hypothesis)).mean()
    accuracy = ((hypothesis >= 0.5).float() == y_train).float().mean()
    return cost, {"accuracy": accuracy}


common.train_full_batch(compute, optimizer, epochs=100, log_every=10)
