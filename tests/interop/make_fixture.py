"""Makes the interop fixture: an XOR network (examples/lab08_xor.mg's
Linear(2, 2) -> sigmoid -> Linear(2, 1) -> sigmoid) trained by PyTorch 1.13,
its weights written as safetensors by tests/tools/safetensors_io.py (standard
library and numpy only), and PyTorch's predictions on inputs the network was
not trained on.  Run with /usr/bin/python3 from this directory."""
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import safetensors_io  # noqa: E402

torch.manual_seed(777)
torch.set_num_threads(1)
l1, l2 = torch.nn.Linear(2, 2), torch.nn.Linear(2, 1)
model = torch.nn.Sequential(l1, torch.nn.Sigmoid(), l2, torch.nn.Sigmoid())
x = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
y = torch.tensor([[0.], [1.], [1.], [0.]])
optimizer = torch.optim.SGD(model.parameters(), lr=1)
for _ in range(3000):
    optimizer.zero_grad()
    torch.nn.functional.binary_cross_entropy(model(x), y).backward()
    optimizer.step()
state = {"l1.weight": l1.weight, "l1.bias": l1.bias, "l2.weight": l2.weight, "l2.bias": l2.bias}
safetensors_io.save("xor_torch.safetensors", {k: v.detach().numpy() for k, v in state.items()})
unseen = torch.tensor([[0.1, 0.05], [0.9, 0.2], [0.15, 0.95], [0.8, 0.85], [0.5, 0.5]])
with torch.no_grad():
    with open("xor_torch_predictions.txt", "w") as f:
        for row in model(unseen)[:, 0].tolist():
            f.write("%.6f\n" % row)
