# x * 1 is kept when the 1 broadcasts x to a larger shape.
# MGC-ARGS: -O1
# CHECK: literal : f32[1, 2]
# CHECK: mul %{{[0-9]+}}, %{{[0-9]+}} : f32[N, 2]
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = [[0.5], [-0.25]]
param b: f32[1] = zeros
let z = x @ W + b
let cost = mean(z * [[1, 1]])

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [[0], [1], [1]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
