# Softmax classification with cross_entropy (lab 6).
# Deep Learning for Everyone, PyTorch lab 6, "Training with F.cross_entropy":
# the model of lab06_softmax_lowlevel.mg, with the built-in cross_entropy taking
# the logits z directly (softmax is inside the loss).
# (The lesson's bias is one scalar, torch.zeros(1); here it is one per class.)
seed 1

input x: f32[N, 4]
input y: i64[N]

param W: f32[4, 3] = zeros
param b: f32[3] = zeros

let z = x @ W + b
let cost = cross_entropy(z, y)
output z

train {
  loss = cost
  data = inline(x = [[1, 2, 1, 1],
                     [2, 1, 3, 2],
                     [3, 1, 3, 4],
                     [4, 1, 5, 5],
                     [1, 7, 5, 5],
                     [1, 2, 5, 6],
                     [1, 6, 6, 6],
                     [1, 7, 7, 7]],
                y = [2, 2, 2, 1, 1, 1, 0, 0])
  optimizer = sgd(lr = 0.1)
  epochs = 1000
  log_every = 100
}
