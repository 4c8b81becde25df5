# Dropout in training, as F.dropout draws it (bernoulli_(1 - p) from the one
# random stream, scaled by 1/(1 - p)), after the layers' init draws; the
# masks are drawn every step in program order.  Reference: reference/dropout.py.
seed 11

input x: f32[N, 4]
input y: i64[N]

layer l1 = linear(4, 16)
layer l2 = linear(16, 3)

let z = l2(dropout(relu(l1(x)), 0.3))
let cost = cross_entropy(z, y)

train {
  loss = cost
  data = inline(x = [[1, 2, 1, 1], [2, 1, 3, 2], [3, 1, 3, 4], [4, 1, 5, 5],
                     [1, 7, 5, 5], [1, 2, 5, 6], [1, 6, 6, 6], [1, 7, 7, 7]],
                y = [2, 2, 2, 1, 1, 1, 0, 0])
  optimizer = sgd(lr = 0.05)
  epochs = 50
  log_every = 5
}
