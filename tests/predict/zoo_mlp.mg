# An MLP with dropout on the zoo data (lab 6-2's file), trained in
# shuffled mini-batches: its predictions (the softmax probabilities and
# the argmax class) must be computed in evaluation mode, without dropout.
# Run with --data-dir examples.
seed 5

input x: f32[N, 16]
input y: i64[N]

layer hidden = linear(16, 32)
layer out = linear(32, 7)

let z = out(dropout(relu(hidden(x)), 0.3))
let cost = cross_entropy(z, y)
let probs = softmax(z, dim = 1)
let class = argmax(z, dim = 1)
output probs, class

train {
  loss = cost
  data = csv("data/zoo.csv", x = cols(0:-1), y = cols(-1))
  optimizer = adam(lr = 0.01)
  epochs = 30
  batch_size = 16
  shuffle = true
  log_every = 10
}
