# Two params whose gradients are one computation (a and b enter the loss
# only as a + b: hash-consing makes their gradients one node), a param the
# loss does not reach (c: never updated, not even by weight decay, as
# torch.optim skips a param whose .grad is None), and SGD with momentum,
# weight decay and Nesterov over all of them in the generated program's one
# pass over contiguous memory (b's place gets a copy of a's gradient).
# Reference: reference/shared_gradient.py (PyTorch 1.13) -> reference/shared_gradient.log.
seed 1

input x: f32[N, 1]
input y: f32[N, 1]

param a: f32[1] = [0.5]
param c: f32[3] = normal(0, 1)
param b: f32[1] = [0.25]
param W: f32[1, 5] = normal(0, 1)

let z = x * (a + b)
let cost = mean((z - y) ** 2) + mean((x @ W) ** 2)
let c_sum = sum(c)

train {
  loss = cost
  data = inline(x = [[1], [2], [3]], y = [[2], [4], [6.5]])
  optimizer = sgd(lr = 0.05, momentum = 0.9, weight_decay = 0.01, nesterov = true)
  epochs = 20
  log_every = 5
  metrics = [c_sum]
}
