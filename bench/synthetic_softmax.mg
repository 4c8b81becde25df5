# Synthetic softmax regression, the benchmark's large full-batch workload.
# 100000 samples of 64 features (bytes scaled by 1/255) in 10 classes, made
# by bench/synthetic_data.c (deterministic) into the directory given with
# --data-dir; bench/run.sh writes them to build-bench/bench/. One linear
# layer 64 -> 10, cross_entropy, SGD lr 0.5, full batch, 50 epochs.
# bench/torch_bench.py trains the same model in PyTorch (nn.Linear under
# torch.manual_seed(1): the same initial weights).
seed 1

input x: f32[N, 64]
input y: i64[N]

layer fc = linear(64, 10)

let z = fc(x)
let cost = cross_entropy(z, y)
let accuracy = mean(argmax(z, dim = 1) == y)
output z

train {
  loss = cost
  data = idx(x = "synthetic-x-idx2-ubyte", y = "synthetic-y-idx1-ubyte", scale = 1/255)
  optimizer = sgd(lr = 0.5)
  epochs = 50
  log_every = 10
  metrics = [accuracy]
}
