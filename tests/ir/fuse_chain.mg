# At -O2 a chain of elementwise operators is one fused node (one loop).
# CHECK: fused {{.*}} {mean(mul(add(mul(add({{.*}}), 2), 1), %1))} : f32[]  # cost
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = [[0.5], [-0.25]]
param b: f32[1] = zeros
let z = x @ W + b
let cost = mean((z * 2 + 1) * y)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [[0], [1], [1]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
