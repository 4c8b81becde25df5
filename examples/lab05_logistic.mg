# Logistic regression on the lesson's toy data (lab 5).
# Deep Learning for Everyone, PyTorch lab 5 "Logistic Regression": the
# hypothesis sigmoid(x W + b) and the binary cross-entropy written by hand,
# trained with plain SGD. This is the README's first example.
seed 1

input x: f32[N, 2]
input y: f32[N, 1]

param W: f32[2, 1] = zeros
param b: f32[1] = zeros

let hypothesis = sigmoid(x @ W + b)
let cost = mean(-(y * log(hypothesis) + (1 - y) * log(1 - hypothesis)))
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
