# Pooling padding may be at most half the kernel (PyTorch's rule: "pad
# should be at most half of kernel size").
seed 1
input x: f32[N, 1, 8, 8]
input y: i64[N]
layer fc = linear(16, 10)
let a = max_pool2d(x, 3, padding = 2)
let b = avg_pool2d(x, [2, 4], padding = [1, 3])
let z = fc(flatten(max_pool2d(x, 2)))
let cost = cross_entropy(z, y)
train {
  loss = cost
  data = idx(x = "images.idx", y = "labels.idx")
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
