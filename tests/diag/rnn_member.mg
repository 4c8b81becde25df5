# An rnn's params are nn.RNN's: weight_ih_l0 and the like, not .weight.
input x: f32[N, 6, 5]
layer r = rnn(5, 8)
let w = r.weight
output w
