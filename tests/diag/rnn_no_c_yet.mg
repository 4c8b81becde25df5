# Recurrent layers compile to IR (--emit=ir shows the loop and its reverse)
# but this version of mgc does not generate their C yet: said at the call,
# and no output file is written.
input x: f32[N, 6, 5]
layer r = rnn(5, 8)
let h = r(x)
let cost = mean(h ** 2)
train {
  loss = cost
  data = inline(x = [[[1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 0],
                      [0, 0, 0, 0, 1], [1, 0, 0, 0, 0]]])
  optimizer = sgd(lr = 0.1)
  epochs = 1
}
