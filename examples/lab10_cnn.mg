# Convolutional network on Fashion-MNIST (lab 10).
# Deep Learning for Everyone, PyTorch lab 10-1 (mnist_cnn): two convolution
# layers, each 3x3 with padding 1 (the image keeps its size), ReLU and 2x2
# max-pooling (28x28 -> 14x14 -> 7x7), then a linear layer from the 7*7*64
# features to the 10 classes, its weight re-initialized with
# torch.nn.init.xavier_uniform_; CrossEntropyLoss, Adam lr 0.001,
# DataLoader(batch_size = 100, shuffle = True, drop_last = True), 15 epochs,
# then the test accuracy.  The lesson uses MNIST; this uses Fashion-MNIST in
# the same IDX format, read as images [N, 1, 28, 28].
seed 777

input x: f32[N, 1, 28, 28]
input y: i64[N]

layer conv1 = conv2d(1, 32, 3, stride = 1, padding = 1)
layer conv2 = conv2d(32, 64, 3, stride = 1, padding = 1)
layer fc = linear(3136, 10)                         # 7 * 7 * 64 features

init fc.weight = xavier_uniform

let layer1 = max_pool2d(relu(conv1(x)), 2)         # [N, 32, 14, 14]
let layer2 = max_pool2d(relu(conv2(layer1)), 2)    # [N, 64, 7, 7]
let z = fc(flatten(layer2))                        # out.view(out.size(0), -1)
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
