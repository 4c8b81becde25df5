# Four different errors on four lines, all reported in one run: an unknown
# name, a shape mismatch, a syntax error and a bad setting.
seed 1
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = zeros
param V: f32[3, 1] = zeros
param b: f32[1] = zeros
let hypothesis = sigmoid(x @ w + b)
let other = x @ V
let cost = mean(-(y * log(hypothesis) + (1 - y) * log(1 - hypothesis))
let accuracy = mean((hypothesis >= 0.5) == y)
output hypothesis
train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]],
                y = [[0], [0], [0], [1], [1], [1]])
  optimizer = sgd(lr = 1)
  epochs = 1000
  shuffle = 3
  metrics = [accuracy]
}
