#!/usr/bin/env python3
"""make_references.py: the expected --predict output of tests/predict,
computed in PyTorch 1.13 from the checkpoints the test programs save.

    make_references.py idx T10K_IMAGES_GZ OUT_GZ
        Writes the first 20 images of Fashion-MNIST's test set as an IDX file
        (fashion20-idx3-ubyte.gz, the idx case's predict file).
    make_references.py CASE CHECKPOINT PREDICT_FILE > CASE.expected.csv
        Loads CHECKPOINT (safetensors) into CASE's model, written here as the
        lessons write it in PyTorch, and prints the outputs for the rows of
        PREDICT_FILE as the generated program writes them: a header, then
        one line a row, floats with 9 significant digits.

The training programs are deterministic, so the checkpoint the test makes
is the one this script read; make_references.sh runs the whole chain.
"""
import gzip
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import safetensors_io  # noqa: E402


def params(path):
    tensors, _ = safetensors_io.load(path)
    return {k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in tensors.items()}


def read_csv(path, cols):
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            rows.append([float(v) for v in line.split(",")][:cols])
    return torch.tensor(rows, dtype=torch.float32)


def read_idx_images(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, n, h, w = struct.unpack(">IIII", data[:16])
    assert magic == 0x803, hex(magic)
    pixels = np.frombuffer(data[16:], dtype=np.uint8).reshape(n, h * w)
    # the program's scale = 1/255, applied in float32 as x * (float)(1/255)
    return torch.from_numpy(pixels.astype(np.float32)) * torch.tensor(1 / 255, dtype=torch.float32)


def fmt(v):
    return "%.9g" % v


def write(header, columns):
    print(",".join(header))
    n = columns[0].shape[0]
    for r in range(n):
        fields = []
        for c in columns:
            row = c[r].reshape(-1).tolist()
            fields += [str(int(v)) if c.dtype == torch.int64 else fmt(v) for v in row]
        print(",".join(fields))


def lab05_logistic(p, path):
    x = read_csv(path, 2)
    hypothesis = torch.sigmoid(x @ p["W"] + p["b"])
    write(["hypothesis"], [hypothesis])


def zoo_mlp(p, path):
    x = read_csv(path, 16)
    hidden = F.relu(F.linear(x, p["hidden.weight"], p["hidden.bias"]))
    z = F.linear(F.dropout(hidden, 0.3, training=False), p["out.weight"], p["out.bias"])
    probs = torch.softmax(z, dim=1)
    write(["probs_%d" % j for j in range(7)] + ["class"], [probs, torch.argmax(z, dim=1)])


def fashion_mlp(p, path):
    x = read_idx_images(path)
    hidden = F.relu(F.linear(x, p["hidden.weight"], p["hidden.bias"]))
    z = F.linear(F.dropout(hidden, 0.2, training=False), p["out.weight"], p["out.bias"])
    write(["z_%d" % j for j in range(10)], [z])


def sequence_next(p, path):
    x = read_csv(path, 30).reshape(-1, 6, 5)
    z = F.linear(torch.tanh(F.linear(x, p["fc1.weight"], p["fc1.bias"])), p["fc2.weight"], p["fc2.bias"])
    header = ["next_%d" % j for j in range(6)] + ["last_%d" % j for j in range(5)]
    header += ["z_%d_%d" % (t, c) for t in range(6) for c in range(5)]
    write(header, [torch.argmax(z, dim=2), torch.softmax(z[:, -1], dim=1), z])


def make_idx(src, dst, count=20):
    with gzip.open(src, "rb") as f:
        data = f.read()
    magic, n, h, w = struct.unpack(">IIII", data[:16])
    head = struct.pack(">IIII", magic, count, h, w)
    with gzip.GzipFile(dst, "wb", mtime=0) as f:
        f.write(head + data[16:16 + count * h * w])


def main():
    if sys.argv[1] == "idx":
        make_idx(sys.argv[2], sys.argv[3])
        return
    case, checkpoint, path = sys.argv[1:4]
    with torch.no_grad():
        globals()[case](params(checkpoint), path)


if __name__ == "__main__":
    main()
