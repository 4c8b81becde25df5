# eval { every = K }: K is a whole number of epochs, at least 1.
input x: f32[N, 1]
input y: f32[N, 1]
param W: f32[1, 1] = zeros
let cost = mean((x @ W - y) ** 2)
train {
  loss = cost
  data = inline(x = [[1], [2]], y = [[2], [4]])
  optimizer = sgd(lr = 0.1)
  epochs = 4
}
eval {
  data = inline(x = [[3]], y = [[6]])
  every = 0
}
