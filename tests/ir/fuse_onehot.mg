# -O2: the cross-entropy gradient (softmax - onehot(y)) / N is one loop that
# compares each label with the column index: no onehot array of its own.
# CHECK: softmax_cross_entropy %[[Z:[0-9]+]], %1 : f32[]  # cost
# CHECK: fused {{.*}}{div(sub(%{{[0-9]+}}, onehot(%1)), %{{[0-9]+}})} : f32[N, 3]  # grad_z
# CHECK-NOT: = onehot
input x: f32[N, 2]
input y: i64[N]
param W: f32[2, 3] = [[0.5, -0.25, 0.1], [0.2, 0.3, -0.4]]
let z = x @ W
let cost = cross_entropy(z, y)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [0, 2, 1])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
