# gradcheck: batch_norm1d in training mode (the batch's statistics depend on
# every row, so dx has the mean terms), after a product so that the input's
# gradient reaches W; 5 rows of 5 channels, eps and momentum not the
# defaults.  Checked in f64 against central finite differences.
seed 3
input x: f32[N, 3]
input y: f32[N, 5]
param W: f32[3, 5] = normal(0, 0.8)
layer bn = batch_norm1d(5, eps = 0.01, momentum = 0.3)
init bn.weight = uniform(0.5, 1.5)
init bn.bias = uniform(-0.5, 0.5)

let cost = mean(tanh(bn(x @ W)) * y)

train {
  loss = cost
  data = inline(x = [[-0.82, 1.39, -1.12], [0.61, -1.24, -0.76], [1.5, -0.87, 0.43], [-0.12, -0.14, -0.02], [-0.92, 0.99, -1.23]],
                y = [[-0.8, -1.44, -0.7, -0.28, 1.21], [-0.36, -1.16, -0.72, 1.47, -1.31], [0.36, -0.37, 0.48, -0.48, 0.57], [-0.01, 0.45, 1.2, 0.24, -1.07], [-1.31, 1.34, -0.03, -0.92, 1.34]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
