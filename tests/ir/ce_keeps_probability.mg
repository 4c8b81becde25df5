# The probabilities are also a metric's input: they stay computed, as the
# loss's byproduct (loss_softmax), which the metric and the gradient read.
# MGC-ARGS: -O1
# CHECK: %[[L:[0-9]+]] = softmax_cross_entropy %{{[0-9]+}}, %1
# CHECK: %[[P:[0-9]+]] = loss_softmax %[[L]] : f32[N, 3]  # p
# CHECK: mean %[[P]] : f32[]  # confidence
input x: f32[N, 2]
input y: i64[N]
param W: f32[2, 3] = [[0.5, -0.25, 0.1], [0.2, 0.3, -0.4]]
let z = x @ W
let p = softmax(z, dim = 1)
let cost = mean(sum(onehot(y, 3) * -log(p), dim = 1))
let confidence = mean(p)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [0, 2, 1])
  optimizer = sgd(lr = 0.1)
  epochs = 1
  metrics = [confidence]
}
