# gradcheck: nll_loss over a sequence (log_softmax along the classes, dim 2,
# of [N, T, C]; labels [N, T]; the mean over N*T rows).
# Checked in f64 against central finite differences.
seed 3
input x: f32[N, 3, 2]
input labels: i64[N, 3]
layer fc = linear(2, 4)
let cost = nll_loss(log_softmax(fc(x), dim = 2), labels)

train {
  loss = cost
  data = inline(x = [[[0.5, -1.2], [0.3, 1.5], [0.2, -0.7]], [[-0.4, 0.9], [1.1, 0.1], [-0.3, 0.8]],
                     [[0.7, 0.2], [-0.5, -0.6], [1.0, 0.4]], [[0.0, 0.3], [0.9, -1.1], [-0.2, 0.5]]],
                labels = [[0, 3, 1], [1, 2, 0], [2, 0, 3], [1, 2, 0]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
