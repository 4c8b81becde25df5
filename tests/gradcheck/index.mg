# gradcheck: indexing x[...].  Checked in f64 against central finite differences.
# A sequence's last and first steps, one element of every row, and a
# param's row and element (negative indices from the end): each gets the
# gradient at the picked elements and 0 elsewhere.
seed 3
input x: f32[N, 3, 2]
param P: f32[3, 4] = normal(0, 0.5)
layer fc = linear(2, 4)
let h = tanh(fc(x))
let cost = mean(h[:, -1] * h[:, 0]) + mean(h[:, 1, 2]) + sum(P[1] * P[-1, 2]) + mean(h[:, 2] * P[0])

train {
  loss = cost
  data = inline(x = [[[0.5, -1.2], [0.3, 1.5], [0.2, -0.7]], [[-0.4, 0.9], [1.1, 0.1], [-0.3, 0.8]],
                     [[0.7, 0.2], [-0.5, -0.6], [1.0, 0.4]], [[0.0, 0.3], [0.9, -1.1], [-0.2, 0.5]]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
