# A layer kind called as a function: a layer is declared first, then called.
seed 1
input x: f32[N, 2]
input y: f32[N, 1]
let h = linear(x)
let cost = mse_loss(h, y)
train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3]], y = [[0], [1]])
  optimizer = sgd(lr = 1)
  epochs = 10
}
