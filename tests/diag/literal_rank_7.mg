# A tensor literal with seven dimensions, one more than mgc takes.
input x: f32[N, 1]
param W: f32[1, 1] = [[[[[[[1]]]]]]]
let cost = mean(x @ W)
train {
  loss = cost
  data = inline(x = [[1]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
