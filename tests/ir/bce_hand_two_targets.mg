# Two different targets: not a cross-entropy, no fusion; the logs of sigmoid
# MGC-ARGS: -O1
# still become softplus.
# CHECK-NOT: bce_with_logits
# CHECK: softplus
# CHECK: softplus
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = [[0.5], [-0.25]]
param b: f32[1] = zeros
let z = x @ W + b
input t: f32[N, 1]
let h = sigmoid(z)
let cost = mean(-(y * log(h) + (1 - t) * log(1 - h)))

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [[0], [1], [1]], t = [[1], [1], [0]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
