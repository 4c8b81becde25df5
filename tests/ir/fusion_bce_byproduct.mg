# bce_with_logits writes sigmoid(z) for the step (loss_sigmoid): the
# gradient reads it, and so does the train metric; the output, which
# prediction computes without the loss, keeps its own sigmoid.
# MGC-ARGS: -O2
# CHECK: %[[Z:[0-9]+]] = matmul_bias %0, %2, %3 : f32[N, 1]
# CHECK: sigmoid %[[Z]] : f32[N, 1]  # hypothesis
# CHECK: %[[L:[0-9]+]] = bce_with_logits %[[Z]], %1 : f32[]  # cost
# CHECK: %[[S:[0-9]+]] = loss_sigmoid %[[L]] : f32[N, 1]  # hypothesis
# CHECK: fused %[[S]], %1 {mean(eq(ge(%[[S]], 0.5), %1))} : f32[]  # accuracy
# CHECK: fused %[[S]], %1, %{{[0-9]+}} {div(sub(%[[S]], %1), %{{[0-9]+}})} : f32[N, 1]  # grad
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = zeros
param b: f32[1] = zeros
let hypothesis = sigmoid(x @ W + b)
let cost = binary_cross_entropy(hypothesis, y)
let accuracy = mean((hypothesis >= 0.5) == y)
output hypothesis

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [[0], [1], [1]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
  metrics = [accuracy]
}
