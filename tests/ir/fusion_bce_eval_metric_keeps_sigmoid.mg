# A metric of both train and eval reads the sigmoid: evaluation does not
# run the step's loss kernel, so the metric keeps sigmoid(z); only the
# gradient reads the byproduct.
# MGC-ARGS: -O2
# CHECK: %[[H:[0-9]+]] = sigmoid %{{[0-9]+}} : f32[N, 1]  # hypothesis
# CHECK: %[[L:[0-9]+]] = bce_with_logits
# CHECK: fused %[[H]], %1 {{.*}}  # accuracy
# CHECK: %[[S:[0-9]+]] = loss_sigmoid %[[L]]
# CHECK: fused %[[S]], %1, %{{[0-9]+}} {div(sub(%[[S]], %1), %{{[0-9]+}})} : f32[N, 1]  # grad
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = zeros
param b: f32[1] = zeros
let hypothesis = sigmoid(x @ W + b)
let cost = binary_cross_entropy(hypothesis, y)
let accuracy = mean((hypothesis >= 0.5) == y)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [[0], [1], [1]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
  metrics = [accuracy]
}

eval {
  data = inline(x = [[1, 2], [2, 3]], y = [[0], [1]])
  metrics = [accuracy]
}
