# Robustness: lab 5's hand-written cost, started so confident that the last
# sample's logit is 32, where sigmoid rounds to exactly 1 in float32.  Written
# out, (1 - y) * log(1 - h) is 0 * log(0) = nan: PyTorch prints nan.  At -O2
# mgc fuses sigmoid and the cost into bce_with_logits and prints the finite
# values of F.binary_cross_entropy_with_logits (reference/robust_bce.py);
# at -O0 it computes what is written, nan like PyTorch
# (reference/robust_bce_unfused.py).
input x: f32[N, 2]
input y: f32[N, 1]

param W: f32[2, 1] = [[5], [1]]
param b: f32[1] = zeros

let hypothesis = sigmoid(x @ W + b)
let cost = mean(-(y * log(hypothesis) + (1 - y) * log(1 - hypothesis)))

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]],
                y = [[0], [0], [0], [1], [1], [1]])
  optimizer = sgd(lr = 0.1)
  epochs = 100
  log_every = 10
}
