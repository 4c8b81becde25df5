"""Reference for examples/lab09_mlp.mg: lab 9-3 (mnist_nn_xavier), the
784-256-256-10 ReLU MLP whose weights are re-initialized with
torch.nn.init.xavier_uniform_ after the three layers are built, trained with Adam
lr 0.001 on mini-batches of 100 (shuffle, drop_last) -- here on Fashion-MNIST
-- then the test accuracy.

--epochs E runs E epochs (default 15, the .mg's); the committed reference
lab09_mlp.2ep.log is `--epochs 2`."""
import torch
import torch.nn as nn
import torch.optim as optim

import common

args = common.setup(default_epochs=15)
torch.manual_seed(777)

linear1 = nn.Linear(784, 256, bias=True)
linear2 = nn.Linear(256, 256, bias=True)
linear3 = nn.Linear(256, 10, bias=True)
relu = nn.ReLU()

torch.nn.init.xavier_uniform_(linear1.weight)
torch.nn.init.xavier_uniform_(linear2.weight)
torch.nn.init.xavier_uniform_(linear3.weight)

model = common.cast(nn.Sequential(linear1, relu, linear2, relu, linear3))

criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=0.001)

train = common.load_idx("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                        scale=1 / 255)
test = common.load_idx("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                       scale=1 / 255)


def compute_train(X, Y):
    return criterion(model(X), Y), {}


def compute_eval(X, Y):
    z = model(X)
    accuracy = (torch.argmax(z, dim=1) == Y).float().mean()
    return criterion(z, Y), {"accuracy": accuracy}


common.train_minibatch(train, compute_train, optimizer, epochs=args.epochs, log_every=1,
                       batch_size=100, shuffle=True, drop_last=True)
common.evaluate(test, compute_eval)
