# The probability is a metric's input and an output: it is still computed.
# MGC-ARGS: -O1
# CHECK: sigmoid %[[Z:[0-9]+]] : f32[N, 1]  # h
# CHECK: bce_with_logits %[[Z]], %1
# CHECK: output h
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = [[0.5], [-0.25]]
param b: f32[1] = zeros
let z = x @ W + b
let h = sigmoid(z)
let cost = binary_cross_entropy(h, y)
let accuracy = mean((h >= 0.5) == y)
output h

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [[0], [1], [1]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
  metrics = [accuracy]
}
