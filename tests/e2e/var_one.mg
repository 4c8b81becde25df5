# var and std of one element with unbiased = true (the default) are nan, as
# torch.var and torch.std give (n - 1 = 0); biased, they are 0.  One row of
# data, so the counts along the batch are 1 at run time.
# Reference: reference/var_one.py (PyTorch 1.13) -> reference/var_one.log.
seed 2

input x: f32[N, 2]
input y: f32[N, 1]

layer fc = linear(2, 1)

let z = fc(x)
let cost = mean((z - y) ** 2)
let var_one = var(z)
let std_one = sum(std(z, dim = 0))
let var_biased = var(z, unbiased = false)
let std_rows = sum(std(x, dim = 1))

train {
  loss = cost
  data = inline(x = [[0.5, -1.5]], y = [[2.0]])
  optimizer = sgd(lr = 0.1)
  epochs = 2
  log_every = 1
  metrics = [var_one, std_one, var_biased, std_rows]
}
