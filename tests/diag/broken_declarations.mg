# Declarations broken by syntax errors still declare their names: the uses
# of x, W and fc below raise no "unknown name" errors, only the three syntax
# errors are reported.
seed 1
input x: f32[N 2]
input y: f32[N, 1]
param W: f32[2, 1] = = zeros
layer fc = linear(2 1)
let h = fc(x) + x @ W
let cost = mse_loss(h, y)
train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3]], y = [[0], [1]])
  optimizer = sgd(lr = 1)
  epochs = 10
}
