"""Reference for examples/lab10_cnn.mg: lab 10-1 (mnist_cnn), two 3x3
convolutions with padding 1 (1 -> 32 -> 64 channels), each followed by ReLU
and 2x2 max-pooling, then a linear layer 7*7*64 -> 10 whose weight is
re-initialized with torch.nn.init.xavier_uniform_, trained with Adam lr
0.001 on mini-batches of 100 (shuffle, drop_last) -- here on Fashion-MNIST
-- then the test accuracy.

--epochs E runs E epochs (default 15, the .mg's); the committed
lab10_cnn.15ep.log is the whole lesson (README.md compares mgc's run with
it: test accuracy 0.9140 here, 0.9145 for mgc, 2026-12-07).  --small trains tests/e2e/lab10_cnn_small.mg's
model instead: the same network on the first 200 training images
(tests/e2e/data/, made by make_fashion200.py), 4 epochs of 2 steps, and
evaluates on those images; its committed log is lab10_cnn_small.log."""
import torch
import torch.nn as nn
import torch.optim as optim

import common

args = common.setup(default_epochs=15, flags=("small",))
torch.manual_seed(777)


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer1 = nn.Sequential(
            nn.Conv2d(1, 32, kernel_size=3, stride=1, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2))
        self.layer2 = nn.Sequential(
            nn.Conv2d(32, 64, kernel_size=3, stride=1, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2))
        self.fc = nn.Linear(7 * 7 * 64, 10, bias=True)
        torch.nn.init.xavier_uniform_(self.fc.weight)

    def forward(self, x):
        out = self.layer1(x)
        out = self.layer2(out)
        out = out.view(out.size(0), -1)
        return self.fc(out)


model = common.cast(CNN())
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=0.001)


def images(source):
    x, y = source
    return x.view(-1, 1, 28, 28), y


if args.small:
    small = common.REPO / "tests" / "e2e" / "data"
    train = images(common.load_idx("fashion200-images-idx3-ubyte.gz",
                                   "fashion200-labels-idx1-ubyte.gz", scale=1 / 255,
                                   directory=small))
    test = train
    epochs = 4
else:
    train = images(common.load_idx("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                   scale=1 / 255))
    test = images(common.load_idx("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                                  scale=1 / 255))
    epochs = args.epochs


def compute_train(X, Y):
    return criterion(model(X), Y), {}


def compute_eval(X, Y):
    z = model(X)
    accuracy = (torch.argmax(z, dim=1) == Y).float().mean()
    return criterion(z, Y), {"accuracy": accuracy}


common.train_minibatch(train, compute_train, optimizer, epochs=epochs, log_every=1,
                       batch_size=100, shuffle=True, drop_last=True)
common.evaluate(test, compute_eval)
