# At -O0 cross_entropy is what PyTorch computes: log_softmax, then nll_loss.
# MGC-ARGS: -O0
# CHECK: log_softmax %{{[0-9]+}} dim=1
# CHECK: nll_loss
# CHECK-NOT: softmax_cross_entropy
input x: f32[N, 2]
input y: i64[N]
param W: f32[2, 3] = [[0.5, -0.25, 0.1], [0.2, 0.3, -0.4]]
let z = x @ W
let cost = cross_entropy(z, y)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [0, 2, 1])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
