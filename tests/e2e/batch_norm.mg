# Batch norm, 2-D then 1-D, in the training step (each mini-batch's
# statistics; running statistics updated with momentum 0.1 and 0.3) and in
# evaluation (the running statistics), evaluated every 2 epochs and after
# training.  Reference: reference/batch_norm.py (nn.BatchNorm2d, nn.BatchNorm1d).
# The linear layer before batch_norm1d has no bias: batch norm subtracts
# it again, so its gradient is zero up to rounding, and Adam would turn the
# sign of that rounding into steps of lr, moving the running mean (not the
# loss) by whatever rounding PyTorch or mgc happens to have.
seed 5

input x: f32[N, 2, 3, 3]
input y: i64[N]

layer bn2 = batch_norm2d(2)
layer fc = linear(18, 4, bias = false)
layer bn1 = batch_norm1d(4, eps = 1e-3, momentum = 0.3)
layer out = linear(4, 3)

let z = out(relu(bn1(fc(flatten(relu(bn2(x)))))))
let cost = cross_entropy(z, y)
let accuracy = mean(argmax(z, dim = 1) == y)
output z

train {
  loss = cost
  data = inline(x = [[[[0.49, 0.97, 1.18], [1.77, 0.96, 1.69], [-1.88, -0.14, 1.77]], [[0.6, 1.6, -1.55], [-0.12, -1.01, 0.18], [0.3, -1.95, -1.13]]], [[[-0.88, 1.67, 1.06], [-1.36, 1.19, -1.44], [0.47, -1.49, -1.99]], [[1.49, -1.16, -1.14], [1.93, 1.49, -0.84], [1.85, 0.16, 0.71]]], [[[-1.18, 1.76, 0.76], [1.87, 1.57, -0.8], [-0.56, -1.34, -1.42]], [[-1.74, -0.79, 0.41], [-1.99, 0.71, -0.65], [-0.76, 1.27, -0.08]]], [[[-0.74, -0.08, 0.82], [-1.77, 1.9, -1.91], [1.0, 1.38, -1.93]], [[1.15, -0.54, 0.31], [-1.96, -1.81, -1.28], [1.82, -1.21, 1.02]]], [[[1.72, 1.77, -0.62], [-0.58, 0.1, 1.1], [-1.57, 0.99, 1.19]], [[1.44, -1.85, 1.78], [-1.64, -0.64, 0.44], [1.67, -0.64, 1.7]]], [[[0.18, -0.75, -0.73], [-1.29, -1.69, -1.4], [0.76, 1.99, -1.35]], [[-1.81, 1.95, 0.13], [-0.38, -1.05, 0.38], [1.31, -0.18, -0.31]]]],
                y = [0, 1, 2, 1, 0, 2])
  optimizer = adam(lr = 0.05)
  epochs = 6
  batch_size = 4
  log_every = 1
  metrics = [accuracy]
}

eval {
  data = inline(x = [[[[0.49, 0.97, 1.18], [1.77, 0.96, 1.69], [-1.88, -0.14, 1.77]], [[0.6, 1.6, -1.55], [-0.12, -1.01, 0.18], [0.3, -1.95, -1.13]]], [[[-0.88, 1.67, 1.06], [-1.36, 1.19, -1.44], [0.47, -1.49, -1.99]], [[1.49, -1.16, -1.14], [1.93, 1.49, -0.84], [1.85, 0.16, 0.71]]], [[[-1.18, 1.76, 0.76], [1.87, 1.57, -0.8], [-0.56, -1.34, -1.42]], [[-1.74, -0.79, 0.41], [-1.99, 0.71, -0.65], [-0.76, 1.27, -0.08]]], [[[-0.74, -0.08, 0.82], [-1.77, 1.9, -1.91], [1.0, 1.38, -1.93]], [[1.15, -0.54, 0.31], [-1.96, -1.81, -1.28], [1.82, -1.21, 1.02]]], [[[1.72, 1.77, -0.62], [-0.58, 0.1, 1.1], [-1.57, 0.99, 1.19]], [[1.44, -1.85, 1.78], [-1.64, -0.64, 0.44], [1.67, -0.64, 1.7]]], [[[0.18, -0.75, -0.73], [-1.29, -1.69, -1.4], [0.76, 1.99, -1.35]], [[-1.81, 1.95, 0.13], [-0.38, -1.05, 0.38], [1.31, -0.18, -0.31]]]],
                y = [0, 1, 2, 1, 0, 2])
  every = 2
}
