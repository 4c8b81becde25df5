"""Reference for tests/e2e/sgd_nesterov.mg: torch.optim.SGD with Nesterov
momentum 0.9 and weight_decay 0.01 on the 2-8-1 tanh regression (mse_loss) of
sgd_momentum.py, full batch."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

import common

common.setup()
torch.manual_seed(3)

x = common.f32([[-1.0, -0.5], [-0.75, 0.25], [-0.5, 1.0], [-0.25, -1.0], [0.0, 0.5],
                [0.25, -0.25], [0.5, 0.75], [0.75, -0.75], [1.0, 0.0], [1.25, 1.25]])
y = common.f32([[-0.5], [0.25], [0.75], [-0.875], [0.5], [-0.125], [1.0], [-0.5], [0.625], [1.5]])

hidden = nn.Linear(2, 8)
fc = nn.Linear(8, 1)
model = common.cast(nn.ModuleList([hidden, fc]))

optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=0.01,
                      nesterov=True)


def compute():
    prediction = fc(torch.tanh(hidden(x)))
    cost = F.mse_loss(prediction, y)
    mae = (prediction - y).abs().mean()
    return cost, {"mae": mae}


common.train_full_batch(compute, optimizer, epochs=200, log_every=20)
