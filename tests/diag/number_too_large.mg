# A number literal too large for any double.
input x: f32[N, 1]
param W: f32[1, 1] = zeros
let cost = mean(x @ W * 1e400)
train {
  loss = cost
  data = inline(x = [[1]])
  optimizer = sgd(lr = 1e400)
  epochs = 1
}
