# bad data: a gzip-compressed IDX image file cut short
input x: f32[N, 4]
input y: i64[N]
param W: f32[4, 3] = zeros
let cost = cross_entropy(x @ W, y)
train {
  loss = cost
  data = idx(x = "truncated-idx3-ubyte.gz", y = "tiny-idx1-ubyte", scale = 1/255)
  optimizer = sgd(lr = 1)
  epochs = 2
}
