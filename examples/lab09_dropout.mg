# A deeper ReLU network with dropout on Fashion-MNIST (lab 9).
# Deep Learning for Everyone, PyTorch lab 9-5 (mnist_nn_dropout): 784-512-512-
# 512-512-10 with ReLU and dropout p = 0.3 after each hidden layer, each weight
# re-initialized with torch.nn.init.xavier_uniform_, CrossEntropyLoss, Adam lr
# 0.001, DataLoader(batch_size = 100, shuffle = True, drop_last = True), 15
# epochs, then the test accuracy in evaluation mode (no dropout).  The lesson
# uses MNIST; this uses Fashion-MNIST in the same IDX format.  The dropout
# masks are drawn every step from the one random stream, in program order, as
# F.dropout's bernoulli_ draws them.
seed 777

input x: f32[N, 784]
input y: i64[N]

layer linear1 = linear(784, 512)
layer linear2 = linear(512, 512)
layer linear3 = linear(512, 512)
layer linear4 = linear(512, 512)
layer linear5 = linear(512, 10)

init linear1.weight = xavier_uniform
init linear2.weight = xavier_uniform
init linear3.weight = xavier_uniform
init linear4.weight = xavier_uniform
init linear5.weight = xavier_uniform

let h1 = dropout(relu(linear1(x)), 0.3)
let h2 = dropout(relu(linear2(h1)), 0.3)
let h3 = dropout(relu(linear3(h2)), 0.3)
let h4 = dropout(relu(linear4(h3)), 0.3)
let z = linear5(h4)
let cost = cross_entropy(z, y)
let accuracy = mean(argmax(z, dim = 1) == y)
output z

train {
  loss = cost
  data = idx(x = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz",
             y = "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz",
             scale = 1/255)
  optimizer = adam(lr = 0.001)
  epochs = 15
  batch_size = 100
  shuffle = true
  drop_last = true
  log_every = 1
}

eval {
  data = idx(x = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz",
             y = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz",
             scale = 1/255)
  metrics = [accuracy]
}
