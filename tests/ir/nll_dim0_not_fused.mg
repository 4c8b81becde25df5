# log_softmax over dim 0 is not a per-row cross-entropy: no fusion.
# MGC-ARGS: -O1
# CHECK: log_softmax %{{[0-9]+}} dim=0
# CHECK: nll_loss
# CHECK-NOT: softmax_cross_entropy
input x: f32[N, 2]
input y: i64[N]
param W: f32[2, 3] = [[0.5, -0.25, 0.1], [0.2, 0.3, -0.4]]
let z = x @ W
let cost = nll_loss(log_softmax(z, dim = 0), y)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [0, 2, 1])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
