# --dtype=f64: the fused call is float only, so the loss is not fused with
# its product (the bias still is: mgrt_matmul_*_bias_f64).
# MGC-ARGS: -O2 --dtype=f64
# CHECK: %[[Z:[0-9]+]] = matmul_bias %0, %2, %3
# CHECK: %[[L:[0-9]+]] = softmax_cross_entropy %[[Z]], %1 : f32[]  # cost
# CHECK: loss_softmax %[[L]]
# CHECK-NOT: matmul_softmax_cross_entropy
input x: f32[N, 2]
input y: i64[N]
param W: f32[2, 3] = zeros
param b: f32[3] = zeros
let z = x @ W + b
let cost = cross_entropy(z, y)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [0, 2, 1])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
