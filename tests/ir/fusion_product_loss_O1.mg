# -O1: no product fusions, but the loss still writes the softmax for the
# backward pass (loss_softmax), as at every level.
# MGC-ARGS: -O1
# CHECK: %[[L:[0-9]+]] = softmax_cross_entropy %{{[0-9]+}}, %1 : f32[]  # cost
# CHECK: loss_softmax %[[L]] : f32[N, 3]
# CHECK-NOT: matmul_
input x: f32[N, 2]
input y: i64[N]
param W: f32[2, 3] = zeros
param b: f32[3] = zeros
let z = x @ W + b
let cost = cross_entropy(z, y)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [0, 2, 1])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
