# -O1: no fusions: the product and the addition stay apart.
# MGC-ARGS: -O1
# CHECK: %[[P:[0-9]+]] = matmul %0, %2 : f32[N, 1]
# CHECK: add %[[P]], %3 : f32[N, 1]
# CHECK-NOT: matmul_bias
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = zeros
param b: f32[1] = zeros
let z = x @ W + b
let cost = mean((z - y) ** 2)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3]], y = [[1], [2]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
