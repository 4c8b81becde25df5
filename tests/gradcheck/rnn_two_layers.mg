# gradcheck: rnn(2, 3, layers = 2): two stacked tanh layers over T = 3 steps
# Checked in f64 against central finite differences.
seed 5
input x: f32[N, 3, 2]
input t: f32[N, 3, 3]
layer r = rnn(2, 3, layers = 2)
let cost = mse_loss(r(x), t)

train {
  loss = cost
  data = inline(x = [[[0.5, -1.2], [0.3, 1.5], [0.2, -0.7]], [[-0.4, 0.9], [1.1, 0.1], [-0.3, 0.8]],
                     [[0.7, 0.2], [-0.5, -0.6], [1.0, 0.4]]],
                t = [[[1, 0, 0.5], [0, 1, 0.3], [0.4, 0.4, 0.1]],
                     [[0.2, 0.8, 0], [1, 1, 0], [0.5, 0.5, 0.5]],
                     [[0, 0, 1], [0.3, 0.6, 0.9], [1, 0.2, 0.4]]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
