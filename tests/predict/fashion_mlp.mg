# An MLP with dropout on Fashion-MNIST (IDX data), one epoch: --predict
# reads an IDX images file, with the train data's scale.
seed 3

input x: f32[N, 784]
input y: i64[N]

layer hidden = linear(784, 64)
layer out = linear(64, 10)

let z = out(dropout(relu(hidden(x)), 0.2))
let cost = cross_entropy(z, y)
output z

train {
  loss = cost
  data = idx(x = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz",
             y = "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz",
             scale = 1/255)
  optimizer = adam(lr = 0.001)
  epochs = 1
  batch_size = 100
  shuffle = true
}
