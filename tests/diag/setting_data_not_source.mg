# data must be a data source.
seed 1
input x: f32[N, 1]
param w: f32[1] = zeros
let cost = mean(x * w)
train {
  loss = cost
  data = 3
  optimizer = sgd(lr = 1)
  epochs = 1
}
