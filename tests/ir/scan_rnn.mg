# Recurrence is a loop: rnn(5, 4) on a sequence [N, 6, 5] is the input
# projection of every step as one product [N*6, 5] @ W_ih^T + b_ih before
# the loop, then one scan node over t = 0..5 whose body is the cell
# (h_{t-1} @ W_hh^T + b_hh) + xp_t, tanh'd, carried and stacked.  One scan,
# not six copies of the cell, whatever T is.
# MGC-ARGS: -O0
# CHECK: %[[WIH:[0-9]+]] = param r.weight_ih_l0 : f32[4, 5]
# CHECK: %[[WHH:[0-9]+]] = param r.weight_hh_l0 : f32[4, 4]
# CHECK: %[[BIH:[0-9]+]] = param r.bias_ih_l0 : f32[4]
# CHECK: %[[BHH:[0-9]+]] = param r.bias_hh_l0 : f32[4]
# CHECK: %[[ROWS:[0-9]+]] = reshape %{{[0-9]+}} : f32[N*6, 5]
# CHECK: %[[WT:[0-9]+]] = transpose %[[WIH]] : f32[5, 4]
# CHECK: %[[P:[0-9]+]] = matmul %[[ROWS]], %[[WT]] : f32[N*6, 4]
# CHECK: %[[PB:[0-9]+]] = add %[[P]], %[[BIH]] : f32[N*6, 4]
# CHECK: %[[XP:[0-9]+]] = reshape %[[PB]] : f32[N, 6, 4]
# CHECK: %[[H:[0-9]+]] = scan %[[XP]], %[[WHH]], %[[BHH]] t=0..5 carry 1 {h_t = tanh((h_{t-1} @ W_hh^T + b_hh) + xp_t)} : f32[N, 6, 4]  # h
# CHECK-NEXT: |  %[[ARGX:[0-9]+]] = arg : f32[N, 4]  # xp_t
# CHECK-NEXT: |  %[[ARGW:[0-9]+]] = arg : f32[4, 4]  # r.weight_hh_l0
# CHECK-NEXT: |  %[[ARGB:[0-9]+]] = arg : f32[4]  # r.bias_hh_l0
# CHECK-NEXT: |  %[[ARGH:[0-9]+]] = arg : f32[N, 4]  # h_prev
# CHECK-NEXT: |  %[[T:[0-9]+]] = transpose %[[ARGW]] : f32[4, 4]
# CHECK-NEXT: |  %[[MM:[0-9]+]] = matmul %[[ARGH]], %[[T]] : f32[N, 4]
# CHECK-NEXT: |  %[[A1:[0-9]+]] = add %[[MM]], %[[ARGB]] : f32[N, 4]
# CHECK-NEXT: |  %[[A2:[0-9]+]] = add %[[A1]], %[[ARGX]] : f32[N, 4]
# CHECK-NEXT: |  %[[HT:[0-9]+]] = tanh %[[A2]] : f32[N, 4]  # h_t
# CHECK-NEXT: | stack %[[HT]]
# CHECK-NEXT: | carry 0 %[[HT]]
# CHECK-NOT: scan
# CHECK: index %[[H]] [:, 5, :] : f32[N, 4]
input x: f32[N, 6, 5]
input y: f32[N, 4]
layer r = rnn(5, 4)
let h = r(x)
let cost = mean((h[:, -1] - y) ** 2)

train {
  loss = cost
  data = inline(x = [[[0.5, -1.2, 0.3, 1.5, 0.2], [0.3, 1.5, 0.2, -0.7, 0.1], [0.2, -0.7, 0.5, 0.1, 0.0],
                      [0.1, 0.2, 0.3, 0.4, 0.5], [0.5, 0.4, 0.3, 0.2, 0.1], [0.0, 0.1, 0.0, 0.1, 0.0]]],
                y = [[0.1, 0.2, 0.3, 0.4]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
