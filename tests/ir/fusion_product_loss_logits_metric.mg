# A train metric reads the logits: the fusion fires, and the metric computes
# z itself (on logged steps).
# MGC-ARGS: -O2
# CHECK: %[[Z:[0-9]+]] = matmul_bias %0, %2, %3 : f32[N, 3]  # z
# CHECK: argmax %[[Z]]
# CHECK: matmul_softmax_cross_entropy %0, %2, %3, %1
input x: f32[N, 2]
input y: i64[N]
param W: f32[2, 3] = zeros
param b: f32[3] = zeros
let z = x @ W + b
let accuracy = mean(argmax(z, dim = 1) == y)
let cost = cross_entropy(z, y)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [0, 2, 1])
  optimizer = sgd(lr = 0.1)
  epochs = 1
  metrics = [accuracy]
}
