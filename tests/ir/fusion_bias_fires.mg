# -O2: a product that only the addition of a bias reads becomes matmul_bias
# (z is an output, so the addition is not fused into the loss's loop).
# MGC-ARGS: -O2
# CHECK: matmul_bias %0, %2, %3 : f32[N, 1]  # z
# CHECK-NOT: = matmul %0
# CHECK-NOT: = add
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = zeros
param b: f32[1] = zeros
let z = x @ W + b
let cost = mean((z - y) ** 2)
output z

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3]], y = [[1], [2]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
