# bad data: seq_short_row (a sequence f32[N, 3, 2] from 6 columns, labels i64[N, 3] from 3)
input x: f32[N, 3, 2]
input y: i64[N, 3]
layer fc = linear(2, 4)
let cost = cross_entropy(fc(x), y)
train {
  loss = cost
  data = csv("seq_short_row.csv", x = cols(0:6), y = cols(6:9))
  optimizer = sgd(lr = 1)
  epochs = 2
}
