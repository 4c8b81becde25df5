# --predict with sequences: an f32[N, 6, 5] input from 30 CSV columns and
# outputs with rows of one and two dims: the next character of every step
# (i64[N, 6]: next_0 ... next_5), the last step's probabilities (f32[N, 5])
# and every step's scores (f32[N, 6, 5]: z_0_0 ... z_5_4, step-major).
# The data are tests/e2e's hihello windows (tests/e2e/reference/sequence_csv.py).
seed 0
input x: f32[N, 6, 5]
input y: i64[N, 6]
layer fc1 = linear(5, 8)
layer fc2 = linear(8, 5)
let z = fc2(tanh(fc1(x)))
let next = argmax(z, dim = 2)
let last = softmax(z[:, -1], dim = 1)
let cost = cross_entropy(z, y)
output next, last, z

train {
  loss = cost
  data = csv("hihello.csv", x = cols(0:30), y = cols(30:36))
  optimizer = adam(lr = 0.1)
  epochs = 20
}
