"""Reference for examples/lab08_xor.mg: lab 8-2, XOR with a 2-2-1 multilayer
perceptron (sigmoid after each nn.Linear), BCELoss, SGD lr 1, 10000 epochs,
logged every 1000 with the accuracy."""
import torch
import torch.nn as nn
import torch.optim as optim

import common

common.setup()
torch.manual_seed(777)

X = common.f32([[0, 0], [0, 1], [1, 0], [1, 1]])
Y = common.f32([[0], [1], [1], [0]])

l1 = nn.Linear(2, 2, bias=True)
l2 = nn.Linear(2, 1, bias=True)
sigmoid = nn.Sigmoid()
model = common.cast(nn.Sequential(l1, sigmoid, l2, sigmoid))

criterion = nn.BCELoss()
optimizer = optim.SGD(model.parameters(), lr=1)


def compute():
    hypothesis = model(X)
    cost = criterion(hypothesis, Y)
    accuracy = ((hypothesis >= 0.5).float() == Y).float().mean()
    return cost, {"accuracy": accuracy}


common.train_full_batch(compute, optimizer, epochs=10000, log_every=1000)
