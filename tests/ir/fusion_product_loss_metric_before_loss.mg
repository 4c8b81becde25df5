# A train metric that reads the softmax but comes before the loss (a lower
# node id) cannot read the loss's byproduct: it keeps softmax(z), and the
# loss is fused with its product.
# MGC-ARGS: -O2
# CHECK: %[[P:[0-9]+]] = softmax %{{[0-9]+}} dim=1 : f32[N, 3]  # p
# CHECK: mean %[[P]] : f32[]  # confidence
# CHECK: matmul_softmax_cross_entropy %0, %2, %3, %1
input x: f32[N, 2]
input y: i64[N]
param W: f32[2, 3] = zeros
param b: f32[3] = zeros
let z = x @ W + b
let p = softmax(z, dim = 1)
let confidence = mean(p)
let cost = cross_entropy(z, y)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [0, 2, 1])
  optimizer = sgd(lr = 0.1)
  epochs = 1
  metrics = [confidence]
}
