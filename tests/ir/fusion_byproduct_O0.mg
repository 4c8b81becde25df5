# -O0 runs no optimization, but binary_cross_entropy_with_logits is
# bce_with_logits from the start, and its kernel writes sigmoid(z) for the
# backward pass.
# MGC-ARGS: -O0
# CHECK: %[[L:[0-9]+]] = bce_with_logits %{{[0-9]+}}, %1 : f32[]  # cost
# CHECK: loss_sigmoid %[[L]] : f32[N, 1]
# CHECK-NOT: matmul_
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = zeros
param b: f32[1] = zeros
let z = x @ W + b
let cost = binary_cross_entropy_with_logits(z, y)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [[0], [1], [1]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
