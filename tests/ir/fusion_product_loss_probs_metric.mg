# A train metric reads the softmax, after the loss: it reads the loss's
# byproduct, and since the fused call would write that only in the step
# (the library's evaluate computes train's metrics without one), the loss
# is not fused with its product.
# MGC-ARGS: -O2
# CHECK: %[[L:[0-9]+]] = softmax_cross_entropy %{{[0-9]+}}, %1 : f32[]  # cost
# CHECK: %[[P:[0-9]+]] = loss_softmax %[[L]] : f32[N, 3]  # p
# CHECK: mean %[[P]] : f32[]  # confidence
# CHECK-NOT: matmul_softmax_cross_entropy
input x: f32[N, 2]
input y: i64[N]
param W: f32[2, 3] = zeros
param b: f32[3] = zeros
let z = x @ W + b
let cost = cross_entropy(z, y)
let p = softmax(z, dim = 1)
let confidence = mean(p)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [0, 2, 1])
  optimizer = sgd(lr = 0.1)
  epochs = 1
  metrics = [confidence]
}
