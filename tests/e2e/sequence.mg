# A sequence model: lab 11's "hihello" characters with a per-step classifier
# in place of the RNN.  Each window of 6 characters (ids over h, i, e, l, o)
# is one-hot encoded ([N, 6, 5]); two linear layers act on every step; the
# loss is the cross-entropy over every step (N*T rows).
# Reference: reference/sequence.py (PyTorch 1.13) -> reference/sequence.log.
seed 0

input x: i64[N, 6]   # "hihell", "ihello", ... as ids
input y: i64[N, 6]   # the next character of each

layer fc1 = linear(5, 8)
layer fc2 = linear(8, 5)

let z = fc2(tanh(fc1(onehot(x, 5))))
let cost = cross_entropy(z, y)
let accuracy = mean(argmax(z, dim = 2) == y)
let last_accuracy = mean(argmax(z[:, -1], dim = 1) == y[:, -1])
output z

train {
  loss = cost
  data = inline(x = [[0, 1, 0, 2, 3, 3], [1, 0, 2, 3, 3, 4], [0, 2, 3, 3, 4, 0], [2, 3, 3, 4, 0, 1],
                     [3, 3, 4, 0, 1, 0], [3, 4, 0, 1, 0, 2], [4, 0, 1, 0, 2, 3]],
                y = [[1, 0, 2, 3, 3, 4], [0, 2, 3, 3, 4, 0], [2, 3, 3, 4, 0, 1], [3, 3, 4, 0, 1, 0],
                     [3, 4, 0, 1, 0, 2], [4, 0, 1, 0, 2, 3], [0, 1, 0, 2, 3, 3]])
  optimizer = adam(lr = 0.1)
  epochs = 100
  log_every = 10
  metrics = [accuracy, last_accuracy]
}
