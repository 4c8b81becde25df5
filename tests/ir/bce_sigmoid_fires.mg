# binary_cross_entropy(sigmoid(z), y) becomes one bce_with_logits node.
# MGC-ARGS: -O1
# CHECK: matmul
# CHECK-NOT: sigmoid
# CHECK: bce_with_logits %{{[0-9]+}}, %1 : f32[]  # cost
# CHECK-NOT: binary_cross_entropy
# The gradient is (sigmoid(z) - y) / n:
# CHECK: sigmoid
# CHECK: sub
# CHECK: div
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = [[0.5], [-0.25]]
param b: f32[1] = zeros
let z = x @ W + b
let cost = binary_cross_entropy(sigmoid(z), y)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [[0], [1], [1]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
