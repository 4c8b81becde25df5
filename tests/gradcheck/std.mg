# gradcheck: std (torch.std), along dims 0, 1 and -1 and over all elements,
# unbiased and biased, with and without keepdim.  Checked in f64 against
# central finite differences.
seed 3
input x: f32[N, 3]
input y: f32[N, 2]
param W: f32[3, 2] = normal(0, 0.5)
param b: f32[2] = uniform(-0.5, 0.5)
let z = tanh(x @ W + b) + y

let cost = std(z) + sum(std(z, dim = 0) * b) + mean(std(z, dim = 1, unbiased = false) * sum(y, dim = 1)) + sum(std(z * z, dim = -1, keepdim = true)) + std(W, unbiased = false)

train {
  loss = cost
  data = inline(x = [[0.5, -1.2, 0.3], [1.5, 0.2, -0.7], [-0.4, 0.9, 1.1], [0.1, -0.3, 0.8]],
                y = [[0.2, 0.9], [0.7, 0.1], [0.4, 0.6], [1.0, 0.0]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
