# Constants computed from literals that are not finite numbers.
input x: f32[N, 1]
param W: f32[1, 1] = full(0 / 0)
let cost = mean(x @ W)
train {
  loss = cost
  data = inline(x = [[1e38 ** 9]])
  optimizer = sgd(lr = -(1e38 ** 9))
  epochs = 1
}
