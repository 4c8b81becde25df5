# Softmax classification, cost written by hand (lab 6).
# Deep Learning for Everyone, PyTorch lab 6, "Training with Low-level Cross
# Entropy Loss": 8 samples, 4 features, 3 classes given as integer labels.
# Shows i64 labels, onehot, softmax along a dimension and a sum over it.
# (The lesson's bias is one scalar, torch.zeros(1); here it is one per class.)
seed 1

input x: f32[N, 4]
input y: i64[N]

param W: f32[4, 3] = zeros
param b: f32[3] = zeros

let hypothesis = softmax(x @ W + b, dim = 1)
let cost = mean(sum(onehot(y, 3) * -log(hypothesis), dim = 1))
output hypothesis

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
