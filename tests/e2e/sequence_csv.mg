# A sequence model read from CSV: the windows of sequence.mg with the
# characters already one-hot, f32[N, 6, 5] from 30 columns (the 5 values of
# step 1, then of step 2, ...) and i64[N, 6] labels from the last 6.  The
# loss adds the last step's cross-entropy, through z[:, -1], to that of every
# step, so the gradient of indexing meets PyTorch's.
# Reference: reference/sequence_csv.py (which also writes hihello.csv).
seed 0

input x: f32[N, 6, 5]
input y: i64[N, 6]

layer fc1 = linear(5, 8)
layer fc2 = linear(8, 5)

let z = fc2(tanh(fc1(x)))
let cost = cross_entropy(z, y) + cross_entropy(z[:, -1], y[:, -1])
let accuracy = mean(argmax(z, dim = 2) == y)

train {
  loss = cost
  data = csv("hihello.csv", x = cols(0:30), y = cols(30:36))
  optimizer = sgd(lr = 0.5)
  epochs = 100
  log_every = 10
  metrics = [accuracy]
}
