# A misspelt layer called like a function: the layers in scope are offered
# with the builtins (a typo of linear1).
seed 1
input x: f32[N, 2]
input y: f32[N, 1]
layer linear1 = linear(2, 4)
layer linear2 = linear(4, 1)
let hypothesis = sigmoid(linear2(relu(lienar1(x))))
let cost = binary_cross_entropy(hypothesis, y)
train {
  loss = cost
  data = inline(x = [[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]],
                y = [[0], [0], [0], [1], [1], [1]])
  optimizer = sgd(lr = 1)
  epochs = 10
}
