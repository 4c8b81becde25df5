"""Reference for examples/lab09_batchnorm.mg: lab 9-6 (batchnorm), Linear(784, 32)
-> BatchNorm1d(32) -> ReLU -> Linear(32, 32) -> BatchNorm1d(32) -> ReLU ->
Linear(32, 10), trained with Adam lr 0.01 on mini-batches of 32 (shuffle,
drop_last) -- here on Fashion-MNIST -- with the test set evaluated in
bn_model.eval() after every epoch, as the lesson does, and after training.

--epochs E runs E epochs (default 10, the .mg's); the committed reference
lab09_batchnorm.2ep.log is `--epochs 2`.  --images N trains on the first N
training images and evaluates on the first N test images (the e2e test's
short run, lab09_batchnorm_small: the first steps)."""
import argparse
import sys

import torch
import torch.nn as nn
import torch.optim as optim

import common

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--images", type=int, default=0)
args = parser.parse_args()
sys.argv = sys.argv[:1]
common.setup()
torch.manual_seed(777)

linear1 = nn.Linear(784, 32, bias=True)
linear2 = nn.Linear(32, 32, bias=True)
linear3 = nn.Linear(32, 10, bias=True)
relu = nn.ReLU()
bn1 = nn.BatchNorm1d(32)
bn2 = nn.BatchNorm1d(32)

bn_model = common.cast(nn.Sequential(linear1, bn1, relu, linear2, bn2, relu, linear3))

criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(bn_model.parameters(), lr=0.01)

train = common.load_idx("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                        scale=1 / 255)
test = common.load_idx("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                       scale=1 / 255)
if args.images:
    train = tuple(t[:args.images] for t in train)
    test = tuple(t[:args.images] for t in test)


def compute(X, Y):
    z = bn_model(X)
    accuracy = (torch.argmax(z, dim=1) == Y).float().mean()
    return criterion(z, Y), {"accuracy": accuracy}


common.train_minibatch(train, compute, optimizer, epochs=args.epochs, log_every=1,
                       batch_size=32, shuffle=True, drop_last=True,
                       after_epoch=common.every(1, args.epochs, test, compute, bn_model))
common.evaluate(test, compute, bn_model)
