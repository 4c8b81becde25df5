input x: f32[N, 1]
param W: f32[1, 1] = zeros
let a = x @ W * 1e400
let b = x @ W * 1e300
let cost = mean(a + b)
train {
  loss = cost
  data = inline(x = [[1]])
  optimizer = sgd(lr = 1e400)
  epochs = 1
}
