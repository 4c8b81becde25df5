# A layer kind of the language that this version of mgc does not implement;
# the layer is still declared, so its use is not reported again.
seed 1
input x: f32[N, 5, 8]
input y: i64[N]
layer rec = gru(8, 16)
layer fc = linear(16, 10)
let z = fc(relu(rec(x)))
let cost = cross_entropy(z, y)
train {
  loss = cost
  data = idx(x = "images.idx", y = "labels.idx")
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
