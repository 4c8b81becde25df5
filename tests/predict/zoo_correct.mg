# An output that depends on the labels: --predict then needs the label
# column too (cols(-1) of a training row).  Run with --data-dir examples.
seed 1

input x: f32[N, 16]
input y: i64[N]

param W: f32[16, 7] = zeros
param b: f32[7] = zeros

let z = x @ W + b
let cost = cross_entropy(z, y)
let correct = argmax(z, dim = 1) == y
output correct

train {
  loss = cost
  data = csv("data/zoo.csv", x = cols(0:-1), y = cols(-1))
  optimizer = sgd(lr = 0.1)
  epochs = 100
}
