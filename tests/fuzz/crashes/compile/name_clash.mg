input x: f32[N, 2]
param W: f32[2, 1] = zeros
let t5_5 = x @ W
let t5 = t5_5 * 2
let cost = mean(t5 + t5_5)
train {
  loss = cost
  data = inline(x = [[1, 2]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
