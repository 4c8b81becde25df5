# A convolution's gradient operators after autodiff: the input gradient of
# the second layer (its input is the first's activation), both weight
# gradients, and the bias gradient of the first (the second has no bias).
# The first layer's input is data: no input gradient for it.  Each keeps
# its layer's window.
# CHECK: [[X:%[0-9]+]] = input x : f32[N, 2, 9, 8]
# CHECK: [[W1:%[0-9]+]] = param c1.weight : f32[4, 2, 3, 3]
# CHECK: [[B1:%[0-9]+]] = param c1.bias : f32[4]
# CHECK: [[W2:%[0-9]+]] = param c2.weight : f32[3, 4, 3, 2]
# CHECK: [[C1:%[0-9]+]] = conv2d [[X]], [[W1]], [[B1]] kernel=3x3 stride=1x1 padding=1x1 : f32[N, 4, 9, 8]
# CHECK: [[R:%[0-9]+]] = relu [[C1]] : f32[N, 4, 9, 8]
# CHECK: = conv2d [[R]], [[W2]] kernel=3x2 stride=2x2 padding=1x0 : f32[N, 3, 5, 4]  # h
# CHECK: [[GH:%[0-9]+]] = reshape {{%[0-9]+}} : f32[N, 3, 5, 4]  # grad_h
# CHECK: [[GR:%[0-9]+]] = conv2d_grad_input [[GH]], [[W2]] kernel=3x2 stride=2x2 padding=1x0 : f32[N, 4, 9, 8]
# CHECK: = conv2d_grad_weight [[GH]], [[R]] kernel=3x2 stride=2x2 padding=1x0 : f32[3, 4, 3, 2]  # grad_c2.weight
# CHECK: [[G1:%[0-9]+]] = fused [[R]], [[GR]] {where(gt([[R]], 0), [[GR]], 0)} : f32[N, 4, 9, 8]
# CHECK-NOT: conv2d_grad_input
# CHECK: = conv2d_grad_weight [[G1]], [[X]] kernel=3x3 stride=1x1 padding=1x1 : f32[4, 2, 3, 3]  # grad_c1.weight
# CHECK: = conv2d_grad_bias [[G1]] : f32[4]  # grad_c1.bias
# CHECK-NOT: conv2d_grad_bias
input x: f32[N, 2, 9, 8]
input y: i64[N]
layer c1 = conv2d(2, 4, 3, padding = 1)
layer c2 = conv2d(4, 3, [3, 2], stride = 2, padding = [1, 0], bias = false)
layer fc = linear(60, 2)
let h = c2(relu(c1(x)))
let z = fc(flatten(h))
let cost = cross_entropy(z, y)

train {
  loss = cost
  data = idx(x = "images.idx", y = "labels.idx")
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
