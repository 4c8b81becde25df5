# Spelled -mean(log(h) * y + log(1 - h) * (1 - y)) it fuses too.
# MGC-ARGS: -O1
# CHECK: bce_with_logits
# CHECK-NOT: log
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = [[0.5], [-0.25]]
param b: f32[1] = zeros
let z = x @ W + b
let h = sigmoid(z)
let cost = -mean(log(h) * y + log(1 - h) * (1 - y))

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [[0], [1], [1]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
