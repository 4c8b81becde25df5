input x: f32[N, 1]
input y: i64[N]
param W: f32[1, 1] = zeros
let cost = mean(x @ W)
train {
  loss = cost
  data = inline(x = [[1]], y = [1e30])
  optimizer = sgd(lr = 1)
  epochs = 1
}
