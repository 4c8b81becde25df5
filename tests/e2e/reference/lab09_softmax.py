"""Reference for examples/lab09_softmax.mg: lab 9-1 (mnist_softmax),
nn.Linear(784, 10), trained with Adam lr 0.001 on mini-batches of 100
(shuffle, drop_last) -- here on Fashion-MNIST -- then the test accuracy.

--epochs E runs E epochs (default 15, the .mg's); the committed reference
lab09_softmax.2ep.log is `--epochs 2`."""
import torch
import torch.nn as nn
import torch.optim as optim

import common

args = common.setup(default_epochs=15)
torch.manual_seed(777)

linear = common.cast(nn.Linear(784, 10, bias=True))

criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(linear.parameters(), lr=0.001)

train = common.load_idx("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                        scale=1 / 255)
test = common.load_idx("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                       scale=1 / 255)


def compute_train(X, Y):
    return criterion(linear(X), Y), {}


def compute_eval(X, Y):
    z = linear(X)
    accuracy = (torch.argmax(z, dim=1) == Y).float().mean()
    return criterion(z, Y), {"accuracy": accuracy}


common.train_minibatch(train, compute_train, optimizer, epochs=args.epochs, log_every=1,
                       batch_size=100, shuffle=True, drop_last=True)
common.evaluate(test, compute_eval)
