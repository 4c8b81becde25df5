# A recurrent layer given a 2-D value: it has no time dim.
input x: f32[N, 5]
layer r = rnn(5, 8)
let h = r(x)
output h
