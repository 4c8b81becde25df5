# A builtin of the language that this version of mgc does not implement:
# said so, not called unknown.
seed 1
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = zeros
let h = x @ W
let spread = max_pool2d(h, 2)
let cost = mse_loss(h, y)
train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3]], y = [[0], [1]])
  optimizer = sgd(lr = 1)
  epochs = 10
}
