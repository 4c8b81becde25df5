# Softmax classifier on Fashion-MNIST (lab 9).
# Deep Learning for Everyone, PyTorch lab 9-1 (mnist_softmax): nn.Linear(784,
# 10) on 28x28 images scaled to [0, 1], CrossEntropyLoss, Adam lr 0.001,
# DataLoader(batch_size = 100, shuffle = True, drop_last = True), 15 epochs,
# then the accuracy on the test set. The lesson uses MNIST; this uses
# Fashion-MNIST in the same IDX format.
# Shows idx data, mini-batches with a seeded shuffle, Adam and an eval block.
seed 777

input x: f32[N, 784]
input y: i64[N]

layer linear = linear(784, 10)

let z = linear(x)
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
