# An output that needs the labels of IDX data: one predict file cannot
# hold both images and labels, and --predict says so.
seed 3

input x: f32[N, 784]
input y: i64[N]

layer out = linear(784, 10)

let z = out(x)
let cost = cross_entropy(z, y)
let correct = argmax(z, dim = 1) == y
output correct

train {
  loss = cost
  data = idx(x = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz",
             y = "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz",
             scale = 1/255)
  optimizer = sgd(lr = 0.1)
  epochs = 1
  batch_size = 100
}
