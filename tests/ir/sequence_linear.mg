# linear on a sequence [N, T, IN] is one product over the N*T rows of every
# step (a reshape of the same array, printed N*3), reshaped back to
# [N, T, OUT]; cross_entropy over [N, T, C] is the loss of those rows.  At
# -O2 the reshapes back and forth cancel (simplify) and the product, its
# bias and the loss fuse into one call over N*3 rows.
# CHECK: %[[ROWS:[0-9]+]] = reshape %0 : f32[N*3, 2]
# CHECK: reshape %1 : i64[N*3]
# CHECK: matmul_softmax_cross_entropy %[[ROWS]], %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}} : f32[]  # cost
# CHECK: transpose %{{[0-9]+}} : f32[4, N*3]
# CHECK: loss
input x: f32[N, 3, 2]
input y: i64[N, 3]
layer fc = linear(2, 4)
let z = fc(x)
let cost = cross_entropy(z, y)

train {
  loss = cost
  data = inline(x = [[[1, 2], [3, 4], [5, 6]]], y = [[1, 0, 3]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
