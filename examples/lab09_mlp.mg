# Three-layer ReLU network on Fashion-MNIST (lab 9).
# Deep Learning for Everyone, PyTorch lab 9-3 (mnist_nn_xavier): 784-256-256-10
# with ReLU, each weight re-initialized with torch.nn.init.xavier_uniform_
# after the three layers are built, CrossEntropyLoss, Adam lr 0.001,
# DataLoader(batch_size = 100, shuffle = True, drop_last = True), 15 epochs,
# then the test accuracy.  The lesson uses MNIST; this uses Fashion-MNIST in
# the same IDX format.  Shows init statements: the draws happen in program
# order, layers first.  (Lab 9-2 re-initializes with normal_ instead: its
# normal(0, 1) weights give large first losses and a worse test accuracy.)
seed 777

input x: f32[N, 784]
input y: i64[N]

layer linear1 = linear(784, 256)
layer linear2 = linear(256, 256)
layer linear3 = linear(256, 10)

init linear1.weight = xavier_uniform
init linear2.weight = xavier_uniform
init linear3.weight = xavier_uniform

let z = linear3(relu(linear2(relu(linear1(x)))))
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
