"""Writes the first 160 images and labels of Fashion-MNIST's training and test
sets (/usr/share/datasets/fashion-mnist) as IDX files here, for the short
runs of e2e.lab09_batchnorm_small (five batches of 32 an epoch).  Standard
library only; run with python3 from this directory."""
import gzip
import struct

SRC = "/usr/share/datasets/fashion-mnist/"
COUNT = 160

for part in ("train", "t10k"):
    for kind, dims in (("images-idx3-ubyte", 3), ("labels-idx1-ubyte", 1)):
        with gzip.open(SRC + "%s-%s.gz" % (part, kind), "rb") as f:
            raw = f.read()
        header = 4 + 4 * dims
        sizes = list(struct.unpack(">%dI" % dims, raw[4:header]))
        per_item = 1
        for s in sizes[1:]:
            per_item *= s
        sizes[0] = COUNT
        out = raw[:4] + struct.pack(">%dI" % dims, *sizes) + raw[header:header + COUNT * per_item]
        # mtime 0: the same bytes on every run
        with gzip.GzipFile("%s%d-%s.gz" % (part, COUNT, kind), "wb", mtime=0) as g:
            g.write(out)
