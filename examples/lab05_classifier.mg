# Logistic regression as a layer (lab 5).
# Deep Learning for Everyone, PyTorch lab 5, "Higher Implementation with
# Class": the BinaryClassifier module, self.linear = nn.Linear(8, 1) followed by
# a sigmoid, on the diabetes data. Shows a layer with PyTorch's default random
# initialization drawn from `seed`, and a layer named like its kind.
# Run from this directory (or pass --data-dir examples).
seed 1

input x: f32[N, 8]
input y: f32[N, 1]

layer linear = linear(8, 1)

let hypothesis = sigmoid(linear(x))
let cost = binary_cross_entropy(hypothesis, y)
let accuracy = mean((hypothesis >= 0.5) == y)
output hypothesis

train {
  loss = cost
  data = csv("data/diabetes.csv", x = cols(0:-1), y = cols(-1))
  optimizer = sgd(lr = 1)
  epochs = 100
  log_every = 10
  metrics = [accuracy]
}
