# Indexing: each subscript ':' keeps a dim and an integer (negative from the
# end) removes it; the attribute prints the position counted from 0.  The
# gradient of x[:, -1] is index_grad, of x's shape, with the same subscript.
# MGC-ARGS: -O0
# CHECK: %[[H:[0-9]+]] = tanh {{.*}} : f32[N, 3, 4]  # h
# CHECK: %[[LAST:[0-9]+]] = index %[[H]] [:, 2, :] : f32[N, 4]  # last
# CHECK: index %[[H]] [:, 0, 1] : f32[N]
# CHECK: index %{{[0-9]+}} [1, :] : f32[4]
# CHECK: index_grad %{{[0-9]+}} [:, 0, 1] : f32[N, 3, 4]
# CHECK: index_grad %{{[0-9]+}} [:, 2, :] : f32[N, 3, 4]  # grad
input x: f32[N, 3, 2]
param P: f32[3, 4] = normal(0, 0.5)
layer fc = linear(2, 4)
let h = tanh(fc(x))
let last = h[:, -1]
let cost = mean(last) + mean(h[:, 0, 1]) + sum(P[-2])

train {
  loss = cost
  data = inline(x = [[[0.5, -1.2], [0.3, 1.5], [0.2, -0.7]]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
