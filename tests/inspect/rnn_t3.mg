# A recurrent layer over T = 3 steps, for inspect.rnn_one_loop_each_way (CMakeLists.txt).
input x: f32[N, 3, 5]
input y: f32[N, 4]
layer r = rnn(5, 4)
let h = r(x)
let cost = mean((h[:, -1] - y) ** 2)
output h
train {
  loss = cost
  data = csv("unused.csv", x = cols(0:15), y = cols(15:19))
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
