# csv(...) without a file path.
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
  data = csv(x = cols(0:2), y = cols(2))
  optimizer = sgd(lr = 1)
  epochs = 1000
  log_every = 100
  metrics = [accuracy]
}
