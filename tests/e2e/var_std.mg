# var and std against torch.var and torch.std: over all elements, along
# dims 0, 1 and -1, biased and unbiased, with and without keepdim, as
# metrics (their values) and in the loss (their gradients, through Adam's
# trajectory), full batch.
# Reference: reference/var_std.py (PyTorch 1.13) -> reference/var_std.log.
seed 5

input x: f32[N, 3]
input y: f32[N, 1]

layer fc = linear(3, 4)
param V: f32[4, 1] = uniform(-0.5, 0.5)

let h = tanh(fc(x))
let z = h @ V
let spread = mean(std(h, dim = 0)) + 0.5 * var(z, unbiased = false)
let cost = mean((z - y) ** 2) + 0.1 * spread + 0.05 * sum(var(h, dim = -1, keepdim = true))
let var_all = var(h)
let std_all = std(h, unbiased = false)
let var_rows = mean(var(h, dim = 1))
let std_cols = sum(std(h, dim = 0, unbiased = false, keepdim = true))

train {
  loss = cost
  data = inline(x = [[0.5, -1.2, 0.3], [1.5, 0.2, -0.7], [-0.4, 0.9, 1.1], [0.1, -0.3, 0.8],
                     [2.0, 1.0, -1.5], [-1.1, 0.4, 0.6], [0.7, -0.8, -0.2]],
                y = [[1.0], [0.5], [-0.5], [0.2], [1.5], [-1.0], [0.3]])
  optimizer = adam(lr = 0.05)
  epochs = 60
  log_every = 10
  metrics = [var_all, std_all, var_rows, std_cols]
}
