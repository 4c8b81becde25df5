# XOR with a multilayer perceptron (lab 8-2).
# Deep Learning for Everyone, PyTorch lab 8-2 "Multi Layer Perceptron": one
# linear layer cannot separate XOR; two can. nn.Sequential(linear1, sigmoid,
# linear2, sigmoid) with BCELoss and SGD lr 1. Shows two layers, their
# seeded initialization in declaration order, and a long full-batch run.
seed 777

input x: f32[N, 2]
input y: f32[N, 1]

layer l1 = linear(2, 2)
layer l2 = linear(2, 1)

let hypothesis = sigmoid(l2(sigmoid(l1(x))))
let cost = binary_cross_entropy(hypothesis, y)
let accuracy = mean((hypothesis >= 0.5) == y)
output hypothesis

train {
  loss = cost
  data = inline(x = [[0, 0], [0, 1], [1, 0], [1, 1]],
                y = [[0], [1], [1], [0]])
  optimizer = sgd(lr = 1)
  epochs = 10000
  log_every = 1000
  metrics = [accuracy]
}
