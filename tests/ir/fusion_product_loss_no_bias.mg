# Without a bias the fused loss has three operands: x, W and the labels.
# MGC-ARGS: -O2
# CHECK: %[[L:[0-9]+]] = matmul_softmax_cross_entropy %0, %2, %1 : f32[]  # cost
# CHECK: loss_logits_grad %[[L]]
input x: f32[N, 2]
input y: i64[N]
param W: f32[2, 3] = zeros
let z = x @ W
let cost = cross_entropy(z, y)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [0, 2, 1])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
