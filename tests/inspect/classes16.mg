# A linear classifier over 16 classes: at most 16 classes the training
# step's loss computes the product itself (runtime/softmax_ce.c), past that
# the product and the loss are separate kernels (tests/inspect).
seed 1

input x: f32[N, 4]
input y: i64[N]

layer fc = linear(4, 16)

let z = fc(x)
let cost = cross_entropy(z, y)

train {
  loss = cost
  data = inline(x = [[1, 2, 1, 1], [2, 1, 3, 2], [3, 1, 3, 4]], y = [0, 5, 9])
  optimizer = sgd(lr = 0.1)
  epochs = 2
}
