# bad data: an IDX label file with a wrong magic number
input x: f32[N, 4]
input y: i64[N]
param W: f32[4, 3] = zeros
let cost = cross_entropy(x @ W, y)
train {
  loss = cost
  data = idx(x = "tiny-idx3-ubyte", y = "bad_magic-idx1-ubyte", scale = 1/255)
  optimizer = sgd(lr = 1)
  epochs = 2
}
