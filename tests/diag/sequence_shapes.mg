# Sequences given to what does not fit them: a layer of the wrong feature
# size, cross_entropy with labels of another shape.
seed 1
input x: f32[N, 3, 2]
input y: i64[N, 3]
input w: f32[N, 2]
param W: f32[2, 4] = zeros
layer fc = linear(2, 4)
layer wide = linear(5, 4)
let a = wide(x)
let b = cross_entropy(fc(x), y[:, 0])
let c = cross_entropy(fc(w), y)
let cost = mean(a) + b + c

train {
  loss = cost
  data = inline(x = [[[1, 2], [3, 4], [5, 6]]], y = [[1, 0, 3]], w = [[1, 2]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
