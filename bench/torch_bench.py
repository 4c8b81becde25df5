"""The PyTorch side of the benchmark suite (bench/run.sh).

    /usr/bin/python3 bench/torch_bench.py WORKLOAD [--threads T] [--epochs E]
                                          [--data-dir DIR]

Builds the model of one bench workload the way its reference script in
tests/e2e/reference/ does (same data, same initial weights, same optimizer),
then times training steps as the generated program's --bench does and prints
one line in the same format:

    bench: steps S step_us_median M step_us_min L samples_per_s R threads T
           blas_threads B

A step is optimizer.zero_grad(), the forward pass to the loss, backward() and
optimizer.step() on one batch: the full data set for the full-batch lessons,
100 rows for the lab 9 networks and the lab 10 CNN.  Batches are sliced before the timer starts (the
generated program also binds its batch outside the timed step).  Metrics are
not computed in a step (they are only logged, every log_every epochs).  Five
warm-up steps, then at least 20 timed steps and at least one second; with
--epochs E, exactly the steps of E epochs (the lab 9 networks and the lab
10 CNN: 600 per epoch).

--threads T calls torch.set_num_threads(T).  OpenBLAS, which Debian's torch
calls for its matrix products, has its own threads that torch does not
control: pin them with OPENBLAS_NUM_THREADS in the environment (run.sh does).
blas_threads is what the loaded OpenBLAS reports (0 if it is another BLAS).

WORKLOAD: lab05_logistic lab05_diabetes lab06_softmax_lowlevel lab06_zoo
lab08_xor lab09_mlp lab09_dropout lab09_nodropout lab10_cnn synthetic_softmax
(the last reads the IDX files that bench/synthetic_data.c writes, from
--data-dir).
"""

import argparse
import ctypes
import gzip
import os
import struct
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "examples" / "data"
FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")

WARMUP = 5
MIN_STEPS = 20
MIN_SECONDS = 1.0


# ---- data, as tests/e2e/reference/common.py reads it --------------------------

def f32(values):
    return torch.tensor(np.asarray(values, dtype=np.float32))


def i64(values):
    return torch.tensor(np.asarray(values), dtype=torch.int64)


def zeros(*shape):
    return torch.zeros(shape, dtype=torch.float32, requires_grad=True)


def load_csv(name):
    return np.loadtxt(DATA / name, delimiter=",", dtype=np.float32)


def read_idx(path):
    """An IDX file of unsigned bytes, gzip-compressed or not."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    zero, dtype_code, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype_code != 0x08:
        sys.exit("%s: not an unsigned-byte IDX file" % path)
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_idx(images, labels, scale):
    """An idx(x = images, y = labels, scale = ...) source: bytes times a float32 scale."""
    img, lab = read_idx(images), read_idx(labels)
    x = img.reshape(img.shape[0], -1).astype(np.float32) * np.float32(scale)
    return torch.tensor(x), torch.tensor(lab.astype(np.int64))


# ---- the workloads --------------------------------------------------------------
# Each returns (params' optimizer, loss function of one batch, list of batches).

def logistic(x_train, y_train, features):
    """lab05_logistic / lab05_diabetes: the cost written by hand, SGD lr 1."""
    torch.manual_seed(1)
    W = zeros(features, 1)
    b = zeros(1)
    optimizer = optim.SGD([W, b], lr=1)

    def loss(x, y):
        hypothesis = torch.sigmoid(x.matmul(W) + b)
        return -(y * torch.log(hypothesis) + (1 - y) * torch.log(1 - hypothesis)).mean()

    return optimizer, loss, [(x_train, y_train)]


def lab05_logistic(args):
    return logistic(f32([[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]]),
                    f32([[0], [0], [0], [1], [1], [1]]), 2)


def lab05_diabetes(args):
    xy = load_csv("diabetes.csv")
    return logistic(f32(xy[:, 0:-1]), f32(xy[:, [-1]]), 8)


def lab06_softmax_lowlevel(args):
    torch.manual_seed(1)
    x_train = f32([[1, 2, 1, 1], [2, 1, 3, 2], [3, 1, 3, 4], [4, 1, 5, 5],
                   [1, 7, 5, 5], [1, 2, 5, 6], [1, 6, 6, 6], [1, 7, 7, 7]])
    y_train = i64([2, 2, 2, 1, 1, 1, 0, 0])
    W = zeros(4, 3)
    b = zeros(3)
    optimizer = optim.SGD([W, b], lr=0.1)

    def loss(x, y):
        hypothesis = F.softmax(x.matmul(W) + b, dim=1)
        y_one_hot = torch.zeros_like(hypothesis)
        y_one_hot.scatter_(1, y.unsqueeze(1), 1)
        return (y_one_hot * -torch.log(hypothesis)).sum(dim=1).mean()

    return optimizer, loss, [(x_train, y_train)]


def lab06_zoo(args):
    torch.manual_seed(1)
    xy = load_csv("zoo.csv")
    x_train = f32(xy[:, 0:-1])
    y_train = i64(xy[:, [-1]]).squeeze()
    W = zeros(16, 7)
    b = zeros(1)
    optimizer = optim.SGD([W, b], lr=0.1)

    def loss(x, y):
        return F.cross_entropy(x.matmul(W) + b, y)

    return optimizer, loss, [(x_train, y_train)]


def lab08_xor(args):
    torch.manual_seed(777)
    X = f32([[0, 0], [0, 1], [1, 0], [1, 1]])
    Y = f32([[0], [1], [1], [0]])
    model = nn.Sequential(nn.Linear(2, 2), nn.Sigmoid(), nn.Linear(2, 1), nn.Sigmoid())
    criterion = nn.BCELoss()
    optimizer = optim.SGD(model.parameters(), lr=1)
    return optimizer, lambda x, y: criterion(model(x), y), [(X, Y)]


def lab09_mlp(args):
    torch.manual_seed(777)
    linear1 = nn.Linear(784, 256)
    linear2 = nn.Linear(256, 256)
    linear3 = nn.Linear(256, 10)
    torch.nn.init.xavier_uniform_(linear1.weight)
    torch.nn.init.xavier_uniform_(linear2.weight)
    torch.nn.init.xavier_uniform_(linear3.weight)
    model = nn.Sequential(linear1, nn.ReLU(), linear2, nn.ReLU(), linear3)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=0.001)
    x, y = load_idx(FASHION_MNIST / "train-images-idx3-ubyte.gz",
                    FASHION_MNIST / "train-labels-idx1-ubyte.gz", 1 / 255)
    # 600 batches of 100 (drop_last), in order, as the generated --bench takes them
    batches = [(x[i:i + 100], y[i:i + 100]) for i in range(0, x.shape[0] - 99, 100)]
    return optimizer, lambda xb, yb: criterion(model(xb), yb), batches


def lab09_deep(dropout):
    """lab 9-5 (mnist_nn_dropout): 784-512x4-10, ReLU, dropout p after each
    hidden layer (p = 0: none, the bench's lab09_nodropout), xavier_uniform_,
    Adam lr 0.001, batches of 100 (examples/lab09_dropout.mg)."""
    torch.manual_seed(777)
    sizes = [784, 512, 512, 512, 512, 10]
    linears = [nn.Linear(a, b) for a, b in zip(sizes, sizes[1:])]
    for linear in linears:
        torch.nn.init.xavier_uniform_(linear.weight)
    layers = []
    for linear in linears[:-1]:
        layers += [linear, nn.ReLU()] + ([nn.Dropout(p=dropout)] if dropout else [])
    model = nn.Sequential(*layers, linears[-1])
    model.train()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=0.001)
    x, y = load_idx(FASHION_MNIST / "train-images-idx3-ubyte.gz",
                    FASHION_MNIST / "train-labels-idx1-ubyte.gz", 1 / 255)
    batches = [(x[i:i + 100], y[i:i + 100]) for i in range(0, x.shape[0] - 99, 100)]
    return optimizer, lambda xb, yb: criterion(model(xb), yb), batches


def lab09_dropout(args):
    return lab09_deep(0.3)


def lab09_nodropout(args):
    return lab09_deep(0)


def lab10_cnn(args):
    """lab 10 (mnist_cnn): conv 1->32 3x3 pad 1, ReLU, max_pool 2; conv 32->64
    3x3 pad 1, ReLU, max_pool 2; linear 3136->10 with xavier_uniform_ weight;
    cross entropy, Adam lr 0.001, batches of 100 of Fashion-MNIST as
    [100, 1, 28, 28] (examples/lab10_cnn.mg, bench/cnn_step.c)."""
    torch.manual_seed(777)
    conv1 = nn.Conv2d(1, 32, kernel_size=3, stride=1, padding=1)
    conv2 = nn.Conv2d(32, 64, kernel_size=3, stride=1, padding=1)
    fc = nn.Linear(7 * 7 * 64, 10, bias=True)
    torch.nn.init.xavier_uniform_(fc.weight)
    model = nn.Sequential(conv1, nn.ReLU(), nn.MaxPool2d(kernel_size=2, stride=2),
                          conv2, nn.ReLU(), nn.MaxPool2d(kernel_size=2, stride=2),
                          nn.Flatten(), fc)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=0.001)
    x, y = load_idx(FASHION_MNIST / "train-images-idx3-ubyte.gz",
                    FASHION_MNIST / "train-labels-idx1-ubyte.gz", 1 / 255)
    x = x.view(-1, 1, 28, 28)
    batches = [(x[i:i + 100], y[i:i + 100]) for i in range(0, x.shape[0] - 99, 100)]
    return optimizer, lambda xb, yb: criterion(model(xb), yb), batches


def synthetic_softmax(args):
    torch.manual_seed(1)
    fc = nn.Linear(64, 10)
    optimizer = optim.SGD(fc.parameters(), lr=0.5)
    d = Path(args.data_dir)
    x, y = load_idx(d / "synthetic-x-idx2-ubyte", d / "synthetic-y-idx1-ubyte", 1 / 255)
    return optimizer, lambda xb, yb: F.cross_entropy(fc(xb), yb), [(x, y)]


WORKLOADS = {f.__name__: f for f in [lab05_logistic, lab05_diabetes, lab06_softmax_lowlevel,
                                     lab06_zoo, lab08_xor, lab09_mlp, lab09_dropout,
                                     lab09_nodropout, lab10_cnn, synthetic_softmax]}


# ---- timing -----------------------------------------------------------------------

def openblas_threads():
    """Threads of the OpenBLAS this process loaded (0: none loaded)."""
    try:
        with open("/proc/self/maps") as maps:
            libs = {line.split()[-1] for line in maps if "blas" in line and "/" in line}
    except OSError:
        return 0
    for lib in sorted(libs):
        try:
            return ctypes.CDLL(lib).openblas_get_num_threads()
        except (OSError, AttributeError):
            continue
    return 0


def bench(optimizer, loss, batches, epochs):
    def step(x, y):
        optimizer.zero_grad()
        cost = loss(x, y)
        cost.backward()
        optimizer.step()

    n = len(batches)
    for i in range(WARMUP):
        step(*batches[i % n])
    wanted = epochs * n if epochs is not None else None
    times = []
    clock = time.perf_counter
    started = clock()
    k = 0
    while True:
        if wanted is not None:
            if k >= wanted:
                break
        elif k >= MIN_STEPS and clock() - started >= MIN_SECONDS:
            break
        x, y = batches[(k + WARMUP) % n]
        t0 = clock()
        step(x, y)
        t1 = clock()
        times.append(t1 - t0)
        k += 1
    return times, batches[0][0].shape[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workload", choices=sorted(WORKLOADS))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--data-dir", default=".")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    optimizer, loss, batches = WORKLOADS[args.workload](args)
    times, rows = bench(optimizer, loss, batches, args.epochs)
    times.sort()
    s = len(times)
    median = times[s // 2] if s % 2 else (times[s // 2 - 1] + times[s // 2]) / 2
    print("bench: steps %d step_us_median %.3f step_us_min %.3f samples_per_s %.0f threads %d "
          "blas_threads %d" % (s, median * 1e6, times[0] * 1e6, rows / median,
                               torch.get_num_threads(), openblas_threads()), flush=True)


if __name__ == "__main__":
    main()
