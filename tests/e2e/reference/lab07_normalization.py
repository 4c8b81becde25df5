"""Reference for examples/lab07_normalization.mg: lab 7-1 ("tips"), the data
preprocessing part: the scores standardized with x_train.mean(dim=0) and
x_train.std(dim=0), then nn.Linear(3, 1), MSE, SGD lr 1e-1, 20 epochs,
logged every epoch.  (The notebook builds other models before this one;
here the regression is the first thing seed 1 draws, as in the .mg.)"""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

import common

common.setup()
torch.manual_seed(1)

x_train = common.f32([[73, 80, 75],
                      [93, 88, 93],
                      [89, 91, 90],
                      [96, 98, 100],
                      [73, 66, 70]])
y_train = common.f32([[152], [185], [180], [196], [142]])

mu = x_train.mean(dim=0)
sigma = x_train.std(dim=0)
norm_x_train = (x_train - mu) / sigma


class MultivariateLinearRegressionModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(3, 1)

    def forward(self, x):
        return self.linear(x)


model = common.cast(MultivariateLinearRegressionModel())
optimizer = optim.SGD(model.parameters(), lr=1e-1)


def compute():
    prediction = model(norm_x_train)
    cost = F.mse_loss(prediction, y_train)
    return cost, {}


common.train_full_batch(compute, optimizer, epochs=20, log_every=1)
