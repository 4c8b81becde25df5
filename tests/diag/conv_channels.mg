# A convolution given images with another number of channels than the
# layer's in_channels: the error points at the argument and the note at
# the layer.
seed 1
input x: f32[N, 3, 8, 8]
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
