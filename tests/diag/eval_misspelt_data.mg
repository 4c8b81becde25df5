# A misspelt setting in eval: data, the one it was taken for, is not also called missing.
input x: f32[N, 1]
param W: f32[1, 1] = zeros
let cost = mean(x @ W)
train {
  loss = cost
  data = inline(x = [[1]])
  optimizer = sgd(lr = 1)
  epochs = 1
}
eval {
  dta = inline(x = [[1]])
}
