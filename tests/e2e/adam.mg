# Optimizer test: torch.optim.Adam with weight decay.
# A 2-8-3 leaky-ReLU softmax classifier on 12 points in 3 clusters, with
# cross_entropy, full batch.
# Reference: reference/adam.py (PyTorch 1.13) -> reference/adam.log.
seed 11

input x: f32[N, 2]
input y: i64[N]

layer fc1 = linear(2, 8)
layer fc2 = linear(8, 3)

let z = fc2(leaky_relu(fc1(x), slope = 0.1))
let cost = cross_entropy(z, y)
let accuracy = mean(argmax(z, dim = 1) == y)
output z

train {
  loss = cost
  data = inline(x = [[-1, -1], [-1.25, -0.5], [-0.5, -1.25], [-0.75, -0.75],
                     [1, -1], [1.25, -0.5], [0.5, -1.25], [0.75, -0.25],
                     [0, 1], [0.25, 1.25], [-0.25, 0.75], [0.5, 0.5]],
                y = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
  optimizer = adam(lr = 0.01, weight_decay = 0.001)
  epochs = 200
  log_every = 20
  metrics = [accuracy]
}
