# An inline class label outside [0, C) would index past the scores.
input x: f32[N, 2]
input y: i64[N]
param W: f32[2, 3] = zeros
let cost = cross_entropy(x @ W, y)
train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3]], y = [1, 7])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
