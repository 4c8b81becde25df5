# bad data: short_row
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = zeros
param b: f32[1] = zeros
let h = sigmoid(x @ W + b)
let cost = binary_cross_entropy(h, y)
train {
  loss = cost
  data = csv("short_row.csv", x = cols(0:2), y = cols(2))
  optimizer = sgd(lr = 1)
  epochs = 2
}
