# Two linear layers on a sequence with an activation between them: the
# first layer's [N*3, 4] is reshaped to [N, 3, 4] for tanh, and the second
# reshapes it back.  simplify moves the reshape past the elementwise tanh
# (same elements, same order), where it cancels with the second: tanh and
# the bias run on the product's [N*3, 4] rows and the second product reads
# them directly.  (tanh's gradient still reads the [N, 3, 4] copy: the
# rewrite declines a reshape with other users.)
# CHECK-NOT: tanh{{.*}} : f32[N, 3, 4]
# CHECK: %[[H:[0-9]+]] = matmul %{{[0-9]+}}, %{{[0-9]+}} : f32[N*3, 4]
# CHECK-NEXT: %[[T:[0-9]+]] = fused %[[H]], %{{[0-9]+}} {tanh(add(%[[H]], %{{[0-9]+}}))} : f32[N*3, 4]
# CHECK: matmul_bias %[[T]], %{{[0-9]+}}, %{{[0-9]+}} : f32[N*3, 2]
# CHECK-NOT: tanh{{.*}} : f32[N, 3, 4]
input x: f32[N, 3, 2]
input t: f32[N, 3, 2]
layer fc1 = linear(2, 4)
layer fc2 = linear(4, 2)
let z = fc2(tanh(fc1(x)))
let cost = mean(z * t)
output z

train {
  loss = cost
  data = inline(x = [[[1, 2], [3, 4], [5, 6]]], t = [[[1, 0], [0, 1], [1, 1]]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
