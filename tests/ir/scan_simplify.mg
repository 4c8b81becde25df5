# The passes work inside a loop's body: at -O1 simplify rewrites the reverse
# loop's cell as it would the graph.  The cell's gradient reads W_hh^T
# transposed back, which is W_hh itself (dh_prev = d pre @ W_hh), and the
# weight gradient (h_{t-1}^T @ d pre)^T is d pre^T @ h_{t-1}; what the step
# no longer reads (the transposes, b_hh's leaf) leaves the body.
# MGC-ARGS: -O1
# CHECK: scan_back {{.*}} t=5..0 carry 1 lag=3
# CHECK-NEXT: |  %[[W:[0-9]+]] = arg : f32[4, 4]  # r.weight_hh_l0
# CHECK-NEXT: |  %[[HP:[0-9]+]] = arg : f32[N, 4]  # h_prev
# CHECK-NOT: transpose %[[W]]
# CHECK: |  %[[DHP:[0-9]+]] = matmul %[[D:[0-9]+]], %[[W]] : f32[N, 4]  # dh_prev, grad
# CHECK-NEXT: |  %[[DT:[0-9]+]] = transpose %[[D]] : f32[4, N]
# CHECK-NEXT: |  %[[GW:[0-9]+]] = matmul %[[DT]], %[[HP]] : f32[4, 4]
# CHECK-NEXT: | stack %[[D]]
# CHECK-NEXT: | carry 0 %[[DHP]]
# CHECK-NEXT: | sum 1 %[[GW]]
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
