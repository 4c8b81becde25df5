# conv2d and pooling take images [N, C, H, W]: a flat input is an error,
# with a note on how to declare images.
seed 1
input x: f32[N, 64]
input y: i64[N]
layer conv = conv2d(1, 4, 3)
layer fc = linear(64, 10)
let a = conv(x)
let b = max_pool2d(x, 2)
let c = avg_pool2d(sum(x, dim = 1), 2)
let z = fc(x)
let cost = cross_entropy(z, y)
train {
  loss = cost
  data = idx(x = "images.idx", y = "labels.idx")
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
