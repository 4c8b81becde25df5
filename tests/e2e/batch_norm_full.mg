# Batch norm with full-batch training: the line of epoch e and its Eval line
# (every = 2, from epoch 0) use the params after e updates; each epoch's
# forward pass, epoch 0's and the last's included, updates the running
# statistics once, as the lessons' loop does.  Reference:
# reference/batch_norm_full.py.
seed 3

input x: f32[N, 4]
input y: i64[N]

layer fc1 = linear(4, 6)
layer bn = batch_norm1d(6)
layer fc2 = linear(6, 3)

let z = fc2(relu(bn(fc1(x))))
let cost = cross_entropy(z, y)
let accuracy = mean(argmax(z, dim = 1) == y)
output z

train {
  loss = cost
  data = inline(x = [[1, 2, 3, 4], [2, 1, 0, -1], [0.5, 0.2, -0.3, 1], [3, -1, 2, 0],
                     [1, 1, 1, 1], [-2, 0, 1, 3], [0, 0, 2, 2]],
                y = [0, 1, 2, 0, 1, 2, 0])
  optimizer = sgd(lr = 0.1, momentum = 0.9)
  epochs = 9
  log_every = 2
  metrics = [accuracy]
}

eval {
  data = inline(x = [[1, 0, 3, 4], [2, 2, 0, -1], [0.5, 1.2, -0.3, 1]], y = [0, 1, 2])
  every = 2
}
