# bad data: a class label outside [0, C)
input x: f32[N, 2]
input y: i64[N]
param W: f32[2, 3] = zeros
let cost = cross_entropy(x @ W, y)
train {
  loss = cost
  data = csv("label_out_of_range.csv", x = cols(0:2), y = cols(2))
  optimizer = sgd(lr = 1)
  epochs = 2
}
