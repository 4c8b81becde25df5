# cross_entropy with f32 labels.
seed 1
input x: f32[N, 4]
input y: f32[N, 3]
layer fc = linear(4, 3)
let z = fc(x)
let cost = cross_entropy(z, y)
let accuracy = mean(z)
output z
train {
  loss = cost
  data = inline(x = [[1, 2, 1, 1], [2, 1, 3, 2], [3, 1, 3, 4], [4, 1, 5, 5],
                     [1, 7, 5, 5], [1, 2, 5, 6], [1, 6, 6, 6], [1, 7, 7, 7]],
                y = [[0, 0, 1], [0, 0, 1], [0, 0, 1], [0, 1, 0], [0, 1, 0], [0, 1, 0], [1, 0, 0], [1, 0, 0]])
  optimizer = sgd(lr = 0.1)
  epochs = 100
  metrics = [accuracy]
}
