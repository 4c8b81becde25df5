# The product is read twice (by the bias's addition and as an output): it
# needs its own array, so no matmul_bias.
# MGC-ARGS: -O2
# CHECK: %[[P:[0-9]+]] = matmul %0, %2 : f32[N, 1]  # p
# CHECK: add %[[P]], %3
# CHECK-NOT: matmul_bias
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = zeros
param b: f32[1] = zeros
let p = x @ W
let z = p + b
let cost = mean((z - y) ** 2)
output p
output z

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3]], y = [[1], [2]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
