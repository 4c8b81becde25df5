# A sequence [N, T, F] where a matrix is needed: '@' and .T are 2-D (a
# linear layer acts on a sequence's last dim; x[:, t] picks one step).
seed 1
input x: f32[N, 3, 2]
input y: i64[N, 3]
input w: f32[N, 2]
param W: f32[2, 4] = zeros
layer fc = linear(2, 4)
layer wide = linear(5, 4)
let a = x @ W
let b = x.T
let c = transpose(x)
let cost = mean(a) + mean(b) + mean(c)

train {
  loss = cost
  data = inline(x = [[[1, 2], [3, 4], [5, 6]]], y = [[1, 0, 3]], w = [[1, 2]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
