#!/usr/bin/python3
"""Writes tests/unit/conv_refs.txt: PyTorch 1.13's conv2d, max_pool2d,
avg_pool2d and batch norm on small inputs, with their gradients, in float32
and float64, for tests/unit/test_conv2d.c, test_pool.c and test_batchnorm.c.

Run with Debian's PyTorch (python3-torch), from the repository's root:

    /usr/bin/python3 tests/unit/make_conv_refs.py

The inputs are drawn here (torch.manual_seed(15)) and written to the file
as float32 values, so the C tests need no generator of their own; the
float64 results are computed from the same values, widened.  One thread
(torch.set_num_threads(1)): ATen's batch norm over [n, c] sums per thread.

File format, one item a line:
    case <op> <name> <key>=<value> ...
    <array name> <count> <values...>      (float32: %.9g, float64: %.17g)
    end
Array names ending in _f64 hold float64 results; the others float32.
"""
import os
import sys

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conv_refs.txt")

torch.set_num_threads(1)
torch.manual_seed(15)


def put(out, name, t):
    t = t.detach().contiguous().view(-1)
    fmt = "%.17g" if t.dtype == torch.float64 else "%.9g"
    out.write("%s %d %s\n" % (name, t.numel(), " ".join(fmt % v for v in t.tolist())))


def leaf(t, dtype):
    """A fresh leaf of the given dtype with the values of t, to take a gradient."""
    return t.detach().to(dtype).clone().requires_grad_()


def header(out, op, name, **params):
    out.write("case %s %s %s\n" % (op, name, " ".join("%s=%s" % kv for kv in params.items())))


# conv2d: (name, n, c_in, h, w, c_out, (kh, kw), (sh, sw), (ph, pw), bias)
CONVS = [
    ("single_3x3", 1, 1, 5, 5, 1, (3, 3), (1, 1), (0, 0), True),
    ("kernel_3x2_pad1", 2, 3, 7, 6, 4, (3, 2), (1, 1), (1, 1), True),
    ("stride_2x1_pad_1x0", 3, 2, 9, 8, 5, (3, 3), (2, 1), (1, 0), False),
    ("kernel_5x3_stride_3x2", 2, 2, 11, 10, 3, (5, 3), (3, 2), (2, 1), True),
    ("pointwise", 1, 3, 6, 6, 2, (1, 1), (1, 1), (0, 0), True),
    ("pointwise_stride2", 4, 2, 5, 7, 3, (1, 1), (2, 2), (0, 0), False),
    ("even_kernel_stride2", 2, 1, 8, 8, 6, (4, 4), (2, 2), (1, 1), True),
    ("lab10_like", 2, 3, 8, 8, 4, (3, 3), (1, 1), (1, 1), True),
    ("kernel_fills_input", 5, 2, 4, 4, 3, (4, 4), (1, 1), (0, 0), True),
    ("kernel_beyond_input", 1, 2, 3, 3, 2, (5, 5), (1, 1), (1, 1), True),
    ("odd_everything", 2, 3, 7, 9, 5, (2, 3), (2, 3), (1, 1), True),
]

# Eight input channels or more at stride 1: runtime/conv2d.c's taps on the
# padded grid (forward, input and weight gradients); with a 1x1 kernel and
# padding 1 the input gradient keeps col2im.  Drawn after every other case,
# so that theirs stay the values they were.
CONVS_WIDE = [
    ("wide_channels_3x3_pad1", 2, 9, 6, 7, 10, (3, 3), (1, 1), (1, 1), True),
    ("wide_channels_2x3_pad_0x2", 3, 8, 5, 4, 8, (2, 3), (1, 1), (0, 2), False),
    ("wide_pointwise_pad1", 2, 12, 4, 5, 8, (1, 1), (1, 1), (1, 1), True),
]

# pooling: (name, n, c, h, w, (kh, kw), (sh, sw), (ph, pw), ties)
POOLS = [
    ("k2_s2", 1, 1, 4, 4, (2, 2), (2, 2), (0, 0), False),
    ("k3_s2_pad1", 2, 3, 7, 5, (3, 3), (2, 2), (1, 1), False),
    ("k3x2_s1x2_pad1", 2, 2, 9, 8, (3, 2), (1, 2), (1, 1), False),
    ("overlapping_ties", 3, 2, 6, 6, (2, 2), (1, 1), (0, 0), True),
    ("k3_s1_pad1_ties", 2, 2, 5, 6, (3, 3), (1, 1), (1, 1), True),
    ("whole_plane_pad2", 1, 2, 5, 5, (5, 5), (1, 1), (2, 2), False),
    ("lab10_like", 1, 2, 12, 12, (2, 2), (2, 2), (0, 0), False),
    ("odd_sizes_s3", 3, 1, 11, 7, (3, 2), (3, 2), (1, 1), False),
]

# batch norm: (name, n, c, h, w or None for batch_norm1d, eps, momentum)
NORMS = [
    ("bn1d_small", 4, 3, None, None, 1e-5, 0.1),
    ("bn1d_odd", 7, 5, None, None, 1e-3, 0.3),
    ("bn1d_two_rows", 2, 1, None, None, 1e-5, 0.1),
    ("bn1d_lab09_like", 32, 20, None, None, 1e-5, 0.1),
    ("bn2d_small", 2, 3, 4, 5, 1e-5, 0.1),
    ("bn2d_batch1", 1, 4, 5, 5, 1e-5, 0.1),
    ("bn2d_odd", 3, 2, 3, 7, 1e-3, 0.25),
    ("bn2d_one_pixel", 5, 3, 1, 1, 1e-5, 0.1),
    ("bn2d_lab10_like", 4, 4, 7, 7, 1e-5, 0.1),
]


def conv_case(out, name, n, c, h, w, o, k, s, p, bias):
    header(out, "conv2d", name, n=n, c_in=c, h=h, w=w, c_out=o, kh=k[0], kw=k[1],
           stride_h=s[0], stride_w=s[1], pad_h=p[0], pad_w=p[1], bias=int(bias))
    x = torch.randn(n, c, h, w)
    wt = torch.randn(o, c, k[0], k[1]) * 0.5
    b = torch.randn(o) if bias else None
    oh = (h + 2 * p[0] - k[0]) // s[0] + 1
    ow = (w + 2 * p[1] - k[1]) // s[1] + 1
    dy = torch.randn(n, o, oh, ow)
    put(out, "x", x)
    put(out, "weight", wt)
    if bias:
        put(out, "bias", b)
    put(out, "dy", dy)
    for dtype, sfx in ((torch.float32, ""), (torch.float64, "_f64")):
        xs = leaf(x, dtype)
        ws = leaf(wt, dtype)
        bs = leaf(b, dtype) if bias else None
        y = F.conv2d(xs, ws, bs, stride=s, padding=p)
        y.backward(dy.to(dtype))
        put(out, "y" + sfx, y)
        put(out, "dx" + sfx, xs.grad)
        put(out, "dweight" + sfx, ws.grad)
        if bias:
            put(out, "dbias" + sfx, bs.grad)
    out.write("end\n")


def pool_case(out, name, n, c, h, w, k, s, p, ties):
    header(out, "pool2d", name, n=n, c=c, h=h, w=w, kh=k[0], kw=k[1],
           stride_h=s[0], stride_w=s[1], pad_h=p[0], pad_w=p[1])
    # small integers make equal values in a window common: the gradient
    # must go to the first of them
    x = torch.randint(0, 3, (n, c, h, w)).float() if ties else torch.randn(n, c, h, w)
    oh = (h + 2 * p[0] - k[0]) // s[0] + 1
    ow = (w + 2 * p[1] - k[1]) // s[1] + 1
    dy = torch.randn(n, c, oh, ow)
    put(out, "x", x)
    put(out, "dy", dy)
    for dtype, sfx in ((torch.float32, ""), (torch.float64, "_f64")):
        for kind, fn in (("max", F.max_pool2d), ("avg", F.avg_pool2d)):
            xs = leaf(x, dtype)
            y = fn(xs, k, stride=s, padding=p)
            y.backward(dy.to(dtype))
            put(out, kind + "_y" + sfx, y)
            put(out, kind + "_dx" + sfx, xs.grad)
    out.write("end\n")


def norm_case(out, name, n, c, h, w, eps, momentum):
    shape = (n, c) if h is None else (n, c, h, w)
    header(out, "batch_norm", name, n=n, c=c, hw=1 if h is None else h * w, eps=repr(eps),
           momentum=repr(momentum))
    x = torch.randn(*shape) * 2 + 0.5
    wt = torch.rand(c) + 0.5
    b = torch.randn(c)
    running_mean = torch.randn(c) * 0.1
    running_var = torch.rand(c) + 0.5
    dy = torch.randn(*shape)
    for a, t in (("x", x), ("weight", wt), ("bias", b), ("running_mean", running_mean),
                 ("running_var", running_var), ("dy", dy)):
        put(out, a, t)
    for dtype, sfx in ((torch.float32, ""), (torch.float64, "_f64")):
        xs = leaf(x, dtype)
        ws = leaf(wt, dtype)
        bs = leaf(b, dtype)
        rm = running_mean.to(dtype).clone()
        rv = running_var.to(dtype).clone()
        # evaluation first, from the running statistics as given
        y_eval = F.batch_norm(xs, rm, rv, ws, bs, training=False, momentum=momentum, eps=eps)
        put(out, "y_eval" + sfx, y_eval)
        # the batch's statistics as ATen saves them for the backward pass
        _, save_mean, save_invstd = torch.native_batch_norm(
            xs.detach(), ws.detach(), bs.detach(), rm.clone(), rv.clone(), True, momentum, eps)
        y = F.batch_norm(xs, rm, rv, ws, bs, training=True, momentum=momentum, eps=eps)
        y.backward(dy.to(dtype))
        put(out, "y" + sfx, y)
        put(out, "save_mean" + sfx, save_mean)
        put(out, "save_invstd" + sfx, save_invstd)
        put(out, "running_mean_after" + sfx, rm)
        put(out, "running_var_after" + sfx, rv)
        put(out, "dx" + sfx, xs.grad)
        put(out, "dweight" + sfx, ws.grad)
        put(out, "dbias" + sfx, bs.grad)
    out.write("end\n")


def main():
    with open(OUT, "w") as out:
        out.write("# PyTorch %s references for tests/unit/test_conv2d.c, test_pool.c and\n"
                  "# test_batchnorm.c, written by tests/unit/make_conv_refs.py: do not edit.\n"
                  % torch.__version__)
        for case in CONVS:
            conv_case(out, *case)
        for case in POOLS:
            pool_case(out, *case)
        for case in NORMS:
            norm_case(out, *case)
        for case in CONVS_WIDE:
            conv_case(out, *case)
    print("wrote %s (%d bytes)" % (OUT, os.path.getsize(OUT)), file=sys.stderr)


if __name__ == "__main__":
    main()
