# Optimizer test: torch.optim.SGD with momentum and weight decay.
# A 2-8-1 tanh network fitted to 10 points with mse_loss, full batch.
# Reference: reference/sgd_momentum.py (PyTorch 1.13) -> reference/sgd_momentum.log.
seed 3

input x: f32[N, 2]
input y: f32[N, 1]

layer hidden = linear(2, 8)
layer fc = linear(8, 1)

let prediction = fc(tanh(hidden(x)))
let cost = mse_loss(prediction, y)
let mae = mean(abs(prediction - y))
output prediction

train {
  loss = cost
  data = inline(x = [[-1, -0.5], [-0.75, 0.25], [-0.5, 1], [-0.25, -1], [0, 0.5],
                     [0.25, -0.25], [0.5, 0.75], [0.75, -0.75], [1, 0], [1.25, 1.25]],
                y = [[-0.5], [0.25], [0.75], [-0.875], [0.5],
                     [-0.125], [1], [-0.5], [0.625], [1.5]])
  optimizer = sgd(lr = 0.05, momentum = 0.9, weight_decay = 0.01)
  epochs = 200
  log_every = 20
  metrics = [mae]
}
