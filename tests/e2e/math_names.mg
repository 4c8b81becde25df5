# Values named as the C functions the operators' expressions call in a
# float program (ops.def: tanh%f, log1p%f, pow%f, fabs%f, fmax%f): their
# kernel locals get a '_' (emit_kernels.c asks ir_cexpr_calls), so the
# generated C, built with -Werror, still calls the functions.
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = [[0.5], [-0.25]]
param b: f32[1] = zeros
let z = x @ W + b
let tanhf = tanh(z)
let log1pf = softplus(tanhf)
let powf = log1pf ** 3
let fabsf = abs(powf - y)
let cost = mean(fabsf)

train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [[0], [1], [1]])
  optimizer = sgd(lr = 0.1)
  epochs = 2
}
