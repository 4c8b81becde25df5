# A bias of one value per row ([N, 1] added to an [N, 2] product) is not
# one per column: no matmul_bias.
# MGC-ARGS: -O2
# CHECK: %[[P:[0-9]+]] = matmul %0, %3 : f32[N, 2]
# CHECK: add %[[P]], %1
# CHECK-NOT: matmul_bias
input x: f32[N, 2]
input r: f32[N, 1]
input y: f32[N, 2]
param W: f32[2, 2] = zeros
let z = x @ W + r
let cost = mean((z - y) ** 2)
output z

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3]], r = [[1], [2]], y = [[1, 0], [2, 1]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
