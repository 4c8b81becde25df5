"""Reference for tests/e2e/var_one.mg: torch.var and torch.std of one
element, unbiased (nan) and biased (0), on one row of data, SGD lr 0.1."""
import warnings

import torch
import torch.nn as nn
import torch.optim as optim

import common

common.setup()
torch.manual_seed(2)
# PyTorch warns that the degrees of freedom are <= 0; the nan is the point.
warnings.simplefilter("ignore")

x = common.f32([[0.5, -1.5]])
y = common.f32([[2.0]])

fc = common.cast(nn.Linear(2, 1))
optimizer = optim.SGD(fc.parameters(), lr=0.1)


def compute():
    z = fc(x)
    cost = ((z - y) ** 2).mean()
    return cost, {
        "var_one": torch.var(z),
        "std_one": torch.std(z, dim=0).sum(),
        "var_biased": torch.var(z, unbiased=False),
        "std_rows": torch.std(x, dim=1).sum(),
    }


common.train_full_batch(compute, optimizer, epochs=2, log_every=1)
