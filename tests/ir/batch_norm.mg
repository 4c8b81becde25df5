# Batch norm in the IR: its buffers are leaves of their own (an i64 count
# among them), the call is one batch_norm node over x, the weight, the bias
# and the three buffers, with eps and momentum; autodiff reads the batch's
# statistics as byproducts of that node and builds the three gradient
# operators; no fusion swallows it.
# CHECK: %[[RM:[0-9]+]] = buffer bn.running_mean : f32[3]
# CHECK: %[[RV:[0-9]+]] = buffer bn.running_var : f32[3]
# CHECK: %[[NB:[0-9]+]] = buffer bn.num_batches_tracked : i64[]
# CHECK: %[[BN:[0-9]+]] = batch_norm %[[X:[0-9]+]], %[[W:[0-9]+]], %[[B:[0-9]+]], %[[RM]], %[[RV]], %[[NB]] eps=0.001 momentum=0.25 : f32[N, 3]
# CHECK: %[[M:[0-9]+]] = batch_norm_mean %[[BN]] : f32[3]
# CHECK: %[[I:[0-9]+]] = batch_norm_invstd %[[BN]] : f32[3]
# CHECK: batch_norm_grad_input %[[G:[0-9]+]], %[[X]], %[[W]], %[[M]], %[[I]] : f32[N, 3]
# CHECK: %[[GW:[0-9]+]] = batch_norm_grad_weight %[[G]], %[[X]], %[[M]], %[[I]] : f32[3]
# CHECK: %[[GB:[0-9]+]] = batch_norm_grad_bias %[[G]], %[[X]], %[[M]], %[[I]] : f32[3]
# CHECK: grad bn.weight %[[GW]]
# CHECK: grad bn.bias %[[GB]]
input x: f32[N, 2]
input y: f32[N, 3]
param W: f32[2, 3] = [[0.5, -0.25, 1], [0.75, 0.5, -1]]
layer bn = batch_norm1d(3, eps = 1e-3, momentum = 0.25)
let cost = mean((bn(x @ W) - y) ** 2)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [[0, 1, 0], [1, 0, 1], [1, 1, 0]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
