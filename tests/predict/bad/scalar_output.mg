# An output with no value per data row (a mean over the rows): --predict
# cannot write it as one line a row and says so before anything runs.
seed 1

input x: f32[N, 2]
input y: f32[N, 1]

param W: f32[2, 1] = zeros
param b: f32[1] = zeros

let hypothesis = sigmoid(x @ W + b)
let cost = binary_cross_entropy(hypothesis, y)
let mean_hypothesis = mean(hypothesis)
output hypothesis, mean_hypothesis

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1], [4, 3]], y = [[0], [0], [1], [1]])
  optimizer = sgd(lr = 1)
  epochs = 10
}
