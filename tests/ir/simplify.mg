# x * 1, x + 0, --x and 1 - (1 - x) disappear.
# MGC-ARGS: -O1
# CHECK: add
# CHECK-NOT: const 0 
# CHECK-NOT: neg
# CHECK: mul %{{[0-9]+}}, %1
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = [[0.5], [-0.25]]
param b: f32[1] = zeros
let z = x @ W + b
let cost = mean(-(-(1 - (1 - (z * 1 + 0)))) * y)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [[0], [1], [1]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
