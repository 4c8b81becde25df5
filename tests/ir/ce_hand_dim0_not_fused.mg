# Summing over dim 0 is not a cross-entropy per row: no fusion; the log of
# MGC-ARGS: -O1
# the softmax still becomes log_softmax.
# CHECK: log_softmax
# CHECK-NOT: softmax_cross_entropy
input x: f32[N, 2]
input y: i64[N]
param W: f32[2, 3] = [[0.5, -0.25, 0.1], [0.2, 0.3, -0.4]]
let z = x @ W
let cost = mean(sum(onehot(y, 3) * -log(softmax(z, dim = 1)), dim = 0))

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [0, 2, 1])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
