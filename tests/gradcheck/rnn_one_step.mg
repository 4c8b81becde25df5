# gradcheck: rnn(2, 3, layers = 2, bias = false): T = 1, the loop runs once each way
# Checked in f64 against central finite differences.
seed 5
input x: f32[N, 1, 2]
input t: f32[N, 1, 3]
layer r = rnn(2, 3, layers = 2, bias = false)
let cost = mse_loss(r(x), t)

train {
  loss = cost
  data = inline(x = [[[0.5, -1.2]], [[-0.4, 0.9]], [[0.7, 0.2]]],
                t = [[[1, 0, 0.5]], [[0.2, 0.8, 0]], [[0, 0, 1]]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
