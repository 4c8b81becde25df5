# Logistic regression on real data (lab 5).
# Deep Learning for Everyone, PyTorch lab 5, "Training with Real Data using
# low-level Binary Cross Entropy Loss": 759 patients, 8 features, and whether
# diabetes developed. Shows csv data (the last column is the label) and a
# metric logged beside the cost.
# Run from this directory (or pass --data-dir examples).
seed 1

input x: f32[N, 8]
input y: f32[N, 1]

param W: f32[8, 1] = zeros
param b: f32[1] = zeros

let hypothesis = sigmoid(x @ W + b)
let cost = mean(-(y * log(hypothesis) + (1 - y) * log(1 - hypothesis)))
let accuracy = mean((hypothesis >= 0.5) == y)
output hypothesis

train {
  loss = cost
  data = csv("data/diabetes.csv", x = cols(0:-1), y = cols(-1))
  optimizer = sgd(lr = 1)
  epochs = 100
  log_every = 10
  metrics = [accuracy]
}
