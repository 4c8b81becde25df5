# Kernel sizes, strides and paddings: positive integers (padding 0 or
# more), or pairs [h, w] of them.  Each wrong one is reported where it is.
seed 1
input x: f32[N, 1, 8, 8]
input y: i64[N]
layer c1 = conv2d(1, 2, 0)
layer c2 = conv2d(1, 2, 3, stride = 0)
layer c3 = conv2d(1, 2, [3, 3, 3])
layer c4 = conv2d(1, 2, 3, padding = -1)
layer c5 = conv2d(1, 2, 2.5)
layer c6 = conv2d(0, 2, 3)
layer c7 = conv2d(1, 2, [3, 0], stride = [1])
layer fc = linear(16, 10)
let a = max_pool2d(x, [2])
let b = avg_pool2d(x, 2, stride = 0)
let c = max_pool2d(x, 2, padding = [0, -1])
let d = avg_pool2d(x, kernel_size = x)
let z = fc(flatten(max_pool2d(x, 2)))
let cost = cross_entropy(z, y)
train {
  loss = cost
  data = idx(x = "images.idx", y = "labels.idx")
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
