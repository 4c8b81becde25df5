"""Writes fashion200-images-idx3-ubyte.gz and fashion200-labels-idx1-ubyte.gz
here: the first 200 images and labels of Fashion-MNIST's training set
(/usr/share/datasets/fashion-mnist), in the same IDX format, for
tests/e2e/lab10_cnn_small.mg (lab 10's network on a few steps, which CI can
afford).  Needs only Python's standard library:
    python3 tests/e2e/data/make_fashion200.py"""
import gzip
import struct
from pathlib import Path

SOURCE = Path("/usr/share/datasets/fashion-mnist")
HERE = Path(__file__).resolve().parent
COUNT = 200


def subset(name, out):
    with gzip.open(SOURCE / name, "rb") as f:
        raw = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", raw[:4])
    assert zero == 0 and dtype_code == 0x08, name
    dims = list(struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim]))
    per_item = 1
    for d in dims[1:]:
        per_item *= d
    start = 4 + 4 * ndim
    dims[0] = COUNT
    header = raw[:4] + struct.pack(">" + "I" * ndim, *dims)
    body = raw[start:start + COUNT * per_item]
    # mtime=0: the same bytes on every run
    with open(HERE / out, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as g:
        g.write(header + body)


subset("train-images-idx3-ubyte.gz", "fashion200-images-idx3-ubyte.gz")
subset("train-labels-idx1-ubyte.gz", "fashion200-labels-idx1-ubyte.gz")
