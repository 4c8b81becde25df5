# Initializers on 4-D params, with torch.nn.init's fans (fan_in = IN*KH*KW,
# fan_out = OUT*KH*KW): a conv2d layer's own draws, then init statements
# (xavier_uniform with a gain, xavier_normal) and a param drawn with
# kaiming_uniform, all in program order; then a few full-batch steps through
# two convolutions (one without bias, with a stride) and a linear layer.
# Reference: reference/conv_init.py.
seed 3
input x: f32[N, 2, 4, 5]
input y: f32[N, 1]
layer c1 = conv2d(2, 3, [3, 2], padding = 1)
layer c2 = conv2d(3, 2, 2, stride = 2, bias = false)
param k: f32[3, 2, 3, 2] = kaiming_uniform(a = 1)
layer fc = linear(12, 1)
init c2.weight = xavier_uniform(gain = 2)
init c1.weight = xavier_normal
let z = fc(flatten(tanh(c2(relu(c1(x))))))
let cost = mse_loss(z, y) + 0.01 * mean(k * k)

train {
  loss = cost
  data = inline(x = [[[[-0.67, 0.38, 0.27, -0.04, -0.57], [0.59, 0.62, 0.02, 0.01, -0.53], [-0.99, -0.26, 0.17, -0.86, 0.59], [-0.54, -0.53, -0.92, 1.00, 0.48]],
                     [[0.75, 0.23, -0.93, -0.34, 0.00], [-0.77, 0.90, -0.26, -0.69, 0.64], [-0.75, 0.86, -0.09, 0.10, -0.31], [-0.03, -0.63, -0.93, 0.73, -0.53]]],
                    [[[0.56, -0.58, 0.94, 0.79, 0.51], [0.53, 0.16, 0.46, -0.76, -0.05], [0.65, -0.60, 0.85, 0.78, -0.18], [-0.27, -0.10, -0.23, 0.99, -0.23]],
                     [[-0.95, -0.81, 0.44, 0.99, -0.01], [-0.02, 0.10, 0.50, -0.56, 0.22], [0.11, 0.25, -0.64, -0.66, -0.30], [0.85, -0.31, 0.19, -0.39, -0.79]]],
                    [[[-0.87, 0.63, 0.55, -0.25, 0.37], [0.35, 0.80, 0.92, -0.19, 0.98], [0.92, 0.18, 0.77, -0.02, -0.25], [-0.51, 0.75, -0.68, -0.86, 0.61]],
                     [[0.55, -0.03, 0.67, -0.90, -0.48], [-0.42, -0.16, -0.66, -0.86, -0.32], [0.80, 0.97, 0.49, -0.04, -0.50], [0.92, 0.05, 0.46, -0.94, -0.58]]]],
                y = [[0.5], [-0.25], [1.0]])
  optimizer = sgd(lr = 0.1)
  epochs = 5
}
