# Constant arithmetic folds, by each operator's folding rule in ops.def.
# The metric has one term per operator that a .mg file can apply to
# constants; each term's factor is a value that only the folded
# computation produces (43 = (3 == 3) + 42: were eq left alone, 42 and 3
# would appear, not 43).  maximum, where and sign are built by autodiff
# only: unit.fold_matches_c checks every operator's rule against its C.
# MGC-ARGS: -O1
# CHECK: const 6 : f32[]
# CHECK-NOT: const 2 
# CHECK-NOT: const 3 
# CHECK-DAG: const 5.25 : f32[]
# CHECK-DAG: const 4.5 : f32[]
# CHECK-DAG: const 7.5 : f32[]
# CHECK-DAG: const 2.25 : f32[]
# CHECK-DAG: const -3.75 : f32[]
# CHECK-DAG: const 3.375 : f32[]
# CHECK-DAG: const 4.48168907 : f32[]
# CHECK-DAG: const 1.09861229 : f32[]
# CHECK-DAG: const 3.5 : f32[]
# CHECK-DAG: const 5.75 : f32[]
# CHECK-DAG: const 0.679178699 : f32[]
# CHECK-DAG: const 0.462117157 : f32[]
# CHECK-DAG: const 6.5 : f32[]
# CHECK-DAG: const 0.974076984 : f32[]
# CHECK-DAG: const -0.5 : f32[]
# CHECK-DAG: const 43 : f32[]
# CHECK-DAG: const 45 : f32[]
# CHECK-DAG: const 47 : f32[]
# CHECK-DAG: const 49 : f32[]
# CHECK-DAG: const 41 : f32[]
# CHECK-DAG: const 51 : f32[]
input x: f32[N, 2]
input y: f32[N, 1]
param W: f32[2, 1] = [[0.5], [-0.25]]
param b: f32[1] = zeros
let z = x @ W + b
let cost = mean(z * (2 * 3) * y)
let folds = mean(z * (2 + 3.25) + z * (7 - 2.5) + z * (1.5 * 5) + z * (9 / 4) + z * -(1.25 * 3)
                 + z * 1.5 ** 3 + z * exp(1.5) + z * log(3) + z * sqrt(12.25) + z * abs(2 - 7.75)
                 + z * sigmoid(0.75) + z * tanh(0.5) + z * relu(8.5 - 2) + z * softplus(0.5)
                 + z * leaky_relu(2 - 4, 0.25) + z * ((3 == 3) + 42) + z * ((3 != 4) + 44)
                 + z * ((2 < 3) + 46) + z * ((3 <= 3) + 48) + z * ((3 > 2) + 40) + z * ((4 >= 3) + 50))

train {
  loss = cost
  metrics = [folds]
  data = inline(x = [[1, 2], [2, 3], [3, 1]], y = [[0], [1], [1]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
