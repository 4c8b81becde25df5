# The poolings' gradient operators: max_pool2d_grad reads the pooling's
# input again (to find each window's first maximum), avg_pool2d_grad only
# dy.  The fuser swallows neither the poolings nor their gradients: the
# elementwise nodes around them fuse (tanh's gradient adds both), the
# poolings stay nodes of their own.
# CHECK: [[C:%[0-9]+]] = conv2d {{.*}} : f32[N, 3, 7, 7]
# CHECK: [[T:%[0-9]+]] = {{tanh|fused}} [[C]]{{.*}} : f32[N, 3, 7, 7]
# CHECK: [[M:%[0-9]+]] = max_pool2d [[T]] kernel=3x3 stride=2x2 padding=1x1 : f32[N, 3, 4, 4]
# CHECK: [[A:%[0-9]+]] = avg_pool2d [[T]] kernel=2x3 stride=2x3 padding=0x0 : f32[N, 3, 3, 2]
# CHECK-DAG: [[GM:%[0-9]+]] = max_pool2d_grad {{%[0-9]+}}, [[T]] kernel=3x3 stride=2x2 padding=1x1 : f32[N, 3, 7, 7]
# CHECK-DAG: [[GA:%[0-9]+]] = avg_pool2d_grad {{%[0-9]+}} kernel=2x3 stride=2x3 padding=0x0 : f32[N, 3, 7, 7]
# CHECK: = fused {{.*}}add([[GA]], [[GM]]){{.*}} : f32[N, 3, 7, 7]
input x: f32[N, 1, 8, 8]
layer c = conv2d(1, 3, 2)
let t = tanh(c(x))
let m = max_pool2d(t, 3, stride = 2, padding = 1)
let a = avg_pool2d(t, [2, 3])
let cost = mean(m * m) + mean(a)

train {
  loss = cost
  data = idx(x = "images.idx")
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
