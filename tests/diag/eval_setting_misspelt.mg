# A misspelt setting in eval (a typo of data): one error, no crash, and no
# second error calling data missing.
seed 1
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = zeros
let cost = mse_loss(x @ W, y)
train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3]], y = [[0], [1]])
  optimizer = sgd(lr = 0.1)
  epochs = 10
}
eval {
  dta = inline(x = [[1, 2]], y = [[1]])
}
