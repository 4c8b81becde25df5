# Batch norm on a value whose channels (dim 1) are not the layer's.
input x: f32[N, 4]
input y: i64[N]
layer fc = linear(4, 8)
layer bn = batch_norm1d(6)
let z = bn(fc(x))
let cost = cross_entropy(z, y)
train {
  loss = cost
  data = inline(x = [[1, 2, 3, 4], [4, 3, 2, 1]], y = [0, 1])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
