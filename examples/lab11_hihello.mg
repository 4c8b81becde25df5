# Lab 11-1: "hihello" with an RNN.  The characters h, i, e, l, o are ids
# 0..4; the input "hihell", one-hot ([1, 6, 5]), goes through one
# nn.RNN(5, 5) whose hidden state at each step is the logits of the next
# character ("ihello"); the loss is the cross-entropy over every step.
# Adam at lr 0.1 for 100 steps, as the lesson trains.
# Reference: tests/e2e/reference/lab11_hihello.py (PyTorch 1.13).
seed 0

input x: i64[N, 6]   # "hihell"
input y: i64[N, 6]   # "ihello"

layer rnn1 = rnn(5, 5)

let z = rnn1(onehot(x, 5))
let cost = cross_entropy(z, y)
let accuracy = mean(argmax(z, dim = 2) == y)
output z

train {
  loss = cost
  data = inline(x = [[0, 1, 0, 2, 3, 3]], y = [[1, 0, 2, 3, 3, 4]])
  optimizer = adam(lr = 0.1)
  epochs = 100
  log_every = 10
  metrics = [accuracy]
}
