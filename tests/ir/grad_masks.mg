# The masks that relu's, leaky_relu's and softplus's gradient rules build
# (x > 0, x > 20) are part of the backward pass and print as such.
# MGC-ARGS: -O1
# CHECK-NOT: = gt {{.*}}]{{$}}
# CHECK: [[Z:%[0-9]+]] = add {{.*}}# z
# CHECK-NOT: = gt {{.*}}]{{$}}
# CHECK: [[R:%[0-9]+]] = relu [[Z]]
# CHECK-NOT: = gt {{.*}}]{{$}}
# CHECK: = gt [[Z]], {{%[0-9]+}} : f32[N, 2]  # grad
# CHECK-NOT: = gt {{.*}}]{{$}}
# CHECK: = gt [[Z]], {{%[0-9]+}} : f32[N, 2]  # grad
# CHECK-NOT: = gt {{.*}}]{{$}}
# CHECK: = gt [[R]], {{%[0-9]+}} : f32[N, 2]  # grad
# CHECK-NOT: = gt {{.*}}]{{$}}
input x: f32[N, 3]
input y: f32[N, 2]
param W: f32[3, 2] = normal(0, 0.5)
param b: f32[2] = zeros
let z = x @ W + b
let cost = mean(relu(z) * y) + mean(leaky_relu(z) * y) + mean(softplus(z) * y)

train {
  loss = cost
  data = inline(x = [[1, 2, 3], [2, 3, 1]], y = [[0, 1], [1, 0]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
