# Logistic regression with the library loss (lab 5).
# Deep Learning for Everyone, PyTorch lab 5, "Computing the Cost Function with
# F.binary_cross_entropy": the toy model of lab05_logistic.mg with the built-in
# binary_cross_entropy in place of the hand-written cost. Same log.
seed 1

input x: f32[N, 2]
input y: f32[N, 1]

param W: f32[2, 1] = zeros
param b: f32[1] = zeros

let hypothesis = sigmoid(x @ W + b)
let cost = binary_cross_entropy(hypothesis, y)
let accuracy = mean((hypothesis >= 0.5) == y)
output hypothesis

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]],
                y = [[0], [0], [0], [1], [1], [1]])
  optimizer = sgd(lr = 1)
  epochs = 1000
  log_every = 100
  metrics = [accuracy]
}
