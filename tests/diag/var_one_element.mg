# var and std with unbiased = true (the default) of a dimension of one
# element: n - 1 is 0, so the result is nan, as in PyTorch, which warns at
# run time; mgc warns when it knows the count, here dim 1 of [N, 1].
seed 1
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = zeros
let h = x @ W
let spread = mean(std(h, dim = 1))
let cost = mse_loss(h, y)
train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3]], y = [[0], [1]])
  optimizer = sgd(lr = 1)
  epochs = 10
  metrics = [spread]
}
