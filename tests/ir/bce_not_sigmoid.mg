# Without a sigmoid in front, binary_cross_entropy stays as written.
# MGC-ARGS: -O1
# CHECK: binary_cross_entropy
# CHECK-NOT: bce_with_logits
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = [[0.5], [-0.25]]
param b: f32[1] = zeros
let z = x @ W + b
let p = exp(-relu(z))
let cost = binary_cross_entropy(p, y)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [[0], [1], [1]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
