# Backpropagation through time is a loop too: autodiff turns each scan into
# a scan_back that runs t = T-1 .. 0 (here two stacked relu layers without
# bias, the second first).  Its body is the cell's chain rule from
# dh_t = dy_t + dh_next, reading h_t and h_{t-1} (lag) from the stored
# states; it stacks d xp_t, carries dh_prev = d pre @ W_hh back to step t-1,
# and sums W_hh's gradient over the steps (scan_sum).  The input projection's
# gradient is one product after the loop, as its forward was one before it.
# MGC-ARGS: -O0
# CHECK: %[[W0:[0-9]+]] = param r.weight_hh_l0 : f32[3, 3]
# CHECK: %[[W1:[0-9]+]] = param r.weight_hh_l1 : f32[3, 3]
# CHECK: %[[XP0:[0-9]+]] = reshape %{{[0-9]+}} : f32[N, 4, 3]
# CHECK: %[[H0:[0-9]+]] = scan %[[XP0]], %[[W0]] t=0..3 carry 1 {h_t = relu((h_{t-1} @ W_hh^T) + xp_t)} : f32[N, 4, 3]
# CHECK: |  %{{[0-9]+}} = relu %{{[0-9]+}} : f32[N, 3]  # h_t
# CHECK: %[[XP1:[0-9]+]] = reshape %{{[0-9]+}} : f32[N, 4, 3]
# CHECK: %[[H1:[0-9]+]] = scan %[[XP1]], %[[W1]] t=0..3 carry 1 {{.*}} : f32[N, 4, 3]  # h
# CHECK: %[[B1:[0-9]+]] = scan_back %{{[0-9]+}}, %[[XP1]], %[[H1]], %[[H1]], %[[W1]] t=3..0 carry 1 lag=3 {the chain rule of {{.*}}} : f32[N, 4, 3]  # grad
# CHECK-NEXT: |  %[[BW:[0-9]+]] = arg : f32[3, 3]  # r.weight_hh_l1
# CHECK-NEXT: |  %[[BHP:[0-9]+]] = arg : f32[N, 3]  # h_prev
# CHECK: |  %[[BH:[0-9]+]] = arg : f32[N, 3]  # h_t
# CHECK: |  %[[DY:[0-9]+]] = arg : f32[N, 3]  # dy_t
# CHECK-NEXT: |  %[[DN:[0-9]+]] = arg : f32[N, 3]  # dh_next
# CHECK-NEXT: |  %[[DH:[0-9]+]] = add %[[DY]], %[[DN]] : f32[N, 3]  # dh_t, grad
# CHECK: |  %{{[0-9]+}} = gt %[[BH]], %{{[0-9]+}} : f32[N, 3]
# CHECK: |  %[[DPRE:[0-9]+]] = where %{{[0-9]+}}, %[[DH]], %{{[0-9]+}} : f32[N, 3]
# CHECK: |  %[[DHP:[0-9]+]] = matmul %[[DPRE]], %{{[0-9]+}} : f32[N, 3]  # dh_prev, grad
# CHECK: |  %{{[0-9]+}} = transpose %[[BHP]] : f32[3, N]
# CHECK: | stack %[[DPRE]]
# CHECK-NEXT: | carry 0 %[[DHP]]
# CHECK-NEXT: | sum 1 %{{[0-9]+}}
# CHECK: %{{[0-9]+}} = scan_sum %[[B1]] operand=1 : f32[3, 3]  # grad_r.weight_hh_l1, grad
# CHECK: %[[B0:[0-9]+]] = scan_back %{{[0-9]+}}, %[[XP0]], %[[H0]], %[[H0]], %[[W0]] t=3..0 {{.*}} : f32[N, 4, 3]  # grad
# CHECK: %{{[0-9]+}} = scan_sum %[[B0]] operand=1 : f32[3, 3]  # grad_r.weight_hh_l0, grad
# CHECK: grad r.weight_ih_l0 %
# CHECK: grad r.weight_hh_l1 %
input x: f32[N, 4, 2]
layer r = rnn(2, 3, layers = 2, nonlinearity = "relu", bias = false)
let h = r(x)
let cost = mean(h ** 2)

train {
  loss = cost
  data = inline(x = [[[0.5, -1.2], [0.3, 1.5], [0.2, -0.7], [0.1, 0.2]]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
