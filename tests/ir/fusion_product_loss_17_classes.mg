# More than 16 classes: the call does not take them; the loss stays
# softmax_cross_entropy, which writes the softmax its gradient reads.
# MGC-ARGS: -O2
# CHECK: %[[L:[0-9]+]] = softmax_cross_entropy %{{[0-9]+}}, %1 : f32[]  # cost
# CHECK: loss_softmax %[[L]] : f32[N, 17]
# CHECK-NOT: matmul_softmax_cross_entropy
# CHECK-NOT: eval_loss
input x: f32[N, 2]
input y: i64[N]
param W: f32[2, 17] = zeros
param b: f32[17] = zeros
let z = x @ W + b
let cost = cross_entropy(z, y)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [0, 2, 1])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
