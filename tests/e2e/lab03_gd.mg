# Gradient descent on cost(W) = mean((x W - y)^2) (lab 3, "Deeper Look at
# Gradient Descent", with optim.SGD lr 0.15).  After the first step PyTorch's
# W is 1.4000001 and mgc's 1.3999999: PyTorch sums the gradient in float32
# (-9.333334), mgc in double (-9.333333, the float32 nearest -28/3), so
# epoch 1 prints 0.746667 there and 0.746666 here; within the e2e tolerance.
# Reference: reference/lab03_gd.py.
input x: f32[N, 1]
input y: f32[N, 1]

param W: f32[1] = zeros

let cost = mean((x * W - y) ** 2)

train {
  loss = cost
  data = inline(x = [[1], [2], [3]], y = [[1], [2], [3]])
  optimizer = sgd(lr = 0.15)
  epochs = 10
  log_every = 1
}
