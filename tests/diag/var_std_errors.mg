# var and std called wrongly: a dim out of range, an argument they do not
# take, unbiased that is not true or false, keepdim without dim, and class
# labels (i64) as x.  Each is reported at the argument at fault.
seed 1
input x: f32[N, 3]
input labels: i64[N]
param W: f32[3, 1] = zeros
let h = x @ W
let a = var(h, dim = 2)
let b = std(h, dims = 0)
let c = var(h, dim = 0, unbiased = 1)
let d = std(h, keepdim = true)
let e = var(labels)
let f = std(x, dim = -3)
let cost = mean(h) + a + b + c + d + e + f
train {
  loss = cost
  data = inline(x = [[1, 2, 3], [2, 3, 4]], labels = [0, 1])
  optimizer = sgd(lr = 1)
  epochs = 1
}
