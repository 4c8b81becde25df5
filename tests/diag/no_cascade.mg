# An unknown name is reported where it is used, once per use; the values
# made from it (hypothesis, cost, scaled) raise no errors of their own, and a
# declaration broken by a syntax error (margin) still declares its name.
seed 1
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = zeros
param b: f32[1] = zeros
let hypothesis = sigmoid(x @ w + b)
let margin = x @ * W
let scaled = hypothesis @ W + margin
let cost = mean(-(y * log(hypothesis) + (1 - y) * log(1 - hypothesis))) + mean(scaled)
let accuracy = mean((hypothesis >= 0.5) == y) + sum(w)
output hypothesis
train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]],
                y = [[0], [0], [0], [1], [1], [1]])
  optimizer = sgd(lr = 1)
  epochs = 1000
  metrics = [accuracy]
}
