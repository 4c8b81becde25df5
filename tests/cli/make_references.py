"""PyTorch 1.13 references for the command-line tests: lesson 5 (the toy
logistic regression of examples/lab05_logistic.mg) run with other settings,
as --epochs/--log-every/--lr override them.  Run with /usr/bin/python3 from
this directory; see tests/e2e/reference/README.md for the BLAS pinning."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e" / "reference"))
import torch  # noqa: E402
import torch.optim as optim  # noqa: E402

import common  # noqa: E402


def lesson5(epochs, log_every, lr, out):
    torch.manual_seed(1)
    x = common.f32([[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]])
    y = common.f32([[0], [0], [0], [1], [1], [1]])
    W, b = common.zeros(2, 1), common.zeros(1)
    optimizer = optim.SGD([W, b], lr=lr)

    def compute():
        h = torch.sigmoid(x.matmul(W) + b)
        cost = -(y * torch.log(h) + (1 - y) * torch.log(1 - h)).mean()
        return cost, {"accuracy": ((h >= 0.5).float() == y).float().mean()}

    saved = sys.stdout
    with open(out, "w") as f:
        sys.stdout = f
        common.train_full_batch(compute, optimizer, epochs=epochs, log_every=log_every)
    sys.stdout = saved


common.setup()
lesson5(300, 150, 1.0, "lab05_300.log")
lesson5(100, 25, 0.5, "lab05_lr05.log")
