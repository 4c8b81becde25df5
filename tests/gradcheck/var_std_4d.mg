# gradcheck: var and std of 4-D values (an image batch's shape, [N, C, H,
# W]) along each of their dims, counted from either end, and over all
# elements: of a param, and of a batch, across its rows (dim 0).  Checked in
# f64 against central finite differences.
seed 3
input x: f32[N, 2, 1, 2]
param P: f32[2, 3, 2, 2] = normal(0, 1)
param S: f32[2, 1, 2] = normal(0, 1)
let h = x * S

let cost = var(P) + std(P, unbiased = false) + sum(var(P, dim = 0)) + sum(std(P, dim = 1, keepdim = true)) + sum(var(P, dim = -2, unbiased = false)) + sum(std(P, dim = 3)) + sum(var(P * P, dim = -4, keepdim = true)) + sum(var(h, dim = 0)) + sum(std(h, dim = -1)) + std(h)

train {
  loss = cost
  data = inline(x = [[[[0.5, -1.2]], [[0.3, 1.5]]], [[[0.2, -0.7]], [[-0.4, 0.9]]], [[[1.1, 0.1]], [[-0.3, 0.8]]]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
