# A misspelt layer kind (a typo of linear).
seed 1
input x: f32[N, 2]
input y: f32[N, 1]
layer fc = linaer(2, 1)
let cost = mse_loss(fc(x), y)
train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3]], y = [[0], [1]])
  optimizer = sgd(lr = 1)
  epochs = 10
}
