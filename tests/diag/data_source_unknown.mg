# A data source that does not exist (a typo of inline).
seed 1
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = zeros
let cost = mse_loss(x @ W, y)
train {
  loss = cost
  data = inlne(x = [[1, 2], [2, 3]], y = [[0], [1]])
  optimizer = sgd(lr = 0.1)
  epochs = 10
}
