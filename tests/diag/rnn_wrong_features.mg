# A recurrent layer given a sequence of the wrong feature size: located at
# the argument, with the size the layer was declared with.
input x: f32[N, 6, 4]
layer r = rnn(5, 8)
let h = r(x)
output h
