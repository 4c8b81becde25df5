# -O2: the training step's cross_entropy over the logits' product becomes
# matmul_softmax_cross_entropy(x, W, b, y), which also writes the logits'
# gradient (loss_logits_grad); evaluation keeps softmax_cross_entropy over
# z = matmul_bias(x, W, b), as the model's eval_loss.
# MGC-ARGS: -O2
# CHECK: %[[Z:[0-9]+]] = matmul_bias %0, %2, %3 : f32[N, 3]  # z
# CHECK: %[[E:[0-9]+]] = softmax_cross_entropy %[[Z]], %1 : f32[]  # cost_eval
# CHECK: %[[L:[0-9]+]] = matmul_softmax_cross_entropy %0, %2, %3, %1 : f32[]  # cost
# CHECK: %[[G:[0-9]+]] = loss_logits_grad %[[L]], %{{[0-9]+}} : f32[N, 3]  # grad_z, grad
# CHECK-NOT: onehot
# CHECK-NOT: loss_softmax
# CHECK: loss %[[L]]
# CHECK: eval_loss %[[E]]
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
