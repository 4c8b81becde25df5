# A layer kind of the language that this version of mgc does not implement;
# the layer is still declared, so its use is not reported again.
seed 1
input x: f32[N, 1, 8, 8]
input y: i64[N]
layer conv = conv2d(1, 4, 3)
layer fc = linear(144, 10)
let z = fc(flatten(relu(conv(x))))
let cost = cross_entropy(z, y)
train {
  loss = cost
  data = idx(x = "images.idx", y = "labels.idx")
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
