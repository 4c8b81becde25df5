# The loss is a sum of terms: only a loss that is the training loss itself
# is fused with its product; the cross-entropy still writes its softmax.
# MGC-ARGS: -O2
# CHECK: %[[L:[0-9]+]] = softmax_cross_entropy %{{[0-9]+}}, %1 : f32[]
# CHECK: loss_softmax %[[L]]
# CHECK-NOT: matmul_softmax_cross_entropy
input x: f32[N, 2]
input y: i64[N]
param W: f32[2, 3] = zeros
param b: f32[3] = zeros
let z = x @ W + b
let cost = cross_entropy(z, y) + 0.01 * mean(W * W)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [0, 2, 1])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
