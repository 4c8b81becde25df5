# A kernel larger than its input, padded: conv2d and pooling both say which
# sizes do not fit (PyTorch: "Kernel size can't be greater than actual input
# size").
seed 1
input x: f32[N, 1, 3, 4]
input y: i64[N]
layer conv = conv2d(1, 2, 6, padding = 1)
layer wide = conv2d(1, 2, [3, 7])
layer fc = linear(2, 10)
let a = conv(x)
let b = wide(x)
let p = max_pool2d(x, 4)
let q = avg_pool2d(x, [2, 5], padding = [1, 0])
let z = fc(flatten(max_pool2d(x, 2)))
let cost = cross_entropy(z, y)
train {
  loss = cost
  data = idx(x = "images.idx", y = "labels.idx")
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
