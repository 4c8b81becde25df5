# Slices with bounds are not indices mgc supports: ':' or an integer.
seed 1
input x: f32[N, 3, 2]
input y: i64[N, 3]
param P: f32[3, 4] = zeros
layer fc = linear(2, 4)
let a = fc(x)[:, 1:3]
let cost = mean(a)

train {
  loss = cost
  data = inline(x = [[[1, 2], [3, 4], [5, 6]]], y = [[1, 0, 3]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
