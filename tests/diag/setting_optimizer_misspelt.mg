# A misspelt optimizer (adamw is not one of mgc's; adam is close).
seed 1
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = zeros
let cost = mse_loss(x @ W, y)
train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3]], y = [[0], [1]])
  optimizer = adamw(lr = 0.01)
  epochs = 10
}
