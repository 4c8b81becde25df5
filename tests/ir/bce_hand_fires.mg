# The hand-written cost of lab 5 becomes bce_with_logits; sigmoid and the logs go.
# MGC-ARGS: -O1
# CHECK: matmul
# CHECK-NOT: log
# CHECK-NOT: sigmoid
# CHECK: bce_with_logits %{{[0-9]+}}, %1 : f32[]  # cost
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = [[0.5], [-0.25]]
param b: f32[1] = zeros
let z = x @ W + b
let h = sigmoid(z)
let cost = mean(-(y * log(h) + (1 - y) * log(1 - h)))

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [[0], [1], [1]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
