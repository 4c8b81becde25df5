# A number literal too large for f32, the program's number type.
input x: f32[N, 1]
param W: f32[1, 1] = zeros
let cost = mean(x @ W * 1e300)
train {
  loss = cost
  data = inline(x = [[1]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
