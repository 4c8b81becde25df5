"""Makes the batch norm interop fixtures, both ways, for bn_model.mg's
network (BatchNorm2d(2) -> ReLU -> flatten -> Linear(18, 5) ->
BatchNorm1d(5, momentum=0.2) -> ReLU -> Linear(5, 3)):

  PyTorch to mgc: the network trained by PyTorch 1.13 for a few steps (so its
    running statistics and num_batches_tracked are not the initial ones),
    its state_dict written by tests/tools/safetensors_io.py as
    bn_torch.safetensors, and its predictions in model.eval() on unseen
    images (bn_torch_predictions.txt).
  --predict: the unseen images as a CSV of 18 columns a row (bn_unseen.csv,
    read as the program reads inline data) and PyTorch's eval-mode outputs
    from bn_torch.safetensors as the program's --predict writes them
    (bn_torch_predict.expected.csv: a header z_0,z_1,z_2, then %.9g values),
    for tests/predict.
  mgc to PyTorch: bn_mgc.safetensors, the checkpoint of the program mgc
    generates from bn_model.mg (`--save` after its training), loaded into
    the PyTorch network with load_state_dict(strict=True), and PyTorch's
    eval-mode predictions from it (bn_mgc_torch_predictions.txt).

Run from this directory with /usr/bin/python3 and MGC set to a built mgc:
  MGC=../../build/mgc /usr/bin/python3 make_fixture_bn.py"""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import safetensors_io  # noqa: E402

UNSEEN = [[[[0.3, -1.2, 0.8], [1.5, 0.1, -0.4], [0.0, 2.0, -1.7]],
           [[-0.6, 0.9, 1.1], [0.2, -0.3, 0.7], [1.9, -1.1, 0.4]]],
          [[[1.0, 1.0, -1.0], [0.5, -0.5, 0.25], [-2.0, 0.3, 0.6]],
           [[0.1, 0.2, 0.3], [-0.4, -0.5, -0.6], [0.7, 0.8, -0.9]]],
          [[[-1.5, 0.4, 0.2], [0.9, -0.8, 1.3], [0.05, -0.15, 1.6]],
           [[1.2, -1.4, 0.0], [0.6, 0.35, -1.9], [-0.2, 1.7, 0.45]]]]


class Net(nn.Module):
    """Attributes named as bn_model.mg's layers, so state_dict names agree."""

    def __init__(self):
        super().__init__()
        self.bn2 = nn.BatchNorm2d(2)
        self.fc = nn.Linear(18, 5)
        self.bn1 = nn.BatchNorm1d(5, momentum=0.2)
        self.out = nn.Linear(5, 3)

    def forward(self, x):
        h = torch.flatten(torch.relu(self.bn2(x)), 1)
        return self.out(torch.relu(self.bn1(self.fc(h))))


def predictions(net, path):
    net.eval()
    with torch.no_grad():
        z = net(torch.tensor(UNSEEN))
    with open(path, "w") as f:
        for row in z.tolist():
            f.write(" ".join("%.6f" % v for v in row) + "\n")


torch.set_num_threads(1)
torch.manual_seed(99)
net = Net()
opt = torch.optim.SGD(net.parameters(), lr=0.2)
x = torch.randn(10, 2, 3, 3) * 1.5 + 0.3
y = torch.tensor([0, 1, 2, 1, 0, 2, 2, 1, 0, 1])
for step in range(7):
    opt.zero_grad()
    torch.nn.functional.cross_entropy(net(x), y).backward()
    opt.step()
state = {k: v.detach().numpy() for k, v in net.state_dict().items()}
assert state["bn1.num_batches_tracked"].dtype == np.int64
safetensors_io.save("bn_torch.safetensors", state)
predictions(net, "bn_torch_predictions.txt")
with open("bn_unseen.csv", "w") as f:
    f.write("# make_fixture_bn.py's unseen images, [2, 3, 3] each, row-major\n")
    for image in torch.tensor(UNSEEN).reshape(len(UNSEEN), -1).tolist():
        f.write(",".join("%g" % v for v in image) + "\n")
with torch.no_grad():
    z = net(torch.tensor(UNSEEN))
with open("bn_torch_predict.expected.csv", "w") as f:
    f.write("z_0,z_1,z_2\n")
    for row in z.tolist():
        f.write(",".join("%.9g" % v for v in row) + "\n")

mgc = os.environ.get("MGC", "../../build/mgc")
subprocess.run([mgc, "run", "bn_model.mg", "--", "--save", "bn_mgc.safetensors", "--quiet"], check=True)
theirs = Net()
arrays, _ = safetensors_io.load("bn_mgc.safetensors")
loaded = {name: torch.from_numpy(array) for name, array in arrays.items()}
theirs.load_state_dict(loaded, strict=True)
assert int(theirs.bn2.num_batches_tracked) == 6  # 3 epochs of 2 batches
predictions(theirs, "bn_mgc_torch_predictions.txt")
