# Batch normalization on Fashion-MNIST (lab 9).
# Deep Learning for Everyone, PyTorch lab 9-6 (batchnorm): 784-32-32-10 with
# BatchNorm1d after each hidden linear layer, then ReLU; CrossEntropyLoss,
# Adam lr 0.01, DataLoader(batch_size = 32, shuffle = True, drop_last =
# True), 10 epochs.  As the lesson does after every epoch, the test set is
# evaluated with the model in evaluation mode (bn_model.eval(): each batch
# norm uses its running statistics); the training step runs it in training
# mode (each batch's statistics, which also update the running ones).  The
# lesson uses MNIST; this uses Fashion-MNIST in the same IDX format.
seed 777

input x: f32[N, 784]
input y: i64[N]

layer linear1 = linear(784, 32)
layer linear2 = linear(32, 32)
layer linear3 = linear(32, 10)
layer bn1 = batch_norm1d(32)
layer bn2 = batch_norm1d(32)

let z = linear3(relu(bn2(linear2(relu(bn1(linear1(x)))))))
let cost = cross_entropy(z, y)
let accuracy = mean(argmax(z, dim = 1) == y)
output z

train {
  loss = cost
  data = idx(x = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz",
             y = "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz",
             scale = 1/255)
  optimizer = adam(lr = 0.01)
  epochs = 10
  batch_size = 32
  shuffle = true
  drop_last = true
  log_every = 1
  metrics = [accuracy]
}

eval {
  data = idx(x = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz",
             y = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz",
             scale = 1/255)
  metrics = [accuracy]
  every = 1
}
