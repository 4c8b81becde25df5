# Softmax classification of animals (lab 6-2).
# Deep Learning for Everyone, PyTorch lab 6-2 "Fancy Softmax Classification":
# zoo.csv, 101 animals, 16 features, 7 classes in the last column (read as
# i64 labels; the file's '#' lines are skipped). Shows csv labels and a
# broadcast bias.
# As in the lesson, b is torch.zeros(1): one scalar added to all 7 logits.
# Softmax ignores such a shift, so b's gradient sums to zero and b stays at 0.
# A per-class bias (f32[7]) would reach a lower cost (0.100694) by epoch 1000.
# Run from this directory (or pass --data-dir examples).
seed 1

input x: f32[N, 16]
input y: i64[N]

param W: f32[16, 7] = zeros
param b: f32[1] = zeros

let z = x @ W + b
let cost = cross_entropy(z, y)
output z

train {
  loss = cost
  data = csv("data/zoo.csv", x = cols(0:-1), y = cols(-1))
  optimizer = sgd(lr = 0.1)
  epochs = 1000
  log_every = 100
}
