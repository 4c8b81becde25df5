# The lab 9-5 network (examples/lab09_dropout.mg) without its dropout: the
# bench workload that tells what the dropout masks cost a step.
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

let h1 = relu(linear1(x))
let h2 = relu(linear2(h1))
let h3 = relu(linear3(h2))
let h4 = relu(linear4(h3))
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
