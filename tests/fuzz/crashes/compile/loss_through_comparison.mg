# gradcheck: tanh.  Checked in f64 against centfinite differences.
seed 3
input x: f32[N, 3]
input y: f32[N, 2]
input t: f32[N, 1]
input labels: i64[N]
param W: f32[3, 2] = normal(0, 0.5)
param b: f32[2] = uniform(-0.5, 0.5)
param V: f32[2, 1] = normal(0, 0.5)
let z = x @ W + b

let cost = mean(tanh(z)== y)

train {
  loss = cost
  data = inline(x = [[0.5, -1.2, 0.3], [1.5, 0.2, -0.7], [-0.4, 0.9, 1.1], [0.1, -0.3, 0.8]],
                y = [[0.2, 0.9], [0.7, 0.1], [0.4, 0.6], [1.0, 0.0]],
                t = [[1], [0], [1], [0]],
                labels = [1, 0, 1, 1])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
