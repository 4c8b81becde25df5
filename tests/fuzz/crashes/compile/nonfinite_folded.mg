input x: f32[N, 1]
param W: f32[1, 1] = zeros
let a = x @ W
let cost = mean(a * (0 / 0) + a * log(0) + a * (1e30 * 1e30) - a * (1e38 * 1e38))
train {
  loss = cost
  data = inline(x = [[1]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
