# bad data: two inputs that share the size N but have different row counts
input x: f32[N, 4]
input y: i64[N]
param W: f32[4, 3] = zeros
let cost = cross_entropy(x @ W, y)
train {
  loss = cost
  data = idx(x = "four-idx3-ubyte", y = "tiny-idx1-ubyte", scale = 1/255)
  optimizer = sgd(lr = 1)
  epochs = 2
}
