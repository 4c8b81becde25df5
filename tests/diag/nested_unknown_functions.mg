# Calls nested in calls that cannot be made: each is reported, in source
# order (the outer call first), not only the outermost.
seed 1
input x: f32[N, 1, 28, 28]
input y: i64[N]
layer fc = linear(784, 10)
let h = max_pool2d(relu(conv2d(x)))
let z = fc(flatten(frobnicate(sigmoid(unknwn(x)))))
let cost = cross_entropy(z, y)
train {
  loss = cost
  data = idx(x = "images.idx", y = "labels.idx")
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
