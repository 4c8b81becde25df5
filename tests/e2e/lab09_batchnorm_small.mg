# examples/lab09_batchnorm.mg's network, data order and settings on the
# first 160 images of Fashion-MNIST's training and test sets (data/, made by
# data/make_fashion_small.py), 4 epochs of five steps: the first steps of
# the lesson, compared with reference/lab09_batchnorm.py --images 160
# --epochs 4 to 1e-5 relative.  Run from this directory (relative paths).
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
  data = idx(x = "data/train160-images-idx3-ubyte.gz",
             y = "data/train160-labels-idx1-ubyte.gz",
             scale = 1/255)
  optimizer = adam(lr = 0.01)
  epochs = 4
  batch_size = 32
  shuffle = true
  drop_last = true
  log_every = 1
  metrics = [accuracy]
}

eval {
  data = idx(x = "data/t10k160-images-idx3-ubyte.gz",
             y = "data/t10k160-labels-idx1-ubyte.gz",
             scale = 1/255)
  metrics = [accuracy]
  every = 1
}
