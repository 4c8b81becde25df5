# -O1 does not fuse: the onehot is a node (and an array) of its own.
# MGC-ARGS: -O1
# CHECK: = onehot %1 classes=3 : f32[N, 3]
# CHECK-NOT: fused
input x: f32[N, 2]
input y: i64[N]
param W: f32[2, 3] = [[0.5, -0.25, 0.1], [0.2, 0.3, -0.4]]
let z = x @ W
let cost = cross_entropy(z, y)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [0, 2, 1])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
