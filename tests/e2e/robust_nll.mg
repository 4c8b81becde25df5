# Robustness: nll_loss(log(softmax(z))), the other unstable spelling, with logits near +-1000, where
# softmax underflows to exactly 0 in float32.  Written out, onehot * -log(0)
# is 0 * inf = nan: PyTorch prints nan.  At -O2 mgc fuses softmax and the
# cost into softmax_cross_entropy and prints the finite values of
# F.cross_entropy (reference/robust_softmax.py); at -O0 it prints nan like
# PyTorch (reference/robust_softmax_unfused.py).
input x: f32[N, 4]
input y: i64[N]

param W: f32[4, 3] = [[100, -100, 0], [-100, 100, 50], [100, 0, -100], [-50, 100, 100]]
param b: f32[3] = zeros

let z = x @ W + b
let cost = nll_loss(log(softmax(z, dim = 1)), y)

train {
  loss = cost
  data = inline(x = [[1, 2, 1, 1], [2, 1, 3, 2], [3, 1, 3, 4], [4, 1, 5, 5],
                     [1, 7, 5, 5], [1, 2, 5, 6], [1, 6, 6, 6], [1, 7, 7, 7]],
                y = [2, 2, 2, 1, 1, 1, 0, 0])
  optimizer = sgd(lr = 0.01)
  epochs = 100
  log_every = 10
}
