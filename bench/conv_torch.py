#!/usr/bin/python3
"""PyTorch 1.13's convolutions on the shapes of bench/conv_bench.c (the lab 10
CNN at batch 100), for comparison:

    /usr/bin/python3 bench/conv_torch.py [runs] [threads]     (default 30, 1)

torch.set_num_threads(threads) sets PyTorch's threads; OPENBLAS_NUM_THREADS
is set to the same number before torch is imported (Debian's torch does
some products in OpenBLAS, whose threads it does not control), so each
thread count is its own run of the script.

The forward pass is F.conv2d; the input and weight gradients are
aten::convolution_backward, the call autograd makes for conv2d's backward
(each asked for alone, the bias gradient with the weight's).  Each figure
is the median of the timed calls after two warm-up calls; flops count 2 x
the multiply-adds, as conv_bench.c does.
"""
import os
import sys
import time

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 30
THREADS = int(sys.argv[2]) if len(sys.argv) > 2 else 1
os.environ["OPENBLAS_NUM_THREADS"] = str(THREADS)

import torch  # noqa: E402 (after OPENBLAS_NUM_THREADS)
import torch.nn.functional as F  # noqa: E402

# (what, kind, n, c_in, h, w, c_out)
WORKLOADS = [
    ("conv1 forward        1->32 3x3 p1 28x28", "forward", 100, 1, 28, 28, 32),
    ("conv1 weight grad", "weight", 100, 1, 28, 28, 32),
    ("conv2 forward       32->64 3x3 p1 14x14", "forward", 100, 32, 14, 14, 64),
    ("conv2 input grad", "input", 100, 32, 14, 14, 64),
    ("conv2 weight grad", "weight", 100, 32, 14, 14, 64),
]


def median_seconds(fn):
    times = []
    for r in range(RUNS + 2):
        t0 = time.perf_counter()
        fn()
        t = time.perf_counter() - t0
        if r >= 2:
            times.append(t)
    times.sort()
    return times[len(times) // 2]


def main():
    torch.manual_seed(0)
    print("PyTorch %s, mkldnn %s, median of %d runs\n" % (torch.__version__, torch.backends.mkldnn.is_available(), RUNS))
    print("| convolution | threads | ms | GFLOP/s |")
    print("|---|---|---|---|")
    for threads in (THREADS,):
        torch.set_num_threads(threads)
        total_t = total_f = 0.0
        for what, kind, n, c, h, w, o in WORKLOADS:
            x = torch.randn(n, c, h, w)
            wt = torch.randn(o, c, 3, 3)
            b = torch.randn(o)
            dy = torch.randn(n, o, h, w)
            flops = 2.0 * n * o * h * w * c * 9
            with torch.no_grad():
                if kind == "forward":
                    fn = lambda: F.conv2d(x, wt, b, padding=1)
                else:
                    mask = [kind == "input", kind == "weight", kind == "weight"]
                    fn = lambda: torch.ops.aten.convolution_backward(
                        dy, x, wt, [o], [1, 1], [1, 1], [1, 1], False, [0, 0], 1, mask)
                t = median_seconds(fn)
            total_t += t
            total_f += flops
            print("| %s | %d | %.3f | %.1f |" % (what, threads, t * 1e3, flops / t * 1e-9))
        print("| all five | %d | %.3f | %.1f |" % (threads, total_t * 1e3, total_f / total_t * 1e-9))


if __name__ == "__main__":
    main()
