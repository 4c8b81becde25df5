"""Reference for tests/e2e/var_std.mg: torch.var and torch.std over all
elements and along dims 0, 1 and -1, biased and unbiased, with and without
keepdim, as metrics and in the loss (Adam, lr 0.05, full batch)."""
import torch
import torch.nn as nn
import torch.optim as optim

import common

common.setup()
torch.manual_seed(5)

x = common.f32([[0.5, -1.2, 0.3], [1.5, 0.2, -0.7], [-0.4, 0.9, 1.1], [0.1, -0.3, 0.8],
                [2.0, 1.0, -1.5], [-1.1, 0.4, 0.6], [0.7, -0.8, -0.2]])
y = common.f32([[1.0], [0.5], [-0.5], [0.2], [1.5], [-1.0], [0.3]])

fc = nn.Linear(3, 4)
V = torch.empty(4, 1).uniform_(-0.5, 0.5)
model = common.cast(fc)
V = V.to(common.FLOAT).requires_grad_()

optimizer = optim.Adam(list(model.parameters()) + [V], lr=0.05)


def compute():
    h = torch.tanh(fc(x))
    z = h @ V
    spread = torch.std(h, dim=0).mean() + 0.5 * torch.var(z, unbiased=False)
    cost = ((z - y) ** 2).mean() + 0.1 * spread + 0.05 * torch.var(h, dim=-1, keepdim=True).sum()
    return cost, {
        "var_all": torch.var(h),
        "std_all": torch.std(h, unbiased=False),
        "var_rows": torch.var(h, dim=1).mean(),
        "std_cols": torch.std(h, dim=0, unbiased=False, keepdim=True).sum(),
    }


common.train_full_batch(compute, optimizer, epochs=60, log_every=10)
