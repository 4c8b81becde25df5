# Softmax classification of animals with a layer (lab 6-2).
# Deep Learning for Everyone, PyTorch lab 6-2, "High-level Implementation with
# nn.Module": SoftmaxClassifierModel, self.linear = nn.Linear(16, 7), on zoo.csv.
# (In the lesson a demo torch.rand and torch.randint run between the seed and
# the model; here the layer is the first draw, so the numbers differ.)
# Run from this directory (or pass --data-dir examples).
seed 1

input x: f32[N, 16]
input y: i64[N]

layer linear = linear(16, 7)

let z = linear(x)
let cost = cross_entropy(z, y)
output z

train {
  loss = cost
  data = csv("data/zoo.csv", x = cols(0:-1), y = cols(-1))
  optimizer = sgd(lr = 0.1)
  epochs = 1000
  log_every = 100
}
