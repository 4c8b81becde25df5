# '@' is a 2-D product: images [N, C, H, W] must be flattened first (the
# note says how).
seed 1
input x: f32[N, 1, 8, 8]
input y: i64[N]
param W: f32[64, 10] = zeros
let z = x @ W
let cost = cross_entropy(z, y)
train {
  loss = cost
  data = idx(x = "images.idx", y = "labels.idx")
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
