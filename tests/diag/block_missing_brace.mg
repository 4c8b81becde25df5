# A train block whose '}' is missing: the block ends where the next
# statement starts, so the eval block is checked as a block of its own (no
# "given twice" for its data) and the let after it is checked too.
seed 1
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = zeros
let cost = mse_loss(x @ W, y)
train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3]], y = [[0], [1]])
  optimizer = sgd(lr = 0.1)
  epochs = 3
eval {
  data = inline(x = [[1, 2]], y = [[1]])
  metrics = [cots]
}
let z = foo(x)
